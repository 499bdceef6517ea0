// Connection and Statement: a thin RAII layer over one sqlite3 handle.
//
// Statements are prepared once per connection and cached by SQL text; a
// Statement handle resets its cached statement when it goes out of scope.
//
// Thread-safety: a Connection is used by one thread at a time (the repository
// hands them out); nothing here locks.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace gateway::sqlite {

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, const std::optional<std::string>& text);
  Statement& BindNull(int index);

  int Step();  // SQLITE_ROW, SQLITE_DONE, or an error code

  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  int64_t Int(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  // Opens (creating when `create`) the database at `path` with the gateway's
  // pragmas: WAL, synchronous=FULL, foreign keys, a busy timeout.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool create);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Status Exec(const char* sql);
  // Whether a transaction is open. SQLite rolls a whole transaction back by
  // itself after some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, ...);
  // this is how a caller notices.
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // Rolls back the open transaction, if any, and returns `cause`, annotated
  // when the rollback itself failed.
  Status Rollback(Status cause);
  Result<Statement> Prepare(const std::string& sql);
  // The last error on this handle as an internal Status.
  Status Error(std::string_view what) const;
  int ExtendedErrorCode() const { return sqlite3_extended_errcode(db_); }
  sqlite3* raw() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace gateway::sqlite
