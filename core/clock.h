// Time and identity: UTC milliseconds, ISO 8601 rendering, and random ids.
//
// Ids and salts come from OpenSSL's CSPRNG (RAND_bytes), which is thread-safe.
// The dev mock's --deterministic mode replaces NowMillis and NewUuid with a
// seeded sequence (core/deterministic.h).
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

std::string RandomBytes(size_t n);
std::string NewUuid();  // RFC 4122 version 4, lower-case
bool IsUuid(std::string_view s);

}  // namespace gateway
