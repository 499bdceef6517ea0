#include "adapters/admin/admin_dialect.h"

#include <cstdio>
#include <memory>

#include "adapters/http/request_util.h"
#include "adapters/migration/importer.h"
#include "adapters/migration/record_format.h"
#include "adapters/migration/record_reader.h"
#include "common/secure_compare.h"
#include "common/json_writer.h"

namespace gateway::admin {
namespace {

constexpr std::string_view kPrefix = "/__gateway";
// A seed's problems are listed up to this many; the counts are always exact.
constexpr size_t kMaxProblemsListed = 100;

void RenderError(httplib::Response& res, int status, std::string_view detail) {
  JsonWriter w;
  w.BeginObject().Key("errors").BeginArray().BeginObject();
  w.Field("status", status).Field("title", http::StatusTitle(status)).Field("detail", detail);
  w.EndObject().EndArray().EndObject();
  http::SetJson(res, status, w.Take());
}

// Snapshot names are path segments: kept to characters that need no escaping.
bool IsSnapshotName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void RenderCounts(JsonWriter& w, const migration::ImportCounts& c) {
  w.Field("records", static_cast<int64_t>(c.records));
  w.Field("created", static_cast<int64_t>(c.created));
  w.Field("updated", static_cast<int64_t>(c.updated));
  w.Field("unchanged", static_cast<int64_t>(c.unchanged));
  w.Field("rejected", static_cast<int64_t>(c.rejected));
}

}  // namespace

AdminDialect::AdminDialect(std::string token, CustomerRepository& repo, RequestJournal& journal,
                           FaultInjector& faults, const DialectNames& names,
                           std::optional<deterministic::Position> start)
    : token_(std::move(token)),
      repo_(repo),
      journal_(journal),
      faults_(faults),
      names_(names),
      start_(start) {}

bool AdminDialect::Owns(std::string_view path) const { return IsAdminPath(path); }

void AdminDialect::RenderHostError(int status, std::string_view detail,
                                   httplib::Response& res) const {
  RenderError(res, status, detail);
}

void AdminDialect::Handle(const httplib::Request& req, httplib::Response& res) {
  const std::string& m = req.method;
  std::optional<std::string> bearer = http::BearerToken(req);
  if (!bearer || !ConstantTimeEquals(*bearer, token_)) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"customer-gateway admin\"");
    RenderError(res, 401,
                bearer ? "The admin token is not valid"
                       : "The admin API needs Authorization: Bearer <admin token>");
    return;
  }

  const std::string_view rest = std::string_view(req.path).substr(kPrefix.size());
  const std::string_view snapshots = "/snapshots";
  bool path_known = true;
  if (rest == "/reset") {
    if (m == "POST") return Reset(res);
  } else if (rest == "/seed") {
    if (m == "POST") return Seed(req, res);
  } else if (rest == "/requests") {
    if (m == "GET") {
      uint64_t after = 0;
      const http::Params q = http::ParseUrlEncoded(http::RawQuery(req));
      if (auto since = http::Find(q, "after")) {
        if (since->empty() || since->size() > 18 ||
            since->find_first_not_of("0123456789") != std::string::npos) {
          return RenderError(res, 400, "after must be a request sequence number");
        }
        after = std::stoull(*since);
      }
      return http::SetJson(res, 200, journal_.ToJson(after));
    }
    if (m == "DELETE") {
      journal_.Clear();
      res.status = 204;
      return;
    }
  } else if (rest == "/faults" || rest.substr(0, 8) == "/faults/") {
    return Faults(req, rest, res);
  } else if (rest == snapshots) {
    if (m == "GET") return ListSnapshots(res);
  } else if (rest.substr(0, snapshots.size() + 1) == "/snapshots/") {
    std::string_view name = rest.substr(snapshots.size() + 1);
    const std::string_view restore = "/restore";
    const bool is_restore =
        name.size() > restore.size() && name.substr(name.size() - restore.size()) == restore;
    if (is_restore) name.remove_suffix(restore.size());
    if (!IsSnapshotName(name)) {
      return RenderError(res, 400, "a snapshot name is 1 to 64 letters, digits, '-', '_' or '.'");
    }
    if (is_restore) {
      if (m == "POST") return RestoreSnapshot(std::string(name), res);
    } else if (m == "POST" || m == "PUT") {
      return TakeSnapshot(std::string(name), res);
    } else if (m == "DELETE") {
      return DeleteSnapshot(std::string(name), res);
    }
  } else {
    path_known = false;
  }
  if (path_known) return RenderError(res, 405, m + " is not allowed on " + req.path);
  RenderError(res, 404, "No admin route matches " + m + " " + req.path);
}

void AdminDialect::Reset(httplib::Response& res) {
  Result<uint64_t> removed = repo_.ReplaceAll({});
  if (!removed.ok()) return RenderError(res, 500, removed.status().message());
  // Each test after a reset sees the same ids and times, whatever ran before.
  if (start_) deterministic::Restore(*start_);
  JsonWriter w;
  w.BeginObject().Field("removed", static_cast<int64_t>(*removed)).EndObject();
  http::SetJson(res, 200, w.Take());
}

void AdminDialect::Seed(const httplib::Request& req, httplib::Response& res) {
  const http::Params q = http::ParseUrlEncoded(http::RawQuery(req));
  const std::string name = http::Find(q, "format").value_or("");
  const migration::RecordFormat* format = migration::FindRecordFormat(name);
  if (format == nullptr) {
    return RenderError(res, 400, "format must be one of " + migration::RecordFormatNames());
  }
  migration::ImportCounts counts;
  std::vector<migration::ImportProblem> problems;
  std::string layout = "empty";
  if (!req.body.empty()) {
    auto reader = migration::RecordReader::OpenBuffer(req.body);
    if (!reader.ok()) return RenderError(res, 500, reader.status().message());
    migration::Importer importer(*format, &repo_, migration::ImportOptions{});
    Result<migration::ImportCounts> result = importer.Run(
        **reader,
        [&](const migration::ImportProblem& p) {
          if (problems.size() < kMaxProblemsListed) problems.push_back(p);
        },
        [](const migration::ImportCounts&, uint64_t) {});
    if (!result.ok()) return RenderError(res, 500, result.status().message());
    counts = *result;
    layout = std::string((*reader)->layout());
  }
  JsonWriter w;
  w.BeginObject().Field("format", format->name()).Field("layout", layout);
  RenderCounts(w, counts);
  w.Key("problems").BeginArray();
  for (const migration::ImportProblem& p : problems) {
    w.BeginObject().Field("record", static_cast<int64_t>(p.record));
    w.Field("line", static_cast<int64_t>(p.line));
    if (!p.id.empty()) w.Field("id", p.id);
    w.Field("reason", p.reason).EndObject();
  }
  w.EndArray().EndObject();
  http::SetJson(res, 200, w.Take());
}

void AdminDialect::ListSnapshots(httplib::Response& res) {
  JsonWriter w;
  w.BeginObject().Key("snapshots").BeginArray();
  {
    std::lock_guard lock(snapshots_mu_);
    for (const auto& [name, snapshot] : snapshots_) {
      w.BeginObject().Field("name", name);
      w.Field("customers", static_cast<int64_t>(snapshot.customers.size())).EndObject();
    }
  }
  w.EndArray().EndObject();
  http::SetJson(res, 200, w.Take());
}

void AdminDialect::TakeSnapshot(const std::string& name, httplib::Response& res) {
  Snapshot snapshot;
  snapshot.position = deterministic::Save();
  if (Status s = repo_.ForEach([&](const Customer& c) { snapshot.customers.push_back(c); });
      !s.ok()) {
    return RenderError(res, 500, s.message());
  }
  const int64_t count = static_cast<int64_t>(snapshot.customers.size());
  bool replaced;
  {
    std::lock_guard lock(snapshots_mu_);
    replaced = snapshots_.count(name) > 0;
    snapshots_[name] = std::move(snapshot);
  }
  JsonWriter w;
  w.BeginObject().Field("name", name).Field("customers", count).EndObject();
  http::SetJson(res, replaced ? 200 : 201, w.Take());
}

void AdminDialect::RestoreSnapshot(const std::string& name, httplib::Response& res) {
  Snapshot snapshot;
  {
    std::lock_guard lock(snapshots_mu_);
    auto it = snapshots_.find(name);
    if (it == snapshots_.end()) return RenderError(res, 404, "No snapshot named " + name);
    snapshot = it->second;
  }
  const std::vector<Customer>& customers = snapshot.customers;
  Result<uint64_t> removed = repo_.ReplaceAll(customers);
  if (!removed.ok()) return RenderError(res, 500, removed.status().message());
  if (snapshot.position) deterministic::Restore(*snapshot.position);
  JsonWriter w;
  w.BeginObject().Field("name", name).Field("removed", static_cast<int64_t>(*removed));
  w.Field("customers", static_cast<int64_t>(customers.size())).EndObject();
  http::SetJson(res, 200, w.Take());
}

void AdminDialect::Faults(const httplib::Request& req, std::string_view rest,
                          httplib::Response& res) {
  const std::string& m = req.method;
  if (rest == "/faults") {
    if (m == "GET") return http::SetJson(res, 200, faults_.RulesJson());
    if (m == "DELETE") {
      faults_.Clear();
      res.status = 204;
      return;
    }
    if (m == "POST") {
      Result<FaultRule> rule = ParseFaultRule(req.body, names_);
      if (!rule.ok()) return RenderError(res, 422, rule.status().message());
      return http::SetJson(res, 201, FaultInjector::RuleJson(faults_.Add(*rule)));
    }
    return RenderError(res, 405, m + " is not allowed on " + req.path);
  }
  const std::string_view id = rest.substr(8);
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != id.npos) {
    return RenderError(res, 404, "No fault rule " + std::string(id));
  }
  if (m != "DELETE") return RenderError(res, 405, m + " is not allowed on " + req.path);
  if (!faults_.Remove(std::stoull(std::string(id)))) {
    return RenderError(res, 404, "No fault rule " + std::string(id));
  }
  res.status = 204;
}

void AdminDialect::DeleteSnapshot(const std::string& name, httplib::Response& res) {
  std::lock_guard lock(snapshots_mu_);
  if (snapshots_.erase(name) == 0) return RenderError(res, 404, "No snapshot named " + name);
  res.status = 204;
}

}  // namespace gateway::admin
