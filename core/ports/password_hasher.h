// PasswordHasher: the port through which the core hashes and checks passwords.
//
// An encoded hash is self-describing text (scheme and parameters included),
// stored as it is and handed back to Verify. Implementations (credentials/)
// are deliberately slow; the core calls them before any storage call, so no
// storage lock is ever held while hashing.
//
// Thread-safety: implementations must be safe for concurrent use.
#pragma once

#include <string>
#include <string_view>

namespace gateway {

// True for a bcrypt hash ("$2a$", "$2b$" or "$2y$"), the scheme MicroBase
// stores: the one place that recognises it, for the hasher's cost bounds, the
// password-scheme counts and the MicroBase import's "newer hash" rule.
inline bool IsBcryptHash(std::string_view encoded) {
  return encoded.starts_with("$2a$") || encoded.starts_with("$2b$") || encoded.starts_with("$2y$");
}

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;

  // A new salted hash of `password` in the current scheme.
  virtual std::string Hash(std::string_view password) = 0;
  // Whether `password` matches `encoded`, in time independent of where they
  // differ. An encoded hash in no format the implementation knows never matches.
  virtual bool Verify(std::string_view password, std::string_view encoded) = 0;
  // True when `encoded` is not in the current scheme with current parameters:
  // the core replaces it after the next successful Verify.
  virtual bool NeedsRehash(std::string_view encoded) const = 0;
};

}  // namespace gateway
