// WorkerPool: cpp-httplib's task queue, one job per accepted connection.
//
// cpp-httplib serves a connection on one thread from its first request to its
// close, so a fixed pool of N threads answers only N clients and the N+1st
// waits behind idle keep-alives. This pool grows a thread whenever no thread
// is free, up to `max_connections` connections at once, and lets threads
// beyond `min_threads` go after a minute idle. A connection beyond the bound
// is not queued: it runs on the overflow thread, where InOverflow() is true,
// so the server answers it 503 at once and closes it.
//
// Thread-safety: enqueue is called by the accept loop; shutdown once, after it.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gateway::http {

class WorkerPool final : public httplib::TaskQueue {
 public:
  WorkerPool(size_t min_threads, size_t max_connections);
  ~WorkerPool() override;

  void enqueue(std::function<void()> fn) override;
  // Finishes every accepted connection, then joins all threads.
  void shutdown() override;

  // True on the overflow thread: the connection being served is one too many.
  static bool InOverflow();
  // On the overflow thread: how many more connections wait to be refused.
  static size_t OverflowBacklog();

 private:
  void Work();
  void Overflow();
  void ReapExited();  // requires mu_

  const size_t min_threads_;
  const size_t max_connections_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable overflow_cv_;
  std::deque<std::function<void()>> jobs_;
  std::deque<std::function<void()>> overflow_jobs_;
  std::vector<std::thread> threads_;
  std::vector<std::thread::id> exited_;
  size_t idle_ = 0;
  size_t busy_ = 0;
  bool shutdown_ = false;
  std::thread overflow_thread_;
};

}  // namespace gateway::http
