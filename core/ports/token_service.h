// TokenService: the port that mints and verifies bearer tokens.
//
// A token carries claims; what a scope allows is decided by the dialect that
// reads it (each dialect names its own scopes and accepts only those it knows),
// never here. Verify checks integrity and time only.
//
// Thread-safety: implementations must be immutable after construction and
// safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gateway {

struct TokenClaims {
  std::string scope;                  // `scope`; empty when the token has none
  std::string issuer;                 // `iss`
  std::string subject;                // `sub`: the customer id for customer tokens
  std::string token_id;               // `jti`
  std::string name;                   // `name`: the customer's name, informative only
  int64_t issued_at = 0;              // `iat`, epoch seconds
  std::optional<int64_t> expires_at;  // `exp`, epoch seconds
};

class TokenService {
 public:
  virtual ~TokenService() = default;

  virtual std::string Sign(const TokenClaims& claims) const = 0;
  // Checks the structure, the signature and `exp`/`nbf` against `now_seconds`;
  // any failure is kInvalidArgument on field "token".
  virtual Result<TokenClaims> Verify(std::string_view token, int64_t now_seconds) const = 0;
};

}  // namespace gateway
