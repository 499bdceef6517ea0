#include "adapters/admin/fault_injector.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "common/json_writer.h"

namespace gateway::admin {
namespace {

constexpr int kMaxDelayMs = 60000;

Status Bad(std::string_view member, std::string_view what) {
  return Status::Invalid(std::string(member), std::string(member) + " " + std::string(what));
}

Status CheckFault(const Fault& f) {
  if (f.latency_ms == 0 && f.jitter_ms == 0 && f.status == 0 && !f.drop) {
    return Status::Invalid("", "a fault needs latency_ms, jitter_ms, status or drop");
  }
  if (f.status != 0 && f.drop) return Status::Invalid("drop", "drop and status exclude each other");
  return Status::Ok();
}

std::optional<int> ParseBounded(std::string_view text, int min, int max) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != text.npos) {
    return std::nullopt;
  }
  const int v = std::atoi(std::string(text).c_str());
  return v < min || v > max ? std::nullopt : std::optional<int>(v);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

uint16_t PortOf(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
  return 0;
}

std::string AddressOf(const sockaddr_storage& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (a.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(a).sin_addr, buf, sizeof buf);
  } else if (a.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(a).sin6_addr, buf, sizeof buf);
  }
  return buf;
}

// cpp-httplib hands handlers no socket, and a handler can only answer. To
// drop the connection the way a crashed or unreachable server would, find
// this request's socket by its address pair among the process's descriptors
// and shut it down; the library's write then fails and it closes the socket.
bool DropConnection(const httplib::Request& req) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  bool dropped = false;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    struct stat st {};
    if (fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
      continue;
    }
    if (PortOf(local) == req.local_port && PortOf(peer) == req.remote_port &&
        AddressOf(peer) == req.remote_addr) {
      dropped = shutdown(static_cast<int>(fd), SHUT_RDWR) == 0;
      break;
    }
  }
  closedir(dir);
  return dropped;
}

std::string Describe(const Fault& f, int delayed_ms) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  // A jitter that drew 0 still says so: the header is never empty.
  if (f.latency_ms > 0 || f.jitter_ms > 0) add("latency=" + std::to_string(delayed_ms));
  if (f.status != 0) add("status=" + std::to_string(f.status));
  if (f.drop) add("drop");
  return out;
}

}  // namespace

Result<FaultRule> ParseFaultRule(std::string_view json, const DialectNames& names) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return Status::Invalid("", "the body must be a JSON object describing one fault rule");
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) {
    return Status::Invalid("", "the body must be a JSON object describing one fault rule");
  }
  FaultRule rule;
  for (auto field : obj) {
    // Named copies, not structured bindings: clang 14 cannot capture those.
    const std::string_view key = field.key;
    const simdjson::dom::element value = field.value;
    auto text = [&](std::string& out) -> Status {
      std::string_view s;
      if (value.get_string().get(s) != simdjson::SUCCESS) return Bad(key, "must be a string");
      out = std::string(s);
      return Status::Ok();
    };
    auto integer = [&](int64_t min, int64_t max, int64_t& out) -> Status {
      int64_t v;
      if (value.get_int64().get(v) != simdjson::SUCCESS || v < min || v > max) {
        return Bad(key,
                   "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      }
      out = v;
      return Status::Ok();
    };
    int64_t n = 0;
    Status s;
    if (key == "dialect") {
      s = text(rule.dialect);
      if (s.ok() && !names.Has(rule.dialect)) s = Bad(key, "must be one of " + names.List());
    } else if (key == "method") {
      s = text(rule.method);
      for (char& c : rule.method)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (key == "path") {
      s = text(rule.path);
      if (s.ok() && (rule.path.empty() || rule.path.front() != '/'))
        s = Bad(key, "must start with /");
    } else if (key == "fraction") {
      double f = 0;
      if (value.get_double().get(f) != simdjson::SUCCESS || !(f > 0 && f <= 1)) {
        s = Bad(key, "must be a number above 0 and at most 1");
      }
      rule.fraction = f;
    } else if (key == "times") {
      s = integer(1, 1000000000, rule.times);
    } else if (key == "latency_ms") {
      s = integer(0, kMaxDelayMs, n);
      rule.fault.latency_ms = static_cast<int>(n);
    } else if (key == "jitter_ms") {
      s = integer(0, kMaxDelayMs, n);
      rule.fault.jitter_ms = static_cast<int>(n);
    } else if (key == "status") {
      s = integer(400, 599, n);
      rule.fault.status = static_cast<int>(n);
    } else if (key == "drop") {
      if (value.get_bool().get(rule.fault.drop) != simdjson::SUCCESS)
        s = Bad(key, "must be a boolean");
    } else {
      s = Status::Invalid(std::string(key), "unknown member " + std::string(key) +
                                                " (dialect, method, path, fraction, times, "
                                                "latency_ms, jitter_ms, status, drop)");
    }
    if (!s.ok()) return s;
  }
  if (Status s = CheckFault(rule.fault); !s.ok()) return s;
  return rule;
}

Result<Fault> ParseFaultHeader(std::string_view header) {
  Fault f;
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t sep = header.find_first_of(";,", pos);
    if (sep == std::string_view::npos) sep = header.size();
    const std::string_view part = Trim(header.substr(pos, sep - pos));
    pos = sep + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    const std::string_view key = Trim(part.substr(0, eq));
    const std::string_view value = eq == part.npos ? "" : Trim(part.substr(eq + 1));
    std::optional<int> n;
    if (key == "drop" && eq == part.npos) {
      f.drop = true;
      continue;
    }
    if (key == "status") {
      if (!(n = ParseBounded(value, 400, 599))) return Bad("status", "must be from 400 to 599");
      f.status = *n;
    } else if (key == "latency") {
      if (!(n = ParseBounded(value, 0, kMaxDelayMs))) {
        return Bad("latency", "must be milliseconds from 0 to 60000");
      }
      f.latency_ms = *n;
    } else if (key == "jitter") {
      if (!(n = ParseBounded(value, 0, kMaxDelayMs))) {
        return Bad("jitter", "must be milliseconds from 0 to 60000");
      }
      f.jitter_ms = *n;
    } else {
      return Status::Invalid(
          "", "unknown part '" + std::string(part) + "' (status=N, latency=MS, jitter=MS, drop)");
    }
  }
  if (Status s = CheckFault(f); !s.ok()) return s;
  return f;
}

FaultInjector::FaultInjector(const DialectNames& names, std::optional<uint64_t> seed)
    : names_(names), rng_(seed ? *seed : std::random_device{}()) {}

FaultRule FaultInjector::Add(FaultRule rule) {
  std::lock_guard lock(mu_);
  rule.id = next_id_++;
  rules_.push_back(rule);
  return rule;
}

bool FaultInjector::Remove(uint64_t id) {
  std::lock_guard lock(mu_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (it->id == id) {
      rules_.erase(it);
      return true;
    }
  }
  return false;
}

void FaultInjector::Clear() {
  std::lock_guard lock(mu_);
  rules_.clear();
}

std::string FaultInjector::RuleJson(const FaultRule& r) {
  JsonWriter w;
  w.BeginObject().Field("id", static_cast<int64_t>(r.id));
  if (!r.dialect.empty()) w.Field("dialect", r.dialect);
  if (!r.method.empty()) w.Field("method", r.method);
  if (!r.path.empty()) w.Field("path", r.path);
  char fraction[32];
  std::snprintf(fraction, sizeof fraction, "%g", r.fraction);
  w.Key("fraction").Raw(fraction);
  if (r.times >= 0) w.Field("times", r.times);
  w.Field("latency_ms", r.fault.latency_ms).Field("jitter_ms", r.fault.jitter_ms);
  if (r.fault.status != 0) w.Field("status", r.fault.status);
  w.Field("drop", r.fault.drop).Field("applied", static_cast<int64_t>(r.applied));
  w.EndObject();
  return w.Take();
}

std::string FaultInjector::RulesJson() const {
  std::lock_guard lock(mu_);
  std::string out = "{\"faults\":[";
  for (size_t i = 0; i < rules_.size(); ++i) out += (i ? "," : "") + RuleJson(rules_[i]);
  return out + "]}";
}

std::optional<Fault> FaultInjector::Match(const httplib::Request& req, std::string_view dialect) {
  std::lock_guard lock(mu_);
  for (FaultRule& r : rules_) {
    if (r.times == 0) continue;
    if (!r.dialect.empty() && r.dialect != dialect) continue;
    if (!r.method.empty() && r.method != req.method) continue;
    if (!r.path.empty()) {
      const bool prefix = r.path.back() == '*';
      const std::string_view want = std::string_view(r.path).substr(0, r.path.size() - prefix);
      if (prefix ? req.path.rfind(want, 0) != 0 : req.path != want) continue;
    }
    if (r.fraction < 1 && std::uniform_real_distribution<double>(0, 1)(rng_) >= r.fraction) {
      continue;
    }
    if (r.times > 0) --r.times;
    ++r.applied;
    return r.fault;
  }
  return std::nullopt;
}

bool FaultInjector::Before(const httplib::Request& req, httplib::Response& res,
                           http::Dialect* owner) {
  const std::string_view dialect = names_.NameOf(owner);
  if (dialect.empty()) return false;

  std::optional<Fault> fault;
  // An empty header is no request for a fault, as if it were absent.
  if (!req.get_header_value("X-Gateway-Fault").empty()) {
    Result<Fault> parsed = ParseFaultHeader(req.get_header_value("X-Gateway-Fault"));
    if (!parsed.ok()) {
      owner->RenderHostError(400, "X-Gateway-Fault: " + parsed.status().message(), res);
      return true;
    }
    fault = *parsed;
  } else {
    fault = Match(req, dialect);
  }
  if (!fault) return false;

  int delay = fault->latency_ms;
  if (fault->jitter_ms > 0) {
    std::lock_guard lock(mu_);
    delay += std::uniform_int_distribution<int>(0, fault->jitter_ms)(rng_);
  }
  if (delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  res.set_header("X-Gateway-Fault", Describe(*fault, delay));
  if (fault->drop) {
    if (DropConnection(req)) return true;
    owner->RenderHostError(500, "Injected fault: the connection could not be dropped", res);
    return true;
  }
  if (fault->status != 0) {
    owner->RenderHostError(fault->status, "Injected fault: status " + std::to_string(fault->status),
                           res);
    return true;
  }
  return false;
}

}  // namespace gateway::admin
