#include "common/uuid.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

#include "common/deterministic.h"
#include "common/hex.h"

namespace gateway {
namespace {

// Sets the version and RFC 4122 variant bits of 16 raw bytes and writes them
// in the 8-4-4-4-12 form.
std::string Format(std::string bytes, int version) {
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | (version << 4));
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  std::string out;
  out.reserve(36);
  const std::string_view b(bytes);
  AppendHex(out, b.substr(0, 4));
  for (size_t begin : {4, 6, 8, 10}) {
    out.push_back('-');
    AppendHex(out, b.substr(begin, begin == 10 ? 6 : 2));
  }
  return out;
}

}  // namespace

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return out;
}

std::string NewUuid() {
  if (deterministic::Active()) return deterministic::NextUuid();
  return Format(RandomBytes(16), 4);
}

std::string UuidV5(std::string_view namespace_bytes, std::string_view name) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), namespace_bytes.data(), namespace_bytes.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), name.data(), name.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &digest_len) != 1) {
    throw std::runtime_error("OpenSSL SHA-1 failed");
  }
  return Format(std::string(reinterpret_cast<const char*>(digest), 16), 5);
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (HexDigitValue(s[i]) < 0) {
      return false;
    }
  }
  return true;
}

}  // namespace gateway
