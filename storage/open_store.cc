#include "storage/open_store.h"

#include <sys/stat.h>

#include <string_view>

#include "storage/postgres/postgres_repository.h"
#include "storage/sqlite/sqlite_repository.h"

namespace gateway {
namespace {

// Page cache for the writer connection during a bulk import, in KiB.
constexpr int64_t kBulkLoadCacheKib = 8 * 1024;  // measured in docs/benchmarks.md

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<sqlite::SqliteRepository> repo) : repo_(std::move(repo)) {}
  CustomerRepository& customers() override { return *repo_; }
  SettingsStore& settings() override { return *repo_; }
  Status FinishBulkLoad() override { return repo_->FinishBulkLoad(); }

 private:
  std::unique_ptr<sqlite::SqliteRepository> repo_;
};

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::unique_ptr<postgres::PostgresRepository> repo)
      : repo_(std::move(repo)) {}
  CustomerRepository& customers() override { return *repo_; }
  SettingsStore& settings() override { return *repo_; }

 private:
  std::unique_ptr<postgres::PostgresRepository> repo_;
};

bool IsKeywordChar(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

}  // namespace

bool IsPostgres(const std::string& db) {
  std::string_view s = db;
  if (s.starts_with("postgresql://") || s.starts_with("postgres://")) return true;
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  const size_t keyword = i;
  while (i < s.size() && IsKeywordChar(s[i])) ++i;
  if (i == keyword) return false;
  while (i < s.size() && s[i] == ' ') ++i;
  return i < s.size() && s[i] == '=';
}

std::string StoreDisplayName(const std::string& db) {
  return IsPostgres(db) ? postgres::DisplayName(db) : db;
}

bool StoreExists(const std::string& db) {
  if (db == ":memory:" || IsPostgres(db)) return true;
  struct stat st {};
  return stat(db.c_str(), &st) == 0;
}

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  if (IsPostgres(options.db)) {
    postgres::PostgresOptions pg;
    pg.conninfo = options.db;
    if (options.connections > 0) pg.connections = options.connections;
    pg.on_commit_batch = options.on_commit_batch;
    auto repo = postgres::PostgresRepository::Open(pg);
    if (!repo.ok()) return repo.status();
    return std::unique_ptr<Store>(new PostgresStore(std::move(*repo)));
  }
  if (options.must_exist && !StoreExists(options.db)) {
    return Status::Invalid("db", "no database at " + options.db);
  }
  // Files are created for this user only; a database an older gateway left
  // readable by others (it holds every password hash) is tightened.
  if (options.db != ":memory:") {
    for (const char* suffix : {"", "-wal", "-shm"}) chmod((options.db + suffix).c_str(), 0600);
  }
  sqlite::SqliteOptions sqlite;
  sqlite.path = options.db;
  if (options.bulk_load) sqlite.writer_cache_kib = kBulkLoadCacheKib;
  sqlite.defer_indexes = options.bulk_load;
  sqlite.on_commit_batch = options.on_commit_batch;
  Result<std::unique_ptr<sqlite::SqliteRepository>> repo = sqlite::SqliteRepository::Open(sqlite);
  if (!repo.ok()) return repo.status();
  return std::unique_ptr<Store>(new SqliteStore(std::move(*repo)));
}

}  // namespace gateway
