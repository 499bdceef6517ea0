#include "adapters/http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gateway::http {

RateLimiter::RateLimiter(int per_minute, size_t max_keys)
    : capacity_(std::max(1, per_minute)),
      per_second_(std::max(1, per_minute) / 60.0),
      max_keys_(std::max<size_t>(2, max_keys)) {}

double RateLimiter::Refilled(const Bucket& b, Clock::time_point now) const {
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  return std::min(capacity_, b.tokens + std::max(0.0, elapsed) * per_second_);
}

void RateLimiter::Evict(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = Refilled(it->second, now) >= capacity_ ? buckets_.erase(it) : std::next(it);
  }
  if (buckets_.size() < max_keys_) return;
  std::vector<Clock::time_point> times;
  times.reserve(buckets_.size());
  for (const auto& [key, b] : buckets_) times.push_back(b.updated);
  auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
  std::nth_element(times.begin(), middle, times.end());
  const Clock::time_point cutoff = *middle;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = it->second.updated <= cutoff ? buckets_.erase(it) : std::next(it);
  }
}

int RateLimiter::Acquire(std::string_view key, Clock::time_point now) {
  return Take(key, now, true);
}

int RateLimiter::Check(std::string_view key, Clock::time_point now) {
  return Take(key, now, false);
}

int RateLimiter::Take(std::string_view key, Clock::time_point now, bool spend) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (!spend) return 0;
    if (buckets_.size() >= max_keys_) Evict(now);
    it = buckets_.emplace(std::string(key), Bucket{capacity_, now}).first;
  }
  Bucket& b = it->second;
  b.tokens = Refilled(b, now);
  b.updated = now;
  if (b.tokens >= 1.0) {
    if (spend) b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / per_second_)));
}

}  // namespace gateway::http
