#include "core/ports/clock.h"

#include "common/iso_time.h"

namespace gateway {
namespace {

// common's NowMillis, so the dev mock's --deterministic sequence
// (common/deterministic.h) reaches every timestamp the core stamps.
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
