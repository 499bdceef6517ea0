// Deterministic time and ids for the dev mock's snapshot tests
// (`serve --deterministic SEED`): once started, NowMillis and NewUuid follow
// a sequence fixed by the seed instead of the system clock and the CSPRNG.
// Time starts at 2025-01-01T00:00:00.000Z and moves one millisecond per
// reading; ids stay valid version 4 UUIDs. Salts and secrets stay random.
// The sequence is only reproducible for a client that sends one request at
// a time. Never for production: ids become predictable.
//
// Thread-safety: all functions are safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace gateway::deterministic {

// Where a sequence stands; saved with a snapshot, restored with it.
struct Position {
  uint64_t seed = 0;
  uint64_t ticks = 0;  // time readings so far
  uint64_t ids = 0;    // ids handed out so far
};

void Start(uint64_t seed);
// Back to the system clock and CSPRNG; for tests that started a sequence.
void Stop();
bool Active();
// The current position, or nullopt when not started.
std::optional<Position> Save();
// Moves the sequence to `at` (from Save); a no-op when not started.
void Restore(const Position& at);

// The next reading and id; only called while Active().
int64_t NextMillis();
std::string NextUuid();

}  // namespace gateway::deterministic
