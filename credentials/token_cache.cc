#include "credentials/token_cache.h"

#include <functional>

namespace gateway {

CachingTokenVerifier::CachingTokenVerifier(const TokenService& inner, size_t capacity)
    : inner_(inner), per_shard_(capacity / kShards + 1) {}

std::string CachingTokenVerifier::Sign(const TokenClaims& claims) const {
  return inner_.Sign(claims);
}

Result<TokenClaims> CachingTokenVerifier::Verify(std::string_view token,
                                                 int64_t now_seconds) const {
  Shard& shard = shards_[std::hash<std::string_view>{}(token) % kShards];
  {
    std::lock_guard lock(shard.mu);
    auto it = shard.tokens.find(std::string(token));
    if (it != shard.tokens.end()) {
      if (now_seconds < *it->second.expires_at) return it->second;
      shard.tokens.erase(it);
    }
  }
  Result<TokenClaims> claims = inner_.Verify(token, now_seconds);
  if (!claims.ok() || !claims->expires_at) return claims;
  std::lock_guard lock(shard.mu);
  if (shard.tokens.size() >= per_shard_) shard.tokens.clear();
  shard.tokens.emplace(std::string(token), *claims);
  return claims;
}

}  // namespace gateway
