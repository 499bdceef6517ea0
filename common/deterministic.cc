#include "common/deterministic.h"

#include <atomic>
#include <mutex>

namespace gateway::deterministic {
namespace {

constexpr int64_t kStartMillis = 1735689600000;  // 2025-01-01T00:00:00.000Z

std::atomic<bool> active{false};
std::mutex mu;
Position position;

// SplitMix64: a small, well-mixed generator, so ids from consecutive
// counters look unrelated while each is a pure function of seed and count.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

void Start(uint64_t seed) {
  std::lock_guard lock(mu);
  position = Position{seed, 0, 0};
  active.store(true);
}

void Stop() { active.store(false); }

bool Active() { return active.load(std::memory_order_relaxed); }

std::optional<Position> Save() {
  if (!Active()) return std::nullopt;
  std::lock_guard lock(mu);
  return position;
}

void Restore(const Position& at) {
  if (!Active()) return;
  std::lock_guard lock(mu);
  position = at;
}

int64_t NextMillis() {
  std::lock_guard lock(mu);
  return kStartMillis + static_cast<int64_t>(position.ticks++);
}

std::string NextUuid() {
  uint64_t hi, lo;
  {
    std::lock_guard lock(mu);
    const uint64_t n = position.ids++;
    hi = Mix(position.seed ^ Mix(2 * n));
    lo = Mix(position.seed ^ Mix(2 * n + 1));
  }
  unsigned char b[16];
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<unsigned char>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<unsigned char>(lo >> (56 - 8 * i));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 15]);
  }
  return out;
}

}  // namespace gateway::deterministic
