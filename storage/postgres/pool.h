// ConnectionPool: at most `size` connections to one database, opened on
// first need and reused. A connection that broke (server restarted, network
// lost) or was left inside a transaction is discarded on return, so the next
// caller connects afresh: the gateway reconnects by itself once the server
// is back.
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/postgres/connection.h"

namespace gateway::postgres {

class ConnectionPool;

// A connection borrowed from the pool, returned when the lease ends.
class Lease {
 public:
  Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<Connection> conn_;
};

class ConnectionPool {
 public:
  // A caller waits at most `wait` for a connection when all `size` are busy.
  ConnectionPool(std::string conninfo, size_t size,
                 std::chrono::milliseconds wait = std::chrono::seconds(30));

  // kUnavailable when the server cannot be reached or no connection freed up in time.
  Result<Lease> Acquire();

 private:
  friend class Lease;
  void Release(std::unique_ptr<Connection> conn);

  const std::string conninfo_;
  const size_t size_;
  const std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;  // idle plus leased
};

}  // namespace gateway::postgres
