// Argon2 hashes imported from other platforms, in the PHC string form that
// libargon2, PHP's password_hash, Django's Argon2PasswordHasher, argon2-cffi
// and Keycloak write:
//   $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>
// (Django prefixes it with its algorithm name, "argon2$argon2id$...")
// (also $argon2i$ and $argon2d$, and hashes without v= from version 1.0),
// salt and hash in unpadded standard base64. Verification recomputes the hash
// with libargon2 on the calling thread only (lanes are computed one after
// another, never on threads of its own) and compares in constant time.
//
// Cost is bounded so a hostile import cannot stall logins: memory at most
// kMaxArgon2MemoryKiB, and memory × passes at most kMaxArgon2WorkKiB (about
// 1.5 s of one core on the reference machine, figures in docs/migration.md;
// the defaults of PHP, Django, argon2-cffi and OWASP's advice are far below). A hash over a bound
// is not parsed at all: Argon2Refusal says why, so an import can name the reason.
//
// Thread-safety: stateless; safe to call concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gateway {

constexpr uint32_t kMaxArgon2MemoryKiB = 1u << 20;         // 1 GiB, as for scrypt/yescrypt
constexpr uint64_t kMaxArgon2WorkKiB = uint64_t{1} << 20;  // e.g. 1 GiB × 1 pass, 64 MiB × 16
constexpr uint32_t kMaxArgon2Lanes = 16;

struct Argon2Hash {
  int type = 0;          // libargon2's argon2_type: 0 d, 1 i, 2 id
  uint32_t version = 0;  // 0x10 or 0x13
  uint32_t memory_kib = 0;
  uint32_t passes = 0;
  uint32_t lanes = 0;
  std::string salt;
  std::string hash;
};

// The hash if `encoded` is a well-formed Argon2 PHC string within the bounds.
std::optional<Argon2Hash> ParseArgon2(std::string_view encoded);

// Why an Argon2-looking string (one starting "$argon2" or "argon2$") is refused, in words
// for an import's rejection line; empty when it is accepted or not Argon2.
std::string Argon2Refusal(std::string_view encoded);

// True when `password` derives `h.hash` under `h`'s parameters.
bool VerifyArgon2(std::string_view password, const Argon2Hash& h);

}  // namespace gateway
