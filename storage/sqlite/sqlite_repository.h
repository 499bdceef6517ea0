// SqliteRepository: the CustomerRepository on one SQLite database file.
//
// Writes go through a single writer thread that commits whatever requests are
// waiting as one transaction (group commit), each request inside its own
// savepoint so one request's failure rolls back only that request. A caller
// returns only after the transaction holding its write has committed with
// synchronous=FULL: nothing acknowledged is lost on a crash.
// Reads use a pool of connections that run beside the writer (WAL). With
// path ":memory:" every call runs on the writer's connection instead.
//
// Thread-safety: all methods are safe to call from any number of threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/ports/customer_repository.h"
#include "core/ports/settings_store.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/group_commit.h"

namespace gateway::sqlite {

struct SqliteOptions {
  std::string path = "customer-gateway.db";
  size_t max_batch = 256;  // requests committed together at most
  // Page cache of the writer connection in KiB; 0 keeps SQLite's default
  // (2 MiB). A bulk import touches pages all over every index in each
  // transaction and runs several times faster when they stay cached.
  int64_t writer_cache_kib = 0;
  // Called on the writer thread with each group's size once it committed (or
  // failed), before its callers return; see StoreOptions::on_commit_batch.
  std::function<void(size_t)> on_commit_batch = nullptr;
  // A bulk import: when no other gateway process has the file open and it
  // holds no customers yet (or an interrupted import left its indexes
  // pending), the listing and substring indexes are dropped and rebuilt by
  // FinishBulkLoad (see bulk_load.h). Meanwhile no other gateway may open
  // the file: Open refuses with a message saying why.
  bool defer_indexes = false;
};

class SqliteRepository final : public CustomerRepository, public SettingsStore {
 public:
  static Result<std::unique_ptr<SqliteRepository>> Open(const SqliteOptions& options);
  ~SqliteRepository() override;  // drains queued writes, then closes

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

  // Builds the indexes a bulk load deferred, in one transaction; nothing
  // when none are pending. Another process may then open the database.
  Status FinishBulkLoad();
  // Whether this repository dropped indexes it has not rebuilt yet.
  bool indexes_deferred() const;

  // Commits statistics, for benchmarks: transactions and requests committed.
  struct Stats {
    uint64_t transactions = 0;
    uint64_t writes = 0;
  };
  Stats stats() const;

 private:
  struct PendingWrite;

  // `lock_fd` is the database file held with flock (shared, or exclusive
  // while indexes are deferred), -1 in memory; closed after every
  // connection, since closing a descriptor of the file drops the process's
  // fcntl locks on it, which SQLite's own locking relies on.
  SqliteRepository(SqliteOptions options, std::unique_ptr<Connection> writer, int lock_fd,
                   bool deferring);
  // Runs `job` in a write transaction. Normally it shares the transaction
  // with other waiting requests, inside a savepoint of its own; an `alone`
  // job gets a transaction to itself and no savepoint, for jobs that open
  // savepoints of their own (UpsertBatch): SQLite keeps a nested savepoint's
  // journal in memory and walks it on every release, which made batches
  // quadratic in their size.
  Status Write(const Job& job, bool alone = false);
  Status Read(const Job& job);
  // Mutations, merges and (for ":memory:") visitors run on the writer thread;
  // a repository call from there is refused instead of deadlocking.
  bool OnWriterThread() const;
  static Status ReentrantCall();
  void WriterLoop();
  void CommitBatch(std::vector<PendingWrite*>& batch);

  const SqliteOptions options_;
  const bool in_memory_;
  std::unique_ptr<Connection> writer_conn_;
  const int lock_fd_;
  bool deferring_;  // guarded by write_mu_

  mutable std::mutex write_mu_;
  std::condition_variable write_cv_;
  std::condition_variable done_cv_;
  std::deque<PendingWrite*> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread writer_;

  std::mutex read_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
};

}  // namespace gateway::sqlite
