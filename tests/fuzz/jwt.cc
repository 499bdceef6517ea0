// JWT verification. An input with exactly one '.' is signed here with the
// verifier's secret first, so the header and claims readers behind the
// signature check are reached too; any other input is verified as it is.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/encoding.h"
#include "core/token_signer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gateway;
  static const TokenSigner signer("fuzz-secret");
  constexpr int64_t kNow = 1700000000;
  std::string token(reinterpret_cast<const char*>(data), size);
  if (std::count(token.begin(), token.end(), '.') == 1) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), "fuzz-secret", 11, reinterpret_cast<const unsigned char*>(token.data()),
         token.size(), mac, &len);
    token += "." + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), len));
  }
  (void)signer.Verify(token, kNow);
  return 0;
}
