// OpenStore: the one place that turns `--db` into the storage ports. The
// serve, import and export commands all open their store here, so an engine
// is added by one branch below and one folder under storage/.
//
//   postgresql://..., postgres://...
//                          PostgreSQL, a libpq connection URL
//   host=... dbname=...    PostgreSQL, a libpq keyword string: `db` begins
//                          (after optional spaces) with a keyword of ASCII
//                          letters and underscores followed by optional
//                          spaces and '=' (IsPostgres). A file whose name
//                          looks like that is reached as ./name.
//   :memory:               SQLite in memory, empty at every start
//   anything else          SQLite database file at that path (created when
//                          missing unless `must_exist`)
//
// PostgreSQL: the database must exist; its tables are created (or migrated)
// on open, and `must_exist` and `bulk_load` change nothing.
//
// Thread-safety: OpenStore may be called from any thread; a Store is safe for
// concurrent use through its ports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/ports/customer_repository.h"
#include "core/ports/settings_store.h"
#include "core/status.h"

namespace gateway {

struct StoreOptions {
  std::string db = "customer-gateway.db";
  // Refuse to create a store that is not there yet (export, dry-run import).
  bool must_exist = false;
  // A bulk import touches pages all over every index in each transaction and
  // runs several times faster when the engine caches more of them. SQLite
  // may also defer its listing and search indexes until FinishBulkLoad
  // (storage/sqlite/bulk_load.h).
  bool bulk_load = false;
  // Called with the number of writes each commit committed together (for a
  // batch-size metric): SQLite's group commit reports its groups, PostgreSQL
  // each write transaction (one write, or an import batch's records). Runs
  // after the commit, before those writes return: it must be quick and must
  // not call the store.
  std::function<void(size_t)> on_commit_batch = nullptr;
  // The most calls served at once, for engines that hold one connection per
  // call (PostgreSQL's pool); 0 keeps the engine's default. Serve passes its
  // worker count.
  size_t connections = 0;
};

class Store {
 public:
  virtual ~Store() = default;  // drains queued writes, then closes
  virtual CustomerRepository& customers() = 0;
  virtual SettingsStore& settings() = 0;
  // Ends a bulk load: builds whatever indexes it deferred (durably) so the
  // store serves at full speed. Indexes still pending when a store is
  // destroyed without it are built by the next OpenStore of that database.
  virtual Status FinishBulkLoad() { return Status::Ok(); }
};

// Whether `db` is a PostgreSQL URL or keyword string (see above).
bool IsPostgres(const std::string& db);

// `db` as logs and banners may show it: a PostgreSQL connection string
// without its password; anything else as it is.
std::string StoreDisplayName(const std::string& db);

// Whether `db` names a store that already exists. Always true for PostgreSQL
// and :memory: (opening reports a missing database).
bool StoreExists(const std::string& db);

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace gateway
