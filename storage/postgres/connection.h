// Connection and PgResult: a thin RAII layer over one libpq connection.
//
// Every value reaches the server as a bound parameter in text format, never
// inside the SQL text. Statements run through Exec are prepared once per
// connection and cached by SQL text (named "s1", "s2", ...); ExecOnce runs a
// statement unprepared, so the planner sees the actual values (listings,
// whose best plan depends on the pattern).
//
// Errors: a failed call returns a Status and records the server's SQLSTATE
// and constraint name (sqlstate(), constraint()) for the caller to classify.
// A connection that the server or the network dropped answers kUnavailable
// and reports broken(); the pool then discards it.
//
// Thread-safety: a Connection is used by one thread at a time (the pool
// hands them out); nothing here locks.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace gateway::postgres {

// A parameter: text, or SQL NULL.
using Param = std::optional<std::string>;
using Params = std::vector<Param>;

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult() { PQclear(result_); }

  int rows() const { return PQntuples(result_); }
  // How many rows an INSERT, UPDATE or DELETE touched.
  int64_t affected() const;
  std::string Text(int row, int column) const;
  std::optional<std::string> OptionalText(int row, int column) const;
  int64_t Int(int row, int column) const;

 private:
  PGresult* result_;
};

class Connection {
 public:
  // Bounds the prepared statements kept per connection; beyond it Exec runs
  // statements unprepared (only the listings' shapes vary, and they use ExecOnce).
  static constexpr size_t kMaxPrepared = 256;

  // Connects with `conninfo` (a URL or a keyword string), waiting at most 5 s
  // unless it sets connect_timeout. Failure to reach the server is kUnavailable.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result<PgResult> Exec(const std::string& sql, const Params& params = {});
  Result<PgResult> ExecOnce(const std::string& sql, const Params& params = {});
  // A statement without parameters or rows (BEGIN, COMMIT, DDL).
  Status Command(const char* sql);

  // From the last failed call: the SQLSTATE ("23505") and constraint name,
  // empty when the failure did not come from the server.
  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& constraint() const { return constraint_; }
  // A serialization failure or deadlock: the transaction may be run again.
  bool Retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  // Reads whatever the server sent while the connection sat idle (never
  // blocks: libpq's sockets are non-blocking), so a connection the server
  // closed meanwhile is found broken before it is used.
  bool Alive() {
    PQconsumeInput(conn_);
    return !broken();
  }
  // Whether a transaction is open (or failed and not yet rolled back).
  bool InTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Result<PgResult> Finish(PGresult* result, std::string_view sql);

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::string sqlstate_;
  std::string constraint_;
};

// Whether a Status came from losing the server (kUnavailable).
bool IsUnavailable(const Status& s);

// `conninfo` for logs and banners: postgresql://user@host:port/dbname from
// its parsed parts, never the password; "PostgreSQL" when it does not parse.
std::string DisplayName(const std::string& conninfo);

}  // namespace gateway::postgres
