// Token buckets by key: a burst, the refill rate, Retry-After, bounded keys.
#include <doctest/doctest.h>

#include "adapters/http/rate_limiter.h"

namespace gateway::http {
namespace {

using std::chrono::seconds;

TEST_CASE("a key spends its burst, then waits for the refill") {
  RateLimiter limiter(6);  // 6 at once, then one every 10 s
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(1000);
  for (int i = 0; i < 6; ++i) CHECK(limiter.Acquire("a", t0) == 0);
  CHECK(limiter.Acquire("a", t0) == 10);
  CHECK(limiter.Acquire("b", t0) == 0);  // keys are independent
  CHECK(limiter.Acquire("a", t0 + seconds(4)) == 6);
  CHECK(limiter.Acquire("a", t0 + seconds(10)) == 0);
  CHECK(limiter.Acquire("a", t0 + seconds(10)) == 10);
}

TEST_CASE("Check answers like Acquire without spending") {
  RateLimiter limiter(2);
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(1000);
  for (int i = 0; i < 5; ++i) CHECK(limiter.Check("a", t0) == 0);
  CHECK(limiter.Acquire("a", t0) == 0);
  CHECK(limiter.Acquire("a", t0) == 0);
  CHECK(limiter.Check("a", t0) == 30);
}

TEST_CASE("a flood of fresh keys stays bounded and keeps working") {
  RateLimiter limiter(1, 100);
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(1000);
  for (int i = 0; i < 1000; ++i) CHECK(limiter.Acquire("k" + std::to_string(i), t0) == 0);
  CHECK(limiter.Acquire("k999", t0) > 0);
  CHECK(limiter.Acquire("k999", t0 + seconds(60)) == 0);
}

}  // namespace
}  // namespace gateway::http
