#include "credentials/jwt_hs256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <simdjson.h>

#include <limits>

#include "common/base64.h"
#include "common/json_writer.h"

namespace gateway {
namespace {

Status Invalid(std::string why) { return Status::Invalid("token", std::move(why)); }

// Reads a NumericDate, accepting JSON integers and doubles. Values beyond the
// int64 range saturate: converting them would wrap or be undefined, turning a
// far-future exp into an expired one or a far-future nbf into a valid one.
std::optional<int64_t> ReadSeconds(simdjson::dom::element e) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (e.is_int64()) return int64_t(e.get_int64());
  if (e.is_uint64()) return kMax;  // only values above INT64_MAX land here
  if (e.is_double()) {
    const double d = double(e.get_double());
    // 2^63 is exactly representable; every double below it converts safely.
    if (d >= 9223372036854775808.0) return kMax;
    if (d <= -9223372036854775808.0) return kMin;
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

JwtHs256::JwtHs256(std::string secret, std::string previous_secret)
    : secret_(std::move(secret)), previous_secret_(std::move(previous_secret)) {}

std::string JwtHs256::Mac(std::string_view key, std::string_view input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return std::string(reinterpret_cast<char*>(mac), len);
}

std::string JwtHs256::Sign(const TokenClaims& c) const {
  JsonWriter payload;
  payload.BeginObject();
  if (!c.issuer.empty()) payload.Field("iss", c.issuer);
  if (!c.subject.empty()) payload.Field("sub", c.subject);
  if (!c.name.empty()) payload.Field("name", c.name);
  if (!c.token_id.empty()) payload.Field("jti", c.token_id);
  if (!c.scope.empty()) payload.Field("scope", c.scope);
  payload.Field("iat", c.issued_at);
  if (c.expires_at) payload.Field("exp", *c.expires_at);
  payload.EndObject();
  std::string input =
      Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." + Base64UrlEncode(payload.str());
  return input + "." + Base64UrlEncode(Mac(secret_, input));
}

Result<TokenClaims> JwtHs256::Verify(std::string_view token, int64_t now) const {
  size_t d1 = token.find('.');
  size_t d2 = d1 == token.npos ? d1 : token.find('.', d1 + 1);
  if (d2 == token.npos || token.find('.', d2 + 1) != token.npos) {
    return Invalid("token is not a JWT");
  }
  auto header = Base64UrlDecode(token.substr(0, d1));
  auto payload = Base64UrlDecode(token.substr(d1 + 1, d2 - d1 - 1));
  auto signature = Base64UrlDecode(token.substr(d2 + 1));
  if (!header || !payload || !signature) return Invalid("token is not valid base64url");

  simdjson::dom::parser parser;
  simdjson::dom::element h;
  if (parser.parse(*header).get(h) || !h.is_object()) return Invalid("token header is not JSON");
  std::string_view alg;
  if (h["alg"].get(alg) || alg != "HS256") return Invalid("token algorithm must be HS256");

  auto signed_with = [&](std::string_view key) {
    std::string expected = Mac(key, token.substr(0, d2));
    return signature->size() == expected.size() &&
           CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) == 0;
  };
  if (!signed_with(secret_) && (previous_secret_.empty() || !signed_with(previous_secret_))) {
    return Invalid("token signature does not verify");
  }

  simdjson::dom::element p;
  if (parser.parse(*payload).get(p) || !p.is_object()) return Invalid("token claims are not JSON");
  TokenClaims claims;
  std::string_view text;
  if (!p["iss"].get(text)) claims.issuer = std::string(text);
  if (!p["sub"].get(text)) claims.subject = std::string(text);
  if (!p["jti"].get(text)) claims.token_id = std::string(text);
  if (!p["name"].get(text)) claims.name = std::string(text);
  if (!p["scope"].get(text)) claims.scope = std::string(text);
  simdjson::dom::element v;
  if (!p["iat"].get(v)) claims.issued_at = ReadSeconds(v).value_or(0);
  if (!p["exp"].get(v)) {
    auto exp = ReadSeconds(v);
    if (!exp) return Invalid("token exp is not a number");
    if (*exp <= now) return Invalid("token has expired");
    claims.expires_at = exp;
  }
  if (!p["nbf"].get(v)) {
    auto nbf = ReadSeconds(v);
    if (!nbf || *nbf > now) return Invalid("token is not valid yet");
  }
  return claims;
}

}  // namespace gateway
