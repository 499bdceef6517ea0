// TokenSigner: mints and verifies the gateway's HS256 JSON Web Tokens.
//
// The algorithm is pinned: a token whose header names anything but HS256
// (including "none") is rejected before its signature is looked at. With the
// secret of an existing MicroBase deployment (`token:secretKey`), that
// deployment's tokens verify here unchanged. To rotate the secret, sign with
// the new one and keep the old one as `previous_secret` until the tokens it
// signed have expired: they still verify, new ones are never signed with it.
//
// Thread-safety: immutable after construction; safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gateway {

// What a bearer may do. kApi is MicroBase's client-credentials scope ("api");
// a token with no scope, or one we do not know, is kForeign.
enum class TokenScope { kForeign, kClientCredentials, kImplicit, kCustomer, kApi };

struct TokenClaims {
  TokenScope scope = TokenScope::kForeign;
  std::string issuer;                 // `iss`
  std::string subject;                // `sub`: the customer id for customer tokens
  std::string token_id;               // `jti`
  int64_t issued_at = 0;              // `iat`, epoch seconds
  std::optional<int64_t> expires_at;  // `exp`, epoch seconds
};

class TokenSigner {
 public:
  explicit TokenSigner(std::string secret, std::string previous_secret = "");

  std::string Sign(const TokenClaims& claims) const;
  // Checks structure, the pinned algorithm, the signature (constant-time), and
  // `exp`/`nbf` against `now_seconds`.
  Result<TokenClaims> Verify(std::string_view token, int64_t now_seconds) const;

 private:
  static std::string Mac(std::string_view key, std::string_view signing_input);

  std::string secret_;
  std::string previous_secret_;  // empty: none
};

std::string_view ScopeName(TokenScope scope);

}  // namespace gateway
