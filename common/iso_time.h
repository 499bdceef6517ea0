// Wall-clock time as UTC milliseconds since the epoch, and its ISO 8601 text.
// Safe from any thread. The dev mock's --deterministic mode replaces NowMillis
// with a seeded sequence (common/deterministic.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gateway {

int64_t NowMillis();
// "2017-01-11T18:44:45.123Z"; `with_millis` false gives "2017-01-11T18:44:45Z".
std::string FormatIsoTime(int64_t millis, bool with_millis = true);
// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" and epoch
// milliseconds as digits. Returns UTC milliseconds.
std::optional<int64_t> ParseTimeToMillis(std::string_view text);

}  // namespace gateway
