#include "adapters/admin/request_journal.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "adapters/http/json_body.h"
#include "adapters/http/request_util.h"
#include "common/iso_time.h"
#include "common/json_writer.h"

namespace gateway::admin {
namespace {

constexpr std::string_view kRedacted = "[redacted]";
// Bodies above this are journaled by size only: the journal is bounded in
// entries, and this keeps it bounded in bytes too.
constexpr size_t kMaxBodyBytes = 64 * 1024;

// Before and After run on the same worker thread for one request.
thread_local std::chrono::steady_clock::time_point request_start;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void WriteRedactedJson(JsonWriter& w, simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT:
      w.BeginObject();
      for (auto [key, value] : e.get_object()) {
        w.Key(key);
        if (IsSecretName(key)) {
          w.String(kRedacted);
        } else {
          WriteRedactedJson(w, value);
        }
      }
      w.EndObject();
      return;
    case simdjson::dom::element_type::ARRAY:
      w.BeginArray();
      for (simdjson::dom::element item : e.get_array()) WriteRedactedJson(w, item);
      w.EndArray();
      return;
    default:
      w.Raw(simdjson::minify(e));
  }
}

void WriteBody(JsonWriter& w, const httplib::Request& req) {
  if (req.body.empty()) return;
  if (req.body.size() > kMaxBodyBytes) {
    w.Field("body_bytes", static_cast<int64_t>(req.body.size()));
    return;
  }
  if (http::IsFormBody(req)) {
    w.Key("form").BeginObject();
    for (const auto& [k, v] : http::ParseUrlEncoded(req.body)) {
      w.Field(k, IsSecretName(k) ? kRedacted : std::string_view(v));
    }
    w.EndObject();
    return;
  }
  std::string error;
  if (auto json = http::ParseJson(req.body, error)) {
    w.Key("json");
    WriteRedactedJson(w, *json);
    return;
  }
  // Neither JSON nor a form: the text as sent (JsonWriter repairs broken UTF-8).
  w.Field("text", req.body);
}

}  // namespace

bool IsAdminPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/__gateway";
  return path.substr(0, kPrefix.size()) == kPrefix &&
         (path.size() == kPrefix.size() || path[kPrefix.size()] == '/');
}

bool IsSecretName(std::string_view name) {
  const std::string n = Lower(name);
  for (std::string_view part : {"password", "secret", "token", "hash"}) {
    if (n.find(part) != std::string::npos) return true;
  }
  return false;
}

std::string RedactQuery(std::string_view query) {
  std::string out;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(pos, amp - pos);
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (!out.empty() || pos > 0) out += '&';
    if (eq != std::string_view::npos &&
        IsSecretName(httplib::detail::decode_url(std::string(key), true))) {
      out.append(key).append("=").append(kRedacted);
    } else {
      out.append(pair);
    }
    pos = amp + 1;
  }
  return out;
}

RequestJournal::RequestJournal(const DialectNames& names, size_t capacity)
    : names_(names), capacity_(std::max<size_t>(capacity, 1)) {}

bool RequestJournal::Before(const httplib::Request&, httplib::Response&, http::Dialect*) {
  request_start = std::chrono::steady_clock::now();
  return false;
}

void RequestJournal::After(const httplib::Request& req, const httplib::Response& res,
                           const http::Dialect* owner) {
  if (IsAdminPath(req.path)) return;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - request_start)
                          .count();
  JsonWriter w;
  w.BeginObject();
  // The sequence number is filled in under the lock; everything else is
  // rendered outside it.
  // The wall clock even under --deterministic: when a request came is a fact
  // about the test run, and reading the seeded clock would shift its sequence.
  w.Field("time", FormatIsoTime(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count()));
  w.Field("dialect", names_.NameOf(owner));
  w.Field("method", req.method).Field("path", req.path);
  w.Field("query", RedactQuery(http::RawQuery(req)));
  w.Key("headers").BeginObject();
  for (const auto& [name, value] : req.headers) {
    const std::string key = Lower(name);
    if (key == "authorization") {
      // Keep the scheme: a test may assert which kind of credential was sent.
      const size_t space = value.find(' ');
      w.Field(key, space == std::string::npos
                       ? std::string(kRedacted)
                       : value.substr(0, space + 1) + std::string(kRedacted));
    } else if (key == "cookie" || IsSecretName(key)) {
      w.Field(key, kRedacted);
    } else {
      w.Field(key, value);
    }
  }
  w.EndObject();
  WriteBody(w, req);
  // A dropped connection was never answered.
  if (res.status > 0) {
    w.Field("status", res.status);
  } else {
    w.Key("status").Null();
  }
  if (res.has_header("X-Gateway-Fault")) w.Field("fault", res.get_header_value("X-Gateway-Fault"));
  w.Field("duration_ms", static_cast<int64_t>(micros / 1000));
  w.EndObject();
  std::string rendered = w.Take();

  std::lock_guard lock(mu_);
  const uint64_t seq = next_seq_++;
  rendered.insert(1, "\"seq\":" + std::to_string(seq) + ",");
  entries_.push_back(std::move(rendered));
  seqs_.push_back(seq);
  while (entries_.size() > capacity_) {
    entries_.pop_front();
    seqs_.pop_front();
  }
}

std::string RequestJournal::ToJson(uint64_t after_seq) const {
  std::lock_guard lock(mu_);
  std::string out = "{\"requests\":[";
  bool first = true;
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (seqs_[i] <= after_seq) continue;
    if (!first) out += ',';
    out += entries_[i];
    first = false;
  }
  out += "]}";
  return out;
}

void RequestJournal::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
  seqs_.clear();
}

}  // namespace gateway::admin
