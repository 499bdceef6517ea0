// JwtHs256: HS256 JWTs with the algorithm pinned, checked against tokens
// assembled here with OpenSSL's HMAC directly and one made by another
// implementation.
#include "credentials/jwt_hs256.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <string>

#include "common/base64.h"

namespace gateway {
namespace {

constexpr int64_t kNow = 1700000000;

// Builds a token from raw header and payload JSON, signed with `md`.
std::string MakeToken(std::string_view header, std::string_view payload, std::string_view secret,
                      const EVP_MD* md = EVP_sha256()) {
  const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), len));
}

constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

void CheckRejected(const Result<TokenClaims>& r) {
  CHECK_FALSE(r.ok());
  CHECK(r.status().code() == ErrorCode::kInvalidArgument);
  CHECK(r.status().field() == "token");
}

TEST_CASE("Sign and Verify round-trip every claim") {
  JwtHs256 signer("secret");
  TokenClaims in;
  in.scope = "customer";
  in.issuer = "customer-gateway";
  in.subject = "0b5bd2a4-1f5c-4b8e-9e59-3f2d4c0c7a11";
  in.token_id = "jti-1";
  in.issued_at = kNow;
  in.expires_at = kNow + 3600;
  const std::string token = signer.Sign(in);
  CHECK(token.find('=') == std::string::npos);
  Result<TokenClaims> out = signer.Verify(token, kNow);
  REQUIRE(out.ok());
  CHECK(out->scope == "customer");
  CHECK(out->issuer == in.issuer);
  CHECK(out->subject == in.subject);
  CHECK(out->token_id == in.token_id);
  CHECK(out->issued_at == kNow);
  CHECK(out->expires_at == kNow + 3600);
}

TEST_CASE("a rotated secret: the previous one still verifies, only the new one signs") {
  TokenClaims claims;
  claims.scope = "api";
  claims.issued_at = kNow;
  const std::string old_token = JwtHs256("old secret").Sign(claims);
  JwtHs256 rotated("new secret", "old secret");
  CHECK(rotated.Verify(old_token, kNow).ok());
  const std::string new_token = rotated.Sign(claims);
  CHECK(JwtHs256("new secret").Verify(new_token, kNow).ok());
  CHECK_FALSE(JwtHs256("old secret").Verify(new_token, kNow).ok());
  // Once the previous secret is removed, its tokens stop verifying.
  CHECK_FALSE(JwtHs256("new secret").Verify(old_token, kNow).ok());
  CHECK_FALSE(JwtHs256("new secret", "other").Verify(old_token, kNow).ok());
}

TEST_CASE("Sign writes a standard HS256 header") {
  JwtHs256 signer("secret");
  const std::string token = signer.Sign(TokenClaims{});
  CHECK(Base64UrlDecode(token.substr(0, token.find('.'))) == std::string(kHs256Header));
  // An independent HMAC over the same input gives the same signature.
  const size_t d2 = token.rfind('.');
  const std::string payload =
      *Base64UrlDecode(token.substr(token.find('.') + 1, d2 - token.find('.') - 1));
  CHECK(MakeToken(kHs256Header, payload, "secret") == token);
}

TEST_CASE("the scope is carried as text, whatever it says; a missing scope is empty") {
  JwtHs256 signer("secret");
  for (std::string scope : {"client_credentials", "implicit", "customer", "api", "admin", ""}) {
    TokenClaims c;
    c.scope = scope;
    c.issued_at = kNow;
    Result<TokenClaims> out = signer.Verify(signer.Sign(c), kNow);
    REQUIRE(out.ok());
    CHECK(out->scope == scope);
  }
  Result<TokenClaims> admin =
      signer.Verify(MakeToken(kHs256Header, R"({"scope":"admin","iat":1})", "secret"), kNow);
  REQUIRE(admin.ok());
  CHECK(admin->scope == "admin");
  Result<TokenClaims> none = signer.Verify(MakeToken(kHs256Header, "{}", "secret"), kNow);
  REQUIRE(none.ok());
  CHECK(none->scope.empty());
  CHECK_FALSE(none->expires_at.has_value());  // no exp: never expires
}

TEST_CASE("exp is enforced: valid before, expired at and after") {
  JwtHs256 signer("secret");
  TokenClaims c;
  c.issued_at = kNow;
  c.expires_at = kNow + 10;
  const std::string token = signer.Sign(c);
  CHECK(signer.Verify(token, kNow).ok());
  CHECK(signer.Verify(token, kNow + 9).ok());
  CheckRejected(signer.Verify(token, kNow + 10));
  CheckRejected(signer.Verify(token, kNow + 11));
}

TEST_CASE("nbf is enforced") {
  JwtHs256 signer("secret");
  const std::string token =
      MakeToken(kHs256Header, R"({"iat":1700000000,"nbf":1700000100})", "secret");
  CheckRejected(signer.Verify(token, kNow));
  CheckRejected(signer.Verify(token, kNow + 99));
  CHECK(signer.Verify(token, kNow + 100).ok());
  CHECK(signer.Verify(token, kNow + 1000).ok());
}

TEST_CASE("exp and nbf must be numbers; whole doubles count") {
  JwtHs256 signer("secret");
  CheckRejected(signer.Verify(MakeToken(kHs256Header, R"({"exp":"1800000000"})", "secret"), kNow));
  CheckRejected(signer.Verify(MakeToken(kHs256Header, R"({"exp":null})", "secret"), kNow));
  CheckRejected(signer.Verify(MakeToken(kHs256Header, R"({"nbf":"0"})", "secret"), kNow));
  Result<TokenClaims> dbl =
      signer.Verify(MakeToken(kHs256Header, R"({"exp":1.8e9})", "secret"), kNow);
  REQUIRE(dbl.ok());
  CHECK(dbl->expires_at == 1800000000);
  CheckRejected(signer.Verify(MakeToken(kHs256Header, R"({"exp":1.6e9})", "secret"), kNow));
}

TEST_CASE("NumericDates beyond 64-bit seconds saturate instead of wrapping") {
  JwtHs256 signer("secret");
  // Far-future expiry: valid, like a token without exp.
  Result<TokenClaims> far =
      signer.Verify(MakeToken(kHs256Header, R"({"exp":1e300})", "secret"), kNow);
  REQUIRE(far.ok());
  CHECK(far->expires_at > kNow);
  Result<TokenClaims> huge =
      signer.Verify(MakeToken(kHs256Header, R"({"exp":18446744073709551615})", "secret"), kNow);
  REQUIRE(huge.ok());
  CHECK(huge->expires_at > kNow);
  // Far past expiry is expired; far past nbf is already valid, far future nbf is not.
  CheckRejected(signer.Verify(MakeToken(kHs256Header, R"({"exp":-1e300})", "secret"), kNow));
  CHECK(signer.Verify(MakeToken(kHs256Header, R"({"nbf":-1e300})", "secret"), kNow).ok());
  CheckRejected(signer.Verify(MakeToken(kHs256Header, R"({"nbf":1e300})", "secret"), kNow));
}

TEST_CASE("a token signed with another secret is rejected") {
  JwtHs256 signer("secret");
  JwtHs256 other("Secret");
  TokenClaims c;
  c.issued_at = kNow;
  CheckRejected(signer.Verify(other.Sign(c), kNow));
  CheckRejected(JwtHs256("").Verify(signer.Sign(c), kNow));
}

TEST_CASE("tampering with any part breaks the signature") {
  JwtHs256 signer("secret");
  TokenClaims c;
  c.scope = "implicit";
  c.issued_at = kNow;
  c.expires_at = kNow + 3600;
  const std::string token = signer.Sign(c);
  const size_t d1 = token.find('.');
  const size_t d2 = token.rfind('.');

  // Same header and signature, payload upgraded to a customer token.
  TokenClaims forged = c;
  forged.scope = "customer";
  forged.subject = "victim";
  const std::string forged_token = signer.Sign(forged);
  const std::string swapped =
      token.substr(0, d1) +
      forged_token.substr(forged_token.find('.'),
                          forged_token.rfind('.') - forged_token.find('.')) +
      token.substr(d2);
  CheckRejected(signer.Verify(swapped, kNow));

  std::string flipped_sig = token;
  flipped_sig[d2 + 1] = flipped_sig[d2 + 1] == 'A' ? 'B' : 'A';
  CheckRejected(signer.Verify(flipped_sig, kNow));

  CheckRejected(signer.Verify(token.substr(0, token.size() - 1), kNow));  // signature cut
  CheckRejected(signer.Verify(token.substr(0, d2 + 1), kNow));            // signature removed
  CheckRejected(signer.Verify(token + "A", kNow));
}

TEST_CASE("a signature differing only in unused base64url bits is rejected") {
  JwtHs256 signer("secret");
  TokenClaims c;
  c.scope = "api";
  c.issued_at = kNow;
  const std::string token = signer.Sign(c);
  REQUIRE(signer.Verify(token, kNow).ok());
  // 32 MAC bytes take 43 characters; the last one carries 4 bits of the MAC
  // and 2 unused bits. Setting those decodes to the same MAC.
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const size_t last = kAlphabet.find(token.back());
  REQUIRE(last % 4 == 0);
  for (size_t low = 1; low < 4; ++low) {
    std::string variant = token;
    variant.back() = kAlphabet[last + low];
    CheckRejected(signer.Verify(variant, kNow));
  }
}

TEST_CASE("the algorithm is pinned: none and other HMACs are rejected") {
  JwtHs256 signer("secret");
  const std::string payload = R"({"scope":"api","iat":1700000000})";
  // alg none with an empty signature, the classic bypass.
  const std::string none =
      Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + Base64UrlEncode(payload) + ".";
  CheckRejected(signer.Verify(none, kNow));
  CheckRejected(signer.Verify(MakeToken(R"({"alg":"none"})", payload, "secret"), kNow));
  // Correctly signed, but with an algorithm we do not accept.
  CheckRejected(signer.Verify(
      MakeToken(R"({"alg":"HS512","typ":"JWT"})", payload, "secret", EVP_sha512()), kNow));
  CheckRejected(signer.Verify(
      MakeToken(R"({"alg":"HS384","typ":"JWT"})", payload, "secret", EVP_sha384()), kNow));
  // An HS256 signature under a header naming another algorithm.
  CheckRejected(signer.Verify(MakeToken(R"({"alg":"HS512"})", payload, "secret"), kNow));
  CheckRejected(signer.Verify(MakeToken(R"({"alg":"hs256"})", payload, "secret"), kNow));
  CheckRejected(signer.Verify(MakeToken(R"({"typ":"JWT"})", payload, "secret"), kNow));
  CheckRejected(signer.Verify(MakeToken(R"({"alg":["HS256"]})", payload, "secret"), kNow));
  // The header's key order does not matter.
  CHECK(signer.Verify(MakeToken(R"({"typ":"JWT","alg":"HS256"})", payload, "secret"), kNow).ok());
}

TEST_CASE("malformed tokens are rejected") {
  JwtHs256 signer("secret");
  const std::string good = signer.Sign(TokenClaims{});
  for (const std::string& bad : {
           std::string(),
           std::string("."),
           std::string(".."),
           std::string("abc"),
           std::string("a.b"),
           std::string("a.b.c.d"),
           good + ".",
           std::string("!!!.!!!.!!!"),
           std::string("eyJhbGciOiJIUzI1NiJ9.e30=.sig"),  // padded base64url
           "Bearer " + good,
           " " + good,
       }) {
    CheckRejected(signer.Verify(bad, kNow));
  }
  // Correctly signed, but the header or the claims are not JSON objects.
  CheckRejected(signer.Verify(MakeToken("not json", "{}", "secret"), kNow));
  CheckRejected(signer.Verify(MakeToken(R"(["HS256"])", "{}", "secret"), kNow));
  CheckRejected(signer.Verify(MakeToken(kHs256Header, "not json", "secret"), kNow));
  CheckRejected(signer.Verify(MakeToken(kHs256Header, "[1,2]", "secret"), kNow));
  CheckRejected(signer.Verify(MakeToken(kHs256Header, "", "secret"), kNow));
}

// The MicroBase test token as its OAuth service mints it (microbase-reference
// §5), signed with MicroBase's default secret `micro-base` by Python's hmac.
constexpr const char* kMicroBaseToken =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9."
    "eyJpc3MiOiJodHRwczovL21pY3JvYmFzZS5pbyIsInN1YiI6InVzZXIiLCJzY29wZSI6ImFwaSIsImp0aSI6ImZm"
    "YjVhOTQxLTQwYWMtNDBjNy1iMDNiLWIzZjdiMTdlOGRlMCIsImlhdCI6MTQ2NDYwNzU1MCwiZXhwIjoxNDk2MTQz"
    "NTUwfQ."
    "kgFdYAGjwLC7wrY2gcm-8swDzwSCuEwLhgSx10rKZew";

TEST_CASE("a MicroBase-minted token verifies with the deployment's secret") {
  JwtHs256 signer("micro-base");
  const int64_t exp = 1496143550;
  Result<TokenClaims> claims = signer.Verify(kMicroBaseToken, exp - 1);
  REQUIRE(claims.ok());
  CHECK(claims->scope == "api");
  CHECK(claims->issuer == "https://microbase.io");
  CHECK(claims->subject == "user");
  CHECK(claims->token_id == "ffb5a941-40ac-40c7-b03b-b3f7b17e8de0");
  CHECK(claims->issued_at == 1464607550);
  CHECK(claims->expires_at == exp);
  // Its year has run out, and it means nothing under another secret.
  CheckRejected(signer.Verify(kMicroBaseToken, exp));
  CheckRejected(JwtHs256("not-micro-base").Verify(kMicroBaseToken, exp - 1));
}

}  // namespace
}  // namespace gateway
