// FakeClock: a Clock that stands still until a test moves it, so tests get
// distinct, known timestamps without sleeping.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/ports/clock.h"

namespace gateway::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_millis = 1'700'000'000'000) : now_(start_millis) {}
  int64_t NowMillis() const override { return now_.load(); }
  void Advance(int64_t millis) { now_ += millis; }
  void Set(int64_t millis) { now_ = millis; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace gateway::testing
