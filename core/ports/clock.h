// Clock: where the core reads the time, so tests can set it.
//
// Thread-safety: implementations must be safe to call from any thread.
#pragma once

#include <cstdint>

namespace gateway {

class Clock {
 public:
  virtual ~Clock() = default;
  // UTC milliseconds since the Unix epoch.
  virtual int64_t NowMillis() const = 0;
};

// The wall clock.
const Clock& SystemClock();

}  // namespace gateway
