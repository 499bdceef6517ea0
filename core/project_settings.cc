#include "core/project_settings.h"

#include <charconv>
#include <optional>
#include <string>

namespace gateway {
namespace {

constexpr std::string_view kPageLengthKey = "page_length";

std::optional<int64_t> ParsePageLength(const std::string& text) {
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n < 1 ||
      n > ProjectSettings::kMaxPageLength)
    return std::nullopt;
  return n;
}

}  // namespace

ProjectSettings::ProjectSettings(SettingsStore& store, const Clock& clock)
    : store_(store), clock_(clock) {}

Result<int64_t> ProjectSettings::PageLength() {
  const int64_t now = clock_.NowMillis();
  {
    std::lock_guard lock(mu_);
    if (cache_valid_ && now - cached_at_ < kCacheMillis && now >= cached_at_) return cached_;
  }
  Result<std::optional<std::string>> stored = store_.GetSetting(kPageLengthKey);
  if (!stored.ok()) return stored.status();
  int64_t n = kDefaultPageLength;
  if (*stored) {
    std::optional<int64_t> parsed = ParsePageLength(**stored);
    // Only this class writes the key, always in range.
    if (!parsed) return Status::Internal("stored page_length is not a number from 1 to 100");
    n = *parsed;
  }
  std::lock_guard lock(mu_);
  cached_ = n;
  cached_at_ = now;
  cache_valid_ = true;
  return n;
}

Status ProjectSettings::SetPageLength(int64_t n) {
  if (n < 1 || n > kMaxPageLength) {
    return Status::Invalid("page_length", "page_length must be an integer from 1 to 100");
  }
  if (Status s = store_.PutSetting(kPageLengthKey, std::to_string(n)); !s.ok()) return s;
  std::lock_guard lock(mu_);
  cached_ = n;
  cached_at_ = clock_.NowMillis();
  cache_valid_ = true;
  return Status::Ok();
}

}  // namespace gateway
