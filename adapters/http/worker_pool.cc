#include "adapters/http/worker_pool.h"

#include <algorithm>
#include <chrono>

namespace gateway::http {
namespace {

constexpr auto kIdleThreadLife = std::chrono::seconds(60);
thread_local bool t_overflow = false;
thread_local size_t t_overflow_backlog = 0;

}  // namespace

WorkerPool::WorkerPool(size_t min_threads, size_t max_connections)
    : min_threads_(std::max<size_t>(1, min_threads)),
      max_connections_(std::max(max_connections, min_threads_)) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < min_threads_; ++i) threads_.emplace_back([this] { Work(); });
  overflow_thread_ = std::thread([this] { Overflow(); });
}

WorkerPool::~WorkerPool() {
  if (!shutdown_) shutdown();
}

bool WorkerPool::InOverflow() { return t_overflow; }

size_t WorkerPool::OverflowBacklog() { return t_overflow_backlog; }

void WorkerPool::enqueue(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  ReapExited();
  if (busy_ + jobs_.size() >= max_connections_) {
    overflow_jobs_.push_back(std::move(fn));
    overflow_cv_.notify_one();
    return;
  }
  jobs_.push_back(std::move(fn));
  if (idle_ < jobs_.size()) {
    threads_.emplace_back([this] { Work(); });
  } else {
    work_cv_.notify_one();
  }
}

void WorkerPool::ReapExited() {
  for (std::thread::id id : exited_) {
    auto it = std::find_if(threads_.begin(), threads_.end(),
                           [id](const std::thread& t) { return t.get_id() == id; });
    if (it != threads_.end()) {
      it->join();
      threads_.erase(it);
    }
  }
  exited_.clear();
}

void WorkerPool::Work() {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    bool woken =
        work_cv_.wait_for(lock, kIdleThreadLife, [this] { return shutdown_ || !jobs_.empty(); });
    --idle_;
    if (jobs_.empty()) {
      if (shutdown_) return;
      if (!woken && threads_.size() - exited_.size() > min_threads_) {
        exited_.push_back(std::this_thread::get_id());
        return;
      }
      continue;
    }
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    ++busy_;
    lock.unlock();
    job();
    lock.lock();
    --busy_;
  }
}

void WorkerPool::Overflow() {
  t_overflow = true;
  std::unique_lock lock(mu_);
  for (;;) {
    overflow_cv_.wait(lock, [this] { return shutdown_ || !overflow_jobs_.empty(); });
    if (overflow_jobs_.empty()) return;
    std::function<void()> job = std::move(overflow_jobs_.front());
    overflow_jobs_.pop_front();
    t_overflow_backlog = overflow_jobs_.size();
    lock.unlock();
    job();
    lock.lock();
  }
}

void WorkerPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    shutdown_ = true;
    work_cv_.notify_all();
    overflow_cv_.notify_all();
  }
  overflow_thread_.join();
  // Threads are only added by enqueue, which the accept loop no longer calls.
  for (;;) {
    std::thread t;
    {
      std::lock_guard lock(mu_);
      if (threads_.empty()) break;
      t = std::move(threads_.back());
      threads_.pop_back();
    }
    t.join();
  }
}

}  // namespace gateway::http
