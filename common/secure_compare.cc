#include "common/secure_compare.h"

#include <openssl/crypto.h>

namespace gateway {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gateway
