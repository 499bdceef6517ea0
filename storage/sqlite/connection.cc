#include "storage/sqlite/connection.h"

#include <stdexcept>

namespace gateway::sqlite {

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (leased_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *leased_ = false;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

int Statement::IndexOf(const char* name) const {
  const int index = sqlite3_bind_parameter_index(stmt_, name);
  if (index == 0) throw std::logic_error(std::string("no SQL parameter named ") + name);
  return index;
}

Statement& Statement::Bind(const char* name, std::string_view text) {
  return Bind(IndexOf(name), text);
}

Statement& Statement::Bind(const char* name, int64_t value) { return Bind(IndexOf(name), value); }

Statement& Statement::Bind(const char* name, const std::optional<std::string>& text) {
  return Bind(IndexOf(name), text);
}

int Statement::Step() { return sqlite3_step(stmt_); }

std::string Statement::Text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return Text(column);
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool create) {
  // Memory statistics take a process-wide mutex around every allocation
  // SQLite makes (several per statement); nothing reads them. Only possible
  // before SQLite initializes, so once, before the first open.
  static const int kNoMemoryStatistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kNoMemoryStatistics;
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::Internal("cannot open database " + path + ": " + why);
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 1);
  // journal_mode returns a row; Exec ignores it. ":memory:" stays in memory mode.
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                             "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY"}) {
    if (Status s = conn->Exec(pragma); !s.ok()) {
      return Status::Internal("cannot open database " + path + ": " + s.message());
    }
  }
  return conn;
}

Connection::~Connection() {
  // Every lease has ended: leases never outlive the Connection they came from.
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

Status Connection::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string why = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    return Status::Internal(why);
  }
  return Status::Ok();
}

Status Connection::Run(const std::string& sql) {
  Result<Statement> st = Prepare(sql);
  if (!st.ok()) return st.status();
  int rc;
  while ((rc = st->Step()) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return Status::Internal(sqlite3_errmsg(db_));
  return Status::Ok();
}

Status Connection::Rollback(Status cause) {
  if (!InTransaction()) return cause;
  if (Status s = Exec("ROLLBACK"); !s.ok()) {
    return Status::Internal(cause.message() + " (and rollback failed: " + s.message() + ")");
  }
  return cause;
}

Result<Statement> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.leased) {
    it->second.leased = true;
    return Statement(it->second.stmt, &it->second.leased);
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error("prepare");
  }
  if (it != cache_.end()) return Statement(stmt, nullptr);  // the cached one is in use
  // Listing queries vary in shape; bound the cache rather than grow forever.
  // Leased statements are being stepped by someone: they stay.
  if (cache_.size() >= kMaxCachedStatements) {
    for (auto e = cache_.begin(); e != cache_.end();) {
      if (e->second.leased) {
        ++e;
      } else {
        sqlite3_finalize(e->second.stmt);
        e = cache_.erase(e);
      }
    }
  }
  Cached& cached = cache_.emplace(sql, Cached{stmt}).first->second;
  cached.leased = true;
  return Statement(stmt, &cached.leased);
}

Status Connection::Error(std::string_view what) const {
  return Status::Internal(std::string(what) + ": " + sqlite3_errmsg(db_));
}

}  // namespace gateway::sqlite
