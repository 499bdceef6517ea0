// RateLimiter: token buckets by key (a client address, an account name).
//
// Each key may spend `per_minute` attempts at once and regains one every
// 60/per_minute seconds. Memory is bounded: beyond `max_keys` buckets, full
// (idle) ones are dropped first, and if every bucket is in use the older
// half (at least) go — a flood of fresh keys then costs each key its history, never
// the process its memory.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gateway::http {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(int per_minute, size_t max_keys = 100000);

  // Spends one attempt for `key`: 0 when allowed, otherwise the whole seconds
  // (at least 1) until an attempt will be allowed again.
  int Acquire(std::string_view key, Clock::time_point now = Clock::now());
  // Acquire's answer without spending: for limits that count only failures,
  // checked before the attempt and spent after it fails.
  int Check(std::string_view key, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  double Refilled(const Bucket& b, Clock::time_point now) const;
  int Take(std::string_view key, Clock::time_point now, bool spend);
  void Evict(Clock::time_point now);  // requires mu_

  const double capacity_;
  const double per_second_;
  const size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace gateway::http
