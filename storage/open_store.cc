#include "storage/open_store.h"

#include <sys/stat.h>

#include <string_view>

#include "storage/sqlite/sqlite_repository.h"

namespace gateway {
namespace {

// Page cache for the writer connection during a bulk import, in KiB.
constexpr int64_t kBulkLoadCacheKib = 32 * 1024;  // measured in docs/migration.md

bool IsPostgresUrl(std::string_view db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<sqlite::SqliteRepository> repo) : repo_(std::move(repo)) {}
  CustomerRepository& customers() override { return *repo_; }
  SettingsStore& settings() override { return *repo_; }

 private:
  std::unique_ptr<sqlite::SqliteRepository> repo_;
};

}  // namespace

bool StoreExists(const std::string& db) {
  if (db == ":memory:" || IsPostgresUrl(db)) return true;
  struct stat st {};
  return stat(db.c_str(), &st) == 0;
}

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  if (IsPostgresUrl(options.db)) {
    return Status::Unsupported("PostgreSQL storage is not built into this gateway yet");
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
  sqlite.on_commit_batch = options.on_commit_batch;
  Result<std::unique_ptr<sqlite::SqliteRepository>> repo = sqlite::SqliteRepository::Open(sqlite);
  if (!repo.ok()) return repo.status();
  return std::unique_ptr<Store>(new SqliteStore(std::move(*repo)));
}

}  // namespace gateway
