#include "storage/postgres/pool.h"

namespace gateway::postgres {

Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

ConnectionPool::ConnectionPool(std::string conninfo, size_t size, std::chrono::milliseconds wait)
    : conninfo_(std::move(conninfo)), size_(size < 1 ? 1 : size), wait_(wait) {}

Result<Lease> ConnectionPool::Acquire() {
  {
    std::unique_lock lock(mu_);
    if (!freed_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < size_; })) {
      return Status::Unavailable("all " + std::to_string(size_) +
                                 " PostgreSQL connections stayed busy");
    }
    while (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->Alive()) return Lease(this, std::move(conn));
      --open_;  // closed by the server while idle (restart, idle timeout)
    }
    ++open_;  // reserved while connecting, outside the lock
  }
  Result<std::unique_ptr<Connection>> opened = Connection::Open(conninfo_);
  if (!opened.ok()) {
    {
      std::lock_guard lock(mu_);
      --open_;
    }
    freed_.notify_one();
    return opened.status();
  }
  return Lease(this, std::move(*opened));
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mu_);
    if (conn->broken() || conn->InTransaction()) {
      --open_;
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  freed_.notify_one();
}

}  // namespace gateway::postgres
