// CachingTokenVerifier: a TokenService that remembers the tokens it has
// verified, so a client sending the same bearer on every request costs one
// HMAC and one JSON parse per token rather than per request.
//
// Only successful verifications are kept, keyed by the exact token text (a
// token differing in any byte is verified afresh), and a kept token is
// re-checked against its `exp` at every use: a cached token expires exactly
// when it would uncached. Tokens without `exp` are not kept (they would
// never leave). The cache holds at most `capacity` tokens; when full it
// starts over. Signing is passed through.
//
// Thread-safety: safe to share; lookups take one of several shard locks.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/ports/token_service.h"

namespace gateway {

class CachingTokenVerifier final : public TokenService {
 public:
  CachingTokenVerifier(const TokenService& inner, size_t capacity);

  std::string Sign(const TokenClaims& claims) const override;
  Result<TokenClaims> Verify(std::string_view token, int64_t now_seconds) const override;

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, TokenClaims> tokens;
  };

  const TokenService& inner_;
  const size_t per_shard_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace gateway
