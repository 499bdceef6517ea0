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

bool VerifyBcrypt(std::string_view password, std::string_view encoded) {
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

bool IsBcryptHash(std::string_view e) {
  return e.size() == 60 &&
         (e.substr(0, 4) == "$2a$" || e.substr(0, 4) == "$2b$" || e.substr(0, 4) == "$2y$");
}

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
  if (IsBcryptHash(encoded)) {
    Slot slot(*this);
    return VerifyBcrypt(password, encoded);
  }
  return false;
}

bool ScryptHasher::NeedsRehash(std::string_view encoded) const {
  auto parsed = ParseScrypt(encoded);
  return !parsed || parsed->params.log_n != params_.log_n || parsed->params.r != params_.r ||
         parsed->params.p != params_.p;
}

bool ScryptHasher::IsSupportedFormat(std::string_view encoded) {
  if (ParseScrypt(encoded)) return true;
  if (!IsBcryptHash(encoded)) return false;
  // "$2b$10$" + 53 chars of bcrypt's base64 alphabet; cost 04..31.
  if (encoded[6] != '$' || encoded[4] < '0' || encoded[4] > '3' || encoded[5] < '0' ||
      encoded[5] > '9')
    return false;
  int cost = (encoded[4] - '0') * 10 + (encoded[5] - '0');
  if (cost < 4 || cost > 31) return false;
  for (char c : encoded.substr(7)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace gateway
