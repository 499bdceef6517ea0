// PostgresRepository: the CustomerRepository and SettingsStore on one
// PostgreSQL database, shared by any number of gateway processes.
//
// Each call borrows a connection from a pool and runs as one transaction:
// reads in REPEATABLE READ (a customer, a page and its total come from one
// snapshot), writes in READ COMMITTED with the rows they rewrite locked
// (SELECT ... FOR UPDATE), so concurrent read-modify-writes from any process
// serialize per customer and never lose each other's fields. A transaction
// that fails on a serialization failure or deadlock is run again (its
// Mutation or merge with it). Commits wait for the WAL flush
// (synchronous_commit on): a write returns only once it is durable.
//
// A lost server answers kUnavailable with a message fit for API clients
// (the server's own words go to stderr, once per outage); the pool drops the
// broken connection and the next call connects afresh.
//
// Thread-safety: all methods are safe to call from any number of threads.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "core/ports/customer_repository.h"
#include "core/ports/settings_store.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/pool.h"

namespace gateway::postgres {

struct PostgresOptions {
  std::string conninfo;     // a postgresql:// URL or a libpq keyword string
  size_t connections = 16;  // pool size: the most calls served at once
  // Called after each committed write transaction with the number of writes
  // it committed (one, or an import batch's records), for the same
  // batch-size metric SQLite's group commit feeds. Must be quick and must not
  // call the store.
  std::function<void(size_t)> on_commit_batch = nullptr;
};

class PostgresRepository final : public CustomerRepository, public SettingsStore {
 public:
  // Connects and migrates the schema; kUnavailable when the server cannot be
  // reached.
  static Result<std::unique_ptr<PostgresRepository>> Open(const PostgresOptions& options);

  Status Insert(const Customer& customer) override;
  Result<Customer> Get(std::string_view id) override;
  Result<Customer> FindByEmail(std::string_view email) override;
  Result<Customer> Update(std::string_view id, const Mutation& mutate) override;
  Status Remove(std::string_view id) override;
  Result<CustomerPage> List(const CustomerQuery& query) override;
  BatchResult UpsertBatch(const std::vector<Customer>& customers,
                          const UpsertMerge& merge = {}) override;
  Status ForEach(const std::function<void(const Customer&)>& visit) override;
  Result<uint64_t> ReplaceAll(const std::vector<Customer>& customers) override;
  Result<std::map<std::string, int64_t>> CountByPasswordScheme() override;
  Result<std::string> GetOrCreateSetting(std::string_view key,
                                         const std::function<std::string()>& make) override;
  Result<std::optional<std::string>> GetSetting(std::string_view key) override;
  Status PutSetting(std::string_view key, std::string_view value) override;
  Result<bool> ReplaceSetting(std::string_view key, std::string_view expected,
                              std::string_view value) override;

  // The plan of the page query for `query`, for tests of index use.
  Result<std::string> Explain(const CustomerQuery& query);

 private:
  // kStatement: a job of one statement that may run twice (a read, or an
  // idempotent write): its own snapshot, no BEGIN and COMMIT round trips.
  enum class Mode { kStatement, kRead, kWrite };
  using Job = std::function<Status(Connection&)>;

  explicit PostgresRepository(const PostgresOptions& options)
      : pool_(options.conninfo, options.connections), on_commit_batch_(options.on_commit_batch) {}
  // Runs `job` in one transaction on a pooled connection, again when it
  // fails retryably. A call made from inside a job's callbacks on the same
  // thread is refused (kInternal): it would wait on the caller's own locks.
  // `writes` is what a committed kWrite job reports to on_commit_batch.
  Status Run(Mode mode, const Job& job, size_t writes = 1);
  Status RunOnce(Mode mode, const Job& job, size_t writes);

  ConnectionPool pool_;
  const std::function<void(size_t)> on_commit_batch_;
  std::atomic<bool> reachable_{true};  // false from a kUnavailable until a call succeeds
};

}  // namespace gateway::postgres
