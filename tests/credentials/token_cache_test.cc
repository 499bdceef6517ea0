// The verified-token cache: a cached token is accepted exactly as long as
// the token itself is valid, and only the exact token text is cached.
#include "credentials/token_cache.h"

#include <doctest/doctest.h>

#include <atomic>

#include "credentials/jwt_hs256.h"

namespace gateway {
namespace {

// Counts the verifications that reach the real verifier.
class CountingVerifier final : public TokenService {
 public:
  explicit CountingVerifier(const TokenService& inner) : inner_(inner) {}
  std::string Sign(const TokenClaims& c) const override { return inner_.Sign(c); }
  Result<TokenClaims> Verify(std::string_view t, int64_t now) const override {
    ++calls;
    return inner_.Verify(t, now);
  }
  mutable std::atomic<int> calls{0};

 private:
  const TokenService& inner_;
};

TEST_CASE("a cached token is verified once and expires when the token does") {
  JwtHs256 jwt("secret", "");
  CountingVerifier counting(jwt);
  CachingTokenVerifier cache(counting, 64);
  TokenClaims claims;
  claims.scope = "implicit";
  claims.issued_at = 1000;
  claims.expires_at = 2000;
  const std::string token = cache.Sign(claims);

  REQUIRE(cache.Verify(token, 1500).ok());
  CHECK(cache.Verify(token, 1999)->scope == "implicit");
  CHECK(counting.calls == 1);
  CHECK_FALSE(cache.Verify(token, 2000).ok());  // exp reached: refused, cached or not
  CHECK_FALSE(cache.Verify(token, 2500).ok());

  // A token differing in one byte is verified afresh, and refused.
  std::string forged = token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  CHECK_FALSE(cache.Verify(forged, 1500).ok());
  CHECK_FALSE(cache.Verify(forged, 1500).ok());
  CHECK(counting.calls == 5);  // failures are never cached

  // Tokens without exp are not kept.
  TokenClaims forever;
  forever.scope = "implicit";
  const std::string lasting = cache.Sign(forever);
  REQUIRE(cache.Verify(lasting, 1500).ok());
  REQUIRE(cache.Verify(lasting, 1500).ok());
  CHECK(counting.calls == 7);
}

TEST_CASE("the cache stays bounded and keeps answering correctly when full") {
  JwtHs256 jwt("secret", "");
  CachingTokenVerifier cache(jwt, 16);
  for (int i = 0; i < 500; ++i) {
    TokenClaims c;
    c.scope = "s" + std::to_string(i);
    c.expires_at = 5000;
    const std::string t = cache.Sign(c);
    REQUIRE(cache.Verify(t, 10).ok());
    CHECK(cache.Verify(t, 10)->scope == c.scope);
  }
}

}  // namespace
}  // namespace gateway
