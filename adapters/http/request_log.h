// RequestLog: the service's log, one JSON object per line — a line per
// request answered, plus start-up, shutdown and internal-failure events.
//
// Lines never carry tokens, passwords, hashes or emails: only the request id,
// dialect, method, route template (ids replaced by {id}), status, duration,
// byte counts, client address and, when known, the customer id.
//
// It writes to stdout or to a file; Reopen (on SIGHUP) reopens the file so a
// log rotator can move it away.
//
// Request lines are buffered and written together (a write and a flush per
// request cost the hot path a syscall each, under a lock every worker
// shares): at most kFlushMillis later, or as soon as kFlushBytes are
// waiting. Event lines, Reopen and destruction write everything waiting at
// once, in order. A process killed outright (SIGKILL) loses at most the
// request lines of its last kFlushMillis; never a stored write.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/status.h"

namespace gateway::http {

class RequestLog {
 public:
  static constexpr int kFlushMillis = 100;
  static constexpr size_t kFlushBytes = 64 * 1024;

  // `path` empty: stdout.
  explicit RequestLog(std::string path) : path_(std::move(path)) {}
  ~RequestLog();
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  [[nodiscard]] Status Open();
  // Closes and reopens the file (nothing to do for stdout).
  [[nodiscard]] Status Reopen();

  // Writes `fields_json` — the members of an object without braces, e.g.
  // "\"event\":\"request\",\"status\":200" — after a "time" member, as one line;
  // buffered unless `now`.
  void Write(std::string_view fields_json, bool now = false);
  // An event line: {"time":...,"event":event,"message":message}.
  void Event(std::string_view event, std::string_view message);

  const std::string& path() const { return path_; }

 private:
  void Append(std::string line, bool now);
  void FlushLocked();
  void FlushLoop();

  std::string path_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::FILE* out_ = nullptr;
  std::string pending_;
  bool stopping_ = false;
  std::thread flusher_;
};

// The id of the request the calling worker is answering: the client's
// well-formed X-Request-Id, or one generated for it. Empty outside a request.
std::string_view CurrentRequestId();
void SetCurrentRequestId(std::string id);

// Logs an internal failure's cause with the current request's id; dialects
// call it where they answer 500 with a generic message.
void ReportInternalError(std::string_view where, std::string_view cause);
// The log ReportInternalError writes to (stderr lines when none is set).
void SetProcessLog(RequestLog* log);

}  // namespace gateway::http
