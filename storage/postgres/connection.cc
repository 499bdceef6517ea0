#include "storage/postgres/connection.h"

#include <cstdlib>
#include <utility>

namespace gateway::postgres {
namespace {

// The server's message without libpq's trailing newline.
std::string Trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// libpq reads text parameters up to their first NUL byte: a value holding
// one would be stored cut short, so it is refused instead.
Status CheckParams(const Params& params) {
  for (const Param& p : params) {
    if (p && p->find('\0') != std::string::npos) {
      return Status::Invalid("", "a value contains a NUL character, which cannot be stored");
    }
  }
  return Status::Ok();
}

struct ParamArrays {
  explicit ParamArrays(const Params& params) {
    values.reserve(params.size());
    for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  }
  int count() const { return static_cast<int>(values.size()); }
  const char* const* data() const { return values.empty() ? nullptr : values.data(); }
  std::vector<const char*> values;
};

}  // namespace

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(result_);
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

std::string PgResult::Text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<size_t>(PQgetlength(result_, row, column)));
}

std::optional<std::string> PgResult::OptionalText(int row, int column) const {
  if (PQgetisnull(result_, row, column)) return std::nullopt;
  return Text(row, column);
}

int64_t PgResult::Int(int row, int column) const {
  return std::strtoll(PQgetvalue(result_, row, column), nullptr, 10);
}

bool IsUnavailable(const Status& s) { return s.code() == ErrorCode::kUnavailable; }

std::string DisplayName(const std::string& conninfo) {
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr);
  if (options == nullptr) return "PostgreSQL";
  std::string user, host, port, dbname;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string_view key = o->keyword;
    if (key == "user") user = o->val;
    if (key == "host") host = o->val;
    if (key == "hostaddr" && host.empty()) host = o->val;
    if (key == "port") port = o->val;
    if (key == "dbname") dbname = o->val;
  }
  PQconninfoFree(options);
  return "postgresql://" + (user.empty() ? "" : user + "@") + host +
         (port.empty() ? "" : ":" + port) + "/" + dbname;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  // Defaults the connection string may override (expanded after them): a
  // server that drops packets must not hold a request for the kernel's TCP
  // timeout, and the server's activity views should name the gateway.
  const char* const keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* const values[] = {"5", "customer-gateway", conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Status::Unavailable("PostgreSQL: out of memory connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    Status s = Status::Unavailable("PostgreSQL is unreachable: " + Trimmed(PQerrorMessage(conn)));
    PQfinish(conn);
    return s;
  }
  // libpq prints server notices to stderr by default; every failure the
  // gateway cares about comes back as a Status instead.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  // Listings and email keys compare bytes; the session must not reinterpret
  // them. Commits wait for the WAL flush whatever the server's default.
  PGresult* setup = PQexec(conn,
                           "SET client_encoding = 'UTF8'; SET synchronous_commit = on; "
                           "SET client_min_messages = warning; "
                           "SET standard_conforming_strings = on");
  const bool ok = PQresultStatus(setup) == PGRES_COMMAND_OK;
  std::string error = Trimmed(PQresultErrorMessage(setup));
  PQclear(setup);
  if (!ok) {
    PQfinish(conn);
    return Status::Unavailable("PostgreSQL session setup failed: " + error);
  }
  return std::unique_ptr<Connection>(new Connection(conn));
}

Result<PgResult> Connection::Finish(PGresult* result, std::string_view sql) {
  sqlstate_.clear();
  constraint_.clear();
  const ExecStatusType st = PQresultStatus(result);
  if (result != nullptr && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
    return PgResult(result);
  }
  PgResult owned(result);
  if (result != nullptr) {
    if (const char* code = PQresultErrorField(result, PG_DIAG_SQLSTATE)) sqlstate_ = code;
    if (const char* name = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME)) constraint_ = name;
  }
  const std::string message =
      Trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  // Class 08 is a connection failure, 57P0x the server shutting down or
  // starting: either way the database is away, not the request wrong.
  if (broken() || sqlstate_.starts_with("08") || sqlstate_.starts_with("57P")) {
    return Status::Unavailable("PostgreSQL is unreachable: " + message);
  }
  if (sqlstate_ == "22021") {  // character_not_in_repertoire: not valid UTF-8
    return Status::Invalid("", "a value is not valid UTF-8 text");
  }
  std::string what(sql.substr(0, sql.find_first_of(" (")));
  return Status::Internal("PostgreSQL " + what + " failed: " + message);
}

Result<PgResult> Connection::Exec(const std::string& sql, const Params& params) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    if (prepared_.size() >= kMaxPrepared) return ExecOnce(sql, params);
    std::string name = "s" + std::to_string(prepared_.size() + 1);
    Result<PgResult> prepared =
        Finish(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), sql);
    if (!prepared.ok()) return prepared.status();
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  if (Status s = CheckParams(params); !s.ok()) return s;
  ParamArrays p(params);
  return Finish(
      PQexecPrepared(conn_, found->second.c_str(), p.count(), p.data(), nullptr, nullptr, 0), sql);
}

Result<PgResult> Connection::ExecOnce(const std::string& sql, const Params& params) {
  if (Status s = CheckParams(params); !s.ok()) return s;
  ParamArrays p(params);
  return Finish(PQexecParams(conn_, sql.c_str(), p.count(), nullptr, p.data(), nullptr, nullptr, 0),
                sql);
}

Status Connection::Command(const char* sql) { return Finish(PQexec(conn_, sql), sql).status(); }

}  // namespace gateway::postgres
