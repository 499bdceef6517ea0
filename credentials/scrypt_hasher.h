// ScryptHasher: the PasswordHasher as salted, memory-hard scrypt hashes.
//
// New hashes use scrypt (OpenSSL EVP_PBE_scrypt) encoded as
//   $scrypt$ln=<log2 N>,r=<r>,p=<p>$<base64 salt>$<base64 key>
// so parameters can change later and old hashes still verify. Imported crypt(3)
// hashes (md5crypt $1$, sha-crypt $5$/$6$, yescrypt $y$, scrypt $7$, bcrypt
// $2a$/$2b$/$2y$) verify through libxcrypt's crypt_rn when crypt_checksalt
// accepts them and their cost parameters are within fixed bounds (so a hostile
// import cannot make logins stall the server); so do Django's PBKDF2-SHA256
// hashes (pbkdf2_sha256$<iterations>$<salt>$<base64 key>, OpenSSL
// PKCS5_PBKDF2_HMAC) and Argon2 hashes ($argon2id$, $argon2i$, $argon2d$,
// credentials/argon2_hash.h). Imported hashes report NeedsRehash() so the caller can
// upgrade them on the next login.
//
// Hashing is deliberately slow and memory-hungry, so concurrent hashes are
// bounded by a semaphore: callers beyond the bound wait here, never while
// holding a database lock. Comparisons are constant-time.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>

#include "core/ports/password_hasher.h"

namespace gateway {

struct ScryptParams {
  int log_n = 15;  // N = 2^15: 32 MiB and ~150 ms per hash on the reference machine
  int r = 8;
  int p = 1;
};

class ScryptHasher final : public PasswordHasher {
 public:
  ScryptHasher(ScryptParams params, int max_concurrent);

  std::string Hash(std::string_view password) override;
  bool Verify(std::string_view password, std::string_view encoded) override;
  bool NeedsRehash(std::string_view encoded) const override;
  // True for hashes Verify checks: scrypt as above, a bounded crypt(3) hash,
  // a bounded Django PBKDF2-SHA256 hash, or a bounded Argon2 hash.
  static bool IsSupportedFormat(std::string_view encoded);

 private:
  class Slot;

  ScryptParams params_;
  std::mutex mu_;
  std::condition_variable cv_;
  int available_;
};

}  // namespace gateway
