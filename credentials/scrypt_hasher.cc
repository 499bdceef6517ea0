#include "credentials/scrypt_hasher.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <charconv>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "common/base64.h"
#include "common/iso_time.h"
#include "common/uuid.h"
#include "credentials/argon2_hash.h"

namespace gateway {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kKeyBytes = 32;

struct ParsedScrypt {
  ScryptParams params;
  std::string salt;
  std::string key;
};

std::optional<int> ParseIntAfter(std::string_view part, std::string_view prefix) {
  if (part.substr(0, prefix.size()) != prefix) return std::nullopt;
  int v = 0;
  auto body = part.substr(prefix.size());
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ec != std::errc() || ptr != body.data() + body.size()) return std::nullopt;
  return v;
}

std::optional<ParsedScrypt> ParseScrypt(std::string_view e) {
  constexpr std::string_view kPrefix = "$scrypt$";
  if (e.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  e.remove_prefix(kPrefix.size());
  size_t d1 = e.find('$');
  if (d1 == e.npos) return std::nullopt;
  size_t d2 = e.find('$', d1 + 1);
  if (d2 == e.npos) return std::nullopt;
  std::string_view params = e.substr(0, d1);
  size_t c1 = params.find(',');
  size_t c2 = params.find(',', c1 == params.npos ? c1 : c1 + 1);
  if (c1 == params.npos || c2 == params.npos) return std::nullopt;
  auto ln = ParseIntAfter(params.substr(0, c1), "ln=");
  auto r = ParseIntAfter(params.substr(c1 + 1, c2 - c1 - 1), "r=");
  auto p = ParseIntAfter(params.substr(c2 + 1), "p=");
  if (!ln || !r || !p || *ln < 1 || *ln > 22 || *r < 1 || *r > 32 || *p < 1 || *p > 16)
    return std::nullopt;
  // A stored (possibly imported) hash must not make one login allocate more
  // than the costliest hash the gateway itself writes (ln=20, r=8: 1 GiB).
  if ((uint64_t{128} * static_cast<uint64_t>(*r) << *ln) > (uint64_t{1} << 30)) return std::nullopt;
  auto salt = Base64Decode(e.substr(d1 + 1, d2 - d1 - 1));
  auto key = Base64Decode(e.substr(d2 + 1));
  if (!salt || !key || salt->empty() || key->size() != kKeyBytes) return std::nullopt;
  return ParsedScrypt{{*ln, *r, *p}, std::move(*salt), std::move(*key)};
}

std::string DeriveScrypt(std::string_view password, std::string_view salt, ScryptParams p) {
  const uint64_t n = uint64_t{1} << p.log_n;
  // EVP_PBE_scrypt refuses work above maxmem; allow what these parameters need.
  const uint64_t maxmem =
      128 * n * static_cast<uint64_t>(p.r) * static_cast<uint64_t>(p.p) + (uint64_t{1} << 26);
  std::string key(kKeyBytes, '\0');
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n,
                     static_cast<uint64_t>(p.r), static_cast<uint64_t>(p.p), maxmem,
                     reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1) {
    throw std::runtime_error("scrypt key derivation failed");
  }
  return key;
}

// The alphabet every crypt(3) scheme accepted here writes its salt and hash in.
constexpr std::string_view kCryptAlphabet =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

int CryptDigit(char c) {
  size_t i = kCryptAlphabet.find(c);
  return i == kCryptAlphabet.npos ? -1 : static_cast<int>(i);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Imported hashes must not let one login cost more than the costliest hash the
// gateway itself writes; the bounds are documented in docs/migration.md.
constexpr uint64_t kMaxCryptMemory = uint64_t{1} << 30;  // scrypt/yescrypt: 1 GiB
constexpr int kMaxBcryptCost = 14;                       // 2^14 rounds, about 1 s
constexpr uint64_t kMaxShaCryptRounds = 1'000'000;       // about 1 s for $6$

bool BcryptWithinBounds(std::string_view e) {
  // "$2b$10$" + 53 characters: cost 04..14, then salt and hash.
  if (e.size() != 60 || e[6] != '$' || e[4] < '0' || e[4] > '9' || e[5] < '0' || e[5] > '9')
    return false;
  const int cost = (e[4] - '0') * 10 + (e[5] - '0');
  return cost >= 4 && cost <= kMaxBcryptCost;
}

bool ShaCryptWithinBounds(std::string_view e) {
  // "$5$[rounds=N$]salt$hash"; without rounds= the default is 5000.
  constexpr std::string_view kRounds = "rounds=";
  std::string_view rest = e.substr(3);
  if (!StartsWith(rest, kRounds)) return true;
  rest.remove_prefix(kRounds.size());
  uint64_t rounds = 0;
  auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), rounds);
  return ec == std::errc() && ptr != rest.data() && *ptr == '$' && rounds <= kMaxShaCryptRounds;
}

bool YescryptWithinBounds(std::string_view e) {
  // "$y$" + flavor, log2 N and r, one character each (what libxcrypt writes),
  // then "$salt$hash". Longer parameter strings (p, t, g, ROM) are refused.
  if (e.size() < 7 || e[6] != '$') return false;
  const int n = CryptDigit(e[4]);
  const int r = CryptDigit(e[5]);
  if (CryptDigit(e[3]) < 0 || n < 0 || n > 47 || r < 0 || r > 47) return false;
  // Memory is 128·r·N bytes, as for scrypt.
  return (uint64_t{128} * static_cast<uint64_t>(r + 1) << (n + 1)) <= kMaxCryptMemory;
}

bool ScryptCryptWithinBounds(std::string_view e) {
  // "$7$" + log2 N (1 char) + r (5 chars) + p (5 chars), 6-bit little-endian.
  if (e.size() < 14) return false;
  const int log_n = CryptDigit(e[3]);
  auto read30 = [&](size_t at) {
    uint64_t v = 0;
    for (size_t i = 0; i < 5; ++i) {
      const int d = CryptDigit(e[at + i]);
      if (d < 0) return uint64_t{0};
      v |= static_cast<uint64_t>(d) << (6 * i);
    }
    return v;
  };
  const uint64_t r = read30(4);
  const uint64_t p = read30(9);
  if (log_n < 1 || log_n > 30 || r == 0 || p == 0 || r > 1024 || p > 1024) return false;
  // Time grows with N·r·p, memory with N·r: bound the product.
  return (uint64_t{128} * r * p << log_n) <= kMaxCryptMemory;
}

// A crypt(3) hash this hasher verifies through libxcrypt: a scheme libxcrypt
// classifies as usable (crypt_checksalt), within the cost bounds above.
bool IsBoundedCrypt(std::string_view e) {
  if (e.size() >= CRYPT_OUTPUT_SIZE || e.find('\0') != e.npos) return false;
  bool within = false;
  size_t digest_size = 0;  // the hash proper, after the last '$'
  if (IsBcryptHash(e)) {
    within = BcryptWithinBounds(e);
    digest_size = 53;  // bcrypt has no '$' between salt and hash
  } else if (StartsWith(e, "$5$") || StartsWith(e, "$6$")) {
    within = ShaCryptWithinBounds(e);
    digest_size = e[1] == '5' ? 43 : 86;
  } else if (StartsWith(e, "$y$")) {
    within = YescryptWithinBounds(e);
    digest_size = 43;
  } else if (StartsWith(e, "$7$")) {
    within = ScryptCryptWithinBounds(e);
    digest_size = 43;
  } else if (StartsWith(e, "$1$")) {
    within = true;  // md5crypt has a fixed cost
    digest_size = 22;
  }
  if (!within) return false;
  std::string_view digest = e.substr(e.rfind('$') + 1);
  if (digest.size() != digest_size || digest.find_first_not_of(kCryptAlphabet) != digest.npos)
    return false;
  const std::string setting(e);
  const int verdict = crypt_checksalt(setting.c_str());
  return verdict == CRYPT_SALT_OK || verdict == CRYPT_SALT_METHOD_LEGACY;
}

// Django's PBKDF2 form, pbkdf2_sha256$<iterations>$<salt>$<base64 key>, the
// salt used as its text. Iterations are bounded like the crypt(3) costs above.
constexpr uint64_t kMaxPbkdf2Iterations = 2'000'000;  // Django 5.2 writes 1,000,000

struct ParsedPbkdf2 {
  int iterations;
  std::string_view salt;
  std::string key;
};

std::optional<ParsedPbkdf2> ParsePbkdf2(std::string_view e) {
  constexpr std::string_view kPrefix = "pbkdf2_sha256$";
  if (!StartsWith(e, kPrefix)) return std::nullopt;
  e.remove_prefix(kPrefix.size());
  const size_t d1 = e.find('$');
  const size_t d2 = d1 == e.npos ? d1 : e.find('$', d1 + 1);
  if (d2 == e.npos) return std::nullopt;
  uint64_t iterations = 0;
  auto [ptr, ec] = std::from_chars(e.data(), e.data() + d1, iterations);
  if (ec != std::errc() || ptr != e.data() + d1 || iterations < 1 ||
      iterations > kMaxPbkdf2Iterations)
    return std::nullopt;
  std::string_view salt = e.substr(d1 + 1, d2 - d1 - 1);
  if (salt.empty() || salt.size() > 128) return std::nullopt;
  for (char c : salt) {
    if (c <= ' ' || c > '~') return std::nullopt;
  }
  auto key = Base64Decode(e.substr(d2 + 1));
  if (!key || key->size() != 32) return std::nullopt;
  return ParsedPbkdf2{static_cast<int>(iterations), salt, std::move(*key)};
}

bool VerifyPbkdf2(std::string_view password, const ParsedPbkdf2& h) {
  // HMAC pads short keys with NULs, so "pw" and "pw\0" derive the same key;
  // as for crypt(3) hashes, a password with a NUL never matches.
  if (password.find('\0') != std::string_view::npos) return false;
  std::string key(h.key.size(), '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(h.salt.data()),
                        static_cast<int>(h.salt.size()), h.iterations, EVP_sha256(),
                        static_cast<int>(key.size()),
                        reinterpret_cast<unsigned char*>(key.data())) != 1) {
    return false;
  }
  return CRYPTO_memcmp(key.data(), h.key.data(), key.size()) == 0;
}

bool VerifyCrypt(std::string_view password, std::string_view encoded) {
  // crypt_rn needs NUL-terminated strings; a password with an embedded NUL
  // would be silently truncated, so it never matches.
  if (password.find('\0') != std::string_view::npos) return false;
  std::string phrase(password);
  std::string setting(encoded);
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(phrase.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
  if (out == nullptr || out[0] == '*') return false;
  return std::strlen(out) == encoded.size() &&
         CRYPTO_memcmp(out, encoded.data(), encoded.size()) == 0;
}

}  // namespace

// Holds one of the hasher's concurrency slots for the lifetime of a hash.
class ScryptHasher::Slot {
 public:
  explicit Slot(ScryptHasher& h) : h_(h) {
    std::unique_lock lock(h_.mu_);
    h_.cv_.wait(lock, [&] { return h_.available_ > 0; });
    --h_.available_;
  }
  ~Slot() {
    {
      std::lock_guard lock(h_.mu_);
      ++h_.available_;
    }
    h_.cv_.notify_one();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  ScryptHasher& h_;
};

ScryptHasher::ScryptHasher(ScryptParams params, int max_concurrent)
    : params_(params), available_(max_concurrent < 1 ? 1 : max_concurrent) {}

std::string ScryptHasher::Hash(std::string_view password) {
  std::string salt = RandomBytes(kSaltBytes);
  std::string key;
  {
    Slot slot(*this);
    key = DeriveScrypt(password, salt, params_);
  }
  return "$scrypt$ln=" + std::to_string(params_.log_n) + ",r=" + std::to_string(params_.r) +
         ",p=" + std::to_string(params_.p) + "$" + Base64Encode(salt) + "$" + Base64Encode(key);
}

bool ScryptHasher::Verify(std::string_view password, std::string_view encoded) {
  if (auto parsed = ParseScrypt(encoded)) {
    std::string key;
    {
      Slot slot(*this);
      key = DeriveScrypt(password, parsed->salt, parsed->params);
    }
    return CRYPTO_memcmp(key.data(), parsed->key.data(), kKeyBytes) == 0;
  }
  if (IsBoundedCrypt(encoded)) {
    Slot slot(*this);
    return VerifyCrypt(password, encoded);
  }
  if (auto parsed = ParsePbkdf2(encoded)) {
    Slot slot(*this);
    return VerifyPbkdf2(password, *parsed);
  }
  if (auto parsed = ParseArgon2(encoded)) {
    Slot slot(*this);
    return VerifyArgon2(password, *parsed);
  }
  return false;
}

bool ScryptHasher::NeedsRehash(std::string_view encoded) const {
  auto parsed = ParseScrypt(encoded);
  return !parsed || parsed->params.log_n != params_.log_n || parsed->params.r != params_.r ||
         parsed->params.p != params_.p;
}

bool ScryptHasher::IsSupportedFormat(std::string_view encoded) {
  return ParseScrypt(encoded) || IsBoundedCrypt(encoded) || ParsePbkdf2(encoded) ||
         ParseArgon2(encoded);
}

}  // namespace gateway
