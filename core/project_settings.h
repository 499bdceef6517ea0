// ProjectSettings: the store-wide settings a client may read and change, kept
// in the SettingsStore so every gateway on one database shares them. Today
// that is Elastic Path's page_length, the page size of a listing that names
// none (docs/elastic-path-v2.md, "Settings").
//
// Reads are cached for up to kCacheMillis, so a listing does not read the
// store each time; a change made through this object is seen by it at once,
// one made through another gateway process within kCacheMillis.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <cstdint>
#include <mutex>

#include "core/ports/clock.h"
#include "core/ports/settings_store.h"
#include "core/status.h"

namespace gateway {

class ProjectSettings {
 public:
  static constexpr int64_t kDefaultPageLength = 25;
  static constexpr int64_t kMaxPageLength = 100;
  static constexpr int64_t kCacheMillis = 1000;

  explicit ProjectSettings(SettingsStore& store, const Clock& clock = SystemClock());

  // The stored page length, or kDefaultPageLength when none was ever set.
  Result<int64_t> PageLength();
  // Stores `n` (1..kMaxPageLength; anything else is Invalid("page_length")).
  Status SetPageLength(int64_t n);

 private:
  SettingsStore& store_;
  const Clock& clock_;
  std::mutex mu_;
  int64_t cached_ = kDefaultPageLength;
  int64_t cached_at_ = 0;
  bool cache_valid_ = false;
};

}  // namespace gateway
