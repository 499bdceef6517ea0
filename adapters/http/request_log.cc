#include "adapters/http/request_log.h"

#include <atomic>
#include <cerrno>
#include <cstring>

#include "common/iso_time.h"
#include "common/uuid.h"
#include "common/json_writer.h"

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
  if (out_ != nullptr && out_ != stdout) std::fclose(out_);
}

Status RequestLog::Open() {
  std::lock_guard lock(mu_);
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

void RequestLog::Write(std::string_view fields_json) {
  std::string line = "{\"time\":" + Quoted(FormatIsoTime(NowMillis())) + ",";
  line.append(fields_json);
  line += "}\n";
  std::lock_guard lock(mu_);
  if (out_ == nullptr) return;
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

void RequestLog::Event(std::string_view event, std::string_view message) {
  Write("\"event\":" + Quoted(event) + ",\"message\":" + Quoted(message));
}

std::string_view CurrentRequestId() { return t_request_id; }

void SetCurrentRequestId(std::string id) { t_request_id = std::move(id); }

void ReportInternalError(std::string_view where, std::string_view cause) {
  std::string fields = "\"event\":\"internal_error\",\"request_id\":" + Quoted(t_request_id) +
                       ",\"where\":" + Quoted(where) + ",\"cause\":" + Quoted(cause);
  if (RequestLog* log = g_process_log.load()) {
    log->Write(fields);
  } else {
    std::fprintf(stderr, "{%s}\n", fields.c_str());
  }
}

void SetProcessLog(RequestLog* log) { g_process_log.store(log); }

}  // namespace gateway::http
