// UUIDs (RFC 4122) in their lower-case 8-4-4-4-12 text form, and the random
// bytes behind them.
//
// Randomness comes from OpenSSL's CSPRNG (RAND_bytes), which is thread-safe;
// everything here is safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace gateway {

// `n` bytes from the CSPRNG; throws std::runtime_error if it fails, since no
// id or secret is safe to hand out then.
std::string RandomBytes(size_t n);

// A random (version 4) UUID.
std::string NewUuid();

// The name-based (version 5, SHA-1) UUID of `name` in the namespace whose 16
// raw bytes are `namespace_bytes`: the same inputs always give the same id.
std::string UuidV5(std::string_view namespace_bytes, std::string_view name);

// True for the 8-4-4-4-12 hex form, either case.
bool IsUuid(std::string_view s);

}  // namespace gateway
