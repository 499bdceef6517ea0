#include "common/iso_time.h"
#include "core/ports/clock.h"

namespace gateway {
namespace {

// The wall clock, or the seeded sequence of `serve --deterministic`
// (common/deterministic.h), exactly as NowMillis gives it.
class WallClock final : public Clock {
 public:
  int64_t NowMillis() const override { return gateway::NowMillis(); }
};

}  // namespace

const Clock& SystemClock() {
  static const WallClock clock;
  return clock;
}

}  // namespace gateway
