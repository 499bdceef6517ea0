#include "adapters/http/request_log.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/iso_time.h"
#include "common/json_writer.h"
#include "common/uuid.h"

namespace gateway::http {
namespace {

thread_local std::string t_request_id;
std::atomic<RequestLog*> g_process_log{nullptr};

std::string Quoted(std::string_view s) {
  JsonWriter w;
  w.String(s);
  return w.Take();
}

}  // namespace

RequestLog::~RequestLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    FlushLocked();
  }
  wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  if (out_ != nullptr && out_ != stdout) std::fclose(out_);
}

void RequestLog::FlushLocked() {
  if (out_ == nullptr || pending_.empty()) return;
  std::fwrite(pending_.data(), 1, pending_.size(), out_);
  std::fflush(out_);
  pending_.clear();
}

void RequestLog::FlushLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(kFlushMillis));
    FlushLocked();
  }
}

void RequestLog::Append(std::string line, bool now) {
  std::lock_guard lock(mu_);
  if (out_ == nullptr) return;
  pending_.append(line);
  if (now || pending_.size() >= kFlushBytes) FlushLocked();
}

Status RequestLog::Open() {
  std::lock_guard lock(mu_);
  if (!flusher_.joinable()) flusher_ = std::thread([this] { FlushLoop(); });
  FlushLocked();  // what was written before a reopen goes to the file it was written for
  if (path_.empty()) {
    out_ = stdout;
    return Status::Ok();
  }
  std::FILE* f = std::fopen(path_.c_str(), "a");
  if (f == nullptr) {
    return Status::Internal("cannot open the log " + path_ + ": " + std::strerror(errno));
  }
  if (out_ != nullptr && out_ != stdout) std::fclose(out_);
  out_ = f;
  return Status::Ok();
}

Status RequestLog::Reopen() { return Open(); }

namespace {

std::string Line(std::string_view fields_json) {
  std::string line = "{\"time\":" + Quoted(FormatIsoTime(NowMillis())) + ",";
  line.append(fields_json);
  line += "}\n";
  return line;
}

}  // namespace

void RequestLog::Write(std::string_view fields_json, bool now) { Append(Line(fields_json), now); }

void RequestLog::Event(std::string_view event, std::string_view message) {
  Append(Line("\"event\":" + Quoted(event) + ",\"message\":" + Quoted(message)), true);
}

std::string_view CurrentRequestId() { return t_request_id; }

void SetCurrentRequestId(std::string id) { t_request_id = std::move(id); }

void ReportInternalError(std::string_view where, std::string_view cause) {
  std::string fields = "\"event\":\"internal_error\",\"request_id\":" + Quoted(t_request_id) +
                       ",\"where\":" + Quoted(where) + ",\"cause\":" + Quoted(cause);
  if (RequestLog* log = g_process_log.load()) {
    log->Write(fields, true);
  } else {
    std::fprintf(stderr, "{%s}\n", fields.c_str());
  }
}

void SetProcessLog(RequestLog* log) { g_process_log.store(log); }

}  // namespace gateway::http
