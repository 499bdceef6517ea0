// Connection and Statement: a thin RAII layer over one sqlite3 handle.
//
// Statements are prepared once per connection and cached by SQL text. A
// Statement is a lease on a cached statement: while it lives, the cache never
// finalizes or hands out that statement again (a second Prepare of the same
// SQL meanwhile, e.g. from a nested call, gets a statement of its own), and
// when it goes out of scope the statement is reset and returned.
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
  // `leased` is the cache's in-use flag for `stmt`; nullptr means the
  // Statement owns `stmt` and finalizes it.
  Statement(sqlite3_stmt* stmt, bool* leased) : stmt_(stmt), leased_(leased) {}
  Statement(Statement&& other) noexcept : stmt_(other.stmt_), leased_(other.leased_) {
    other.stmt_ = nullptr;
  }
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Binds a named parameter (":email"); binding a name the SQL does not
  // contain is a programming error and throws std::logic_error.
  Statement& Bind(const char* name, std::string_view text);
  Statement& Bind(const char* name, const std::string& text) {
    return Bind(name, std::string_view(text));
  }
  Statement& Bind(const char* name, int64_t value);
  Statement& Bind(const char* name, const std::optional<std::string>& text);

  // Positional parameters are 1-based, as in SQLite.
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
  int IndexOf(const char* name) const;

  sqlite3_stmt* stmt_;
  bool* leased_;
};

class Connection {
 public:
  static constexpr size_t kMaxCachedStatements = 512;

  // Opens (creating when `create`) the database at `path` with the gateway's
  // pragmas: WAL, synchronous=FULL, foreign keys, a busy timeout.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool create);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL text (any number of statements), parsing it every time.
  Status Exec(const char* sql);
  // Runs one statement from the statement cache: for the transaction control
  // (BEGIN, SAVEPOINT, RELEASE, COMMIT) run several times per request, which
  // Exec would parse each time.
  Status Run(const std::string& sql);
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
  // Statements held in the cache (for tests of its bounds).
  size_t cached_statements() const { return cache_.size(); }
  sqlite3* raw() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  struct Cached {
    sqlite3_stmt* stmt;
    bool leased = false;
  };

  sqlite3* db_;
  // Node-based: a lease's pointer to its entry's flag survives rehashing.
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace gateway::sqlite
