// JwtHs256: the TokenService as HS256 JSON Web Tokens with one shared secret.
//
// The algorithm is pinned: a token whose header names anything but HS256
// (including "none") is rejected before its signature is looked at. With the
// secret of an existing MicroBase deployment (`token:secretKey`), that
// deployment's tokens verify here unchanged. The `scope` claim is carried as
// text, whatever it says; dialects judge it. To rotate the secret, sign with
// the new one and keep the old one as `previous_secret` until the tokens it
// signed have expired: they still verify, new ones are never signed with it.
//
// Thread-safety: immutable after construction; safe to share.
#pragma once

#include <string>
#include <string_view>

#include "core/ports/token_service.h"

namespace gateway {

class JwtHs256 final : public TokenService {
 public:
  explicit JwtHs256(std::string secret, std::string previous_secret = {});

  std::string Sign(const TokenClaims& claims) const override;
  // Checks structure, the pinned algorithm, the signature (constant-time), and
  // `exp`/`nbf` against `now_seconds`.
  Result<TokenClaims> Verify(std::string_view token, int64_t now_seconds) const override;

 private:
  static std::string Mac(std::string_view key, std::string_view signing_input);

  std::string secret_;
  std::string previous_secret_;  // empty: none
};

}  // namespace gateway
