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

#include "core/customer_repository.h"
#include "storage/sqlite/connection.h"

namespace gateway::sqlite {

struct SqliteOptions {
  std::string path = "customer-gateway.db";
  size_t max_batch = 256;  // requests committed together at most
};

class SqliteRepository final : public CustomerRepository {
 public:
  static Result<std::unique_ptr<SqliteRepository>> Open(const SqliteOptions& options);
  ~SqliteRepository() override;  // drains queued writes, then closes

  Status Insert(const Customer& customer) override;
  Result<Customer> Get(std::string_view id) override;
  Result<Customer> FindByEmail(std::string_view email) override;
  Result<Customer> Update(std::string_view id, const Mutation& mutate) override;
  Status Remove(std::string_view id) override;
  Result<CustomerPage> List(const CustomerQuery& query) override;
  BatchResult UpsertBatch(const std::vector<Customer>& customers) override;
  Status ForEach(const std::function<void(const Customer&)>& visit) override;
  Result<std::string> GetOrCreateSetting(std::string_view key,
                                         const std::function<std::string()>& make) override;

  // Commits statistics, for benchmarks: transactions and requests committed.
  struct Stats {
    uint64_t transactions = 0;
    uint64_t writes = 0;
  };
  Stats stats() const;

 private:
  using Job = std::function<Status(Connection&)>;
  struct PendingWrite;

  SqliteRepository(SqliteOptions options, std::unique_ptr<Connection> writer);
  Status Write(const Job& job);
  Status Read(const Job& job);
  void WriterLoop();
  void CommitBatch(std::vector<PendingWrite*>& batch);

  const SqliteOptions options_;
  const bool in_memory_;
  std::unique_ptr<Connection> writer_conn_;

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
