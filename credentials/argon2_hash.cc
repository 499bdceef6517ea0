#include "credentials/argon2_hash.h"

#include <argon2.h>
#include <openssl/crypto.h>

#include <charconv>
#include <vector>

#include "common/base64.h"

namespace gateway {
namespace {

bool ConsumePrefix(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// Reads "<name>=<decimal>" up to `end` (',' or '$'), consuming the separator.
std::optional<uint64_t> ReadParam(std::string_view& s, std::string_view name, char end) {
  if (!ConsumePrefix(s, name) || !ConsumePrefix(s, "=")) return std::nullopt;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr == s.data() || ptr == s.data() + s.size() || *ptr != end ||
      (s[0] == '0' && ptr - s.data() > 1))
    return std::nullopt;
  s.remove_prefix(static_cast<size_t>(ptr - s.data()) + 1);
  return v;
}

// The PHC form writes base64 without padding.
std::optional<std::string> DecodeUnpadded(std::string_view text) {
  if (text.empty() || text.size() % 4 == 1 || text.find('=') != text.npos) return std::nullopt;
  std::string padded(text);
  padded.append((4 - text.size() % 4) % 4, '=');
  return Base64Decode(padded);
}

// Parses `e`; on refusal returns nullopt and sets `why` when `e` is Argon2.
std::optional<Argon2Hash> Parse(std::string_view e, std::string& why) {
  Argon2Hash h;
  // Django stores argon2-cffi's string behind its own algorithm name.
  if (e.substr(0, 14) == "argon2$argon2i" || e.substr(0, 14) == "argon2$argon2d")
    e.remove_prefix(6);
  if (ConsumePrefix(e, "$argon2id$")) {
    h.type = Argon2_id;
  } else if (ConsumePrefix(e, "$argon2i$")) {
    h.type = Argon2_i;
  } else if (ConsumePrefix(e, "$argon2d$")) {
    h.type = Argon2_d;
  } else {
    if (e.substr(0, 7) == "$argon2") why = "unknown Argon2 variant (argon2id, argon2i, argon2d)";
    return std::nullopt;
  }
  why = "malformed Argon2 hash (expected $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$salt$hash)";
  h.version = ARGON2_VERSION_10;  // hashes from before version 1.3 carry no v=
  if (e.substr(0, 2) == "v=") {
    auto v = ReadParam(e, "v", '$');
    if (!v) return std::nullopt;
    if (*v != ARGON2_VERSION_10 && *v != ARGON2_VERSION_13) {
      why = "Argon2 version v=" + std::to_string(*v) + " is not 16 or 19";
      return std::nullopt;
    }
    h.version = static_cast<uint32_t>(*v);
  }
  auto m = ReadParam(e, "m", ',');
  auto t = m ? ReadParam(e, "t", ',') : std::nullopt;
  auto p = t ? ReadParam(e, "p", '$') : std::nullopt;
  if (!p) return std::nullopt;
  const size_t d = e.find('$');
  if (d == e.npos) return std::nullopt;
  auto salt = DecodeUnpadded(e.substr(0, d));
  auto hash = DecodeUnpadded(e.substr(d + 1));
  if (!salt || !hash) return std::nullopt;
  if (*t < 1 || *p < 1 || *p > kMaxArgon2Lanes || *m < 8 * *p) {
    why = "Argon2 parameters out of range (t >= 1, 1 <= p <= " + std::to_string(kMaxArgon2Lanes) +
          ", m >= 8 p)";
    return std::nullopt;
  }
  if (salt->size() < ARGON2_MIN_SALT_LENGTH || salt->size() > 64 || hash->size() < 16 ||
      hash->size() > 64) {
    why = "Argon2 salt must be 8 to 64 bytes and hash 16 to 64 bytes";
    return std::nullopt;
  }
  if (*m > kMaxArgon2MemoryKiB) {
    why = "Argon2 memory m=" + std::to_string(*m) + " KiB is over the bound of " +
          std::to_string(kMaxArgon2MemoryKiB) + " KiB";
    return std::nullopt;
  }
  if (*t > kMaxArgon2WorkKiB / *m) {
    why = "Argon2 work m*t=" + std::to_string(*m) + "*" + std::to_string(*t) +
          " KiB is over the bound of " + std::to_string(kMaxArgon2WorkKiB) + " KiB";
    return std::nullopt;
  }
  why.clear();
  h.memory_kib = static_cast<uint32_t>(*m);
  h.passes = static_cast<uint32_t>(*t);
  h.lanes = static_cast<uint32_t>(*p);
  h.salt = std::move(*salt);
  h.hash = std::move(*hash);
  return h;
}

}  // namespace

std::optional<Argon2Hash> ParseArgon2(std::string_view encoded) {
  std::string why;
  return Parse(encoded, why);
}

std::string Argon2Refusal(std::string_view encoded) {
  std::string why;
  Parse(encoded, why);
  return why;
}

bool VerifyArgon2(std::string_view password, const Argon2Hash& h) {
  if (password.size() > ARGON2_MAX_PWD_LENGTH) return false;
  std::vector<uint8_t> out(h.hash.size());
  std::string pwd(password);  // libargon2 takes a mutable pointer
  std::string salt(h.salt);
  argon2_context ctx{};
  ctx.out = out.data();
  ctx.outlen = static_cast<uint32_t>(out.size());
  ctx.pwd = reinterpret_cast<uint8_t*>(pwd.data());
  ctx.pwdlen = static_cast<uint32_t>(pwd.size());
  ctx.salt = reinterpret_cast<uint8_t*>(salt.data());
  ctx.saltlen = static_cast<uint32_t>(salt.size());
  ctx.t_cost = h.passes;
  ctx.m_cost = h.memory_kib;
  ctx.lanes = h.lanes;
  ctx.threads = 1;  // the caller's hash slot is the unit of concurrency
  ctx.version = h.version;
  ctx.flags = ARGON2_DEFAULT_FLAGS;
  const int rc = argon2_ctx(&ctx, static_cast<argon2_type>(h.type));
  OPENSSL_cleanse(pwd.data(), pwd.size());
  return rc == ARGON2_OK && CRYPTO_memcmp(out.data(), h.hash.data(), out.size()) == 0;
}

}  // namespace gateway
