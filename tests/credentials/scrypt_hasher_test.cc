// ScryptHasher: the scrypt format, verification, rehash decisions, and
// imported crypt(3) hashes (MicroBase's bcrypt, other platforms' md5/sha-crypt,
// yescrypt, $7$ scrypt), checked against hashes made by independent tools.
#include "credentials/scrypt_hasher.h"

#include <doctest/doctest.h>

#include <atomic>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace gateway {
namespace {

// Low cost keeps the suite fast; the code path is the one production uses.
constexpr ScryptParams kFast{10, 8, 1};

// Made by Apache's `htpasswd -nbB -C 4 u password` (its own bcrypt code).
constexpr const char* kHtpasswdBcrypt2y =
    "$2y$04$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW";
// The same digest under the other bcrypt prefixes MicroBase's bcrypt emits.
constexpr const char* kHtpasswdBcrypt2a =
    "$2a$04$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW";
constexpr const char* kHtpasswdBcrypt2b =
    "$2b$04$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW";

// Made by Python's hashlib.scrypt(b"correct horse", salt=b"0123456789abcdef",
// n=1024, r=8, p=1, dklen=32), written in this gateway's format.
constexpr const char* kPythonScrypt =
    "$scrypt$ln=10,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg==$6g3umF+uVrJsObaTZhIbbTlgrvOEFcCItdwSjtPF67M=";

TEST_CASE("Hash produces the self-describing scrypt format") {
  ScryptHasher hasher(kFast, 2);
  const std::string h = hasher.Hash("mysecretpassword");
  // 16-byte salt and 32-byte key, standard padded base64.
  const std::regex format(R"(^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$)");
  CHECK_MESSAGE(std::regex_match(h, format), h);
  CHECK(ScryptHasher::IsSupportedFormat(h));
  CHECK(h.find("mysecretpassword") == std::string::npos);
}

TEST_CASE("Verify accepts the right password and rejects others") {
  ScryptHasher hasher(kFast, 2);
  const std::string h = hasher.Hash("mysecretpassword");
  CHECK(hasher.Verify("mysecretpassword", h));
  CHECK_FALSE(hasher.Verify("mysecretpasswordx", h));
  CHECK_FALSE(hasher.Verify("Mysecretpassword", h));
  CHECK_FALSE(hasher.Verify("", h));
  CHECK_FALSE(hasher.Verify("mysecretpasswor", h));
}

TEST_CASE("empty, long, binary and non-ASCII passwords hash and verify") {
  ScryptHasher hasher(kFast, 2);
  const std::string nul("pass\0word", 9);
  for (const std::string& pw :
       {std::string(), std::string(1024, 'p'), nul, std::string("pässwörd 山")}) {
    const std::string h = hasher.Hash(pw);
    CHECK(hasher.Verify(pw, h));
  }
  // The bytes after an embedded NUL count.
  CHECK_FALSE(hasher.Verify("pass", hasher.Hash(nul)));
}

TEST_CASE("each hash gets its own salt") {
  ScryptHasher hasher(kFast, 2);
  const std::string a = hasher.Hash("same");
  const std::string b = hasher.Hash("same");
  CHECK(a != b);
  CHECK(a.substr(0, a.rfind('$')) != b.substr(0, b.rfind('$')));
  CHECK(hasher.Verify("same", a));
  CHECK(hasher.Verify("same", b));
}

TEST_CASE("a hash made with other parameters still verifies and needs a rehash") {
  ScryptHasher old_hasher({11, 8, 1}, 1);
  ScryptHasher hasher(kFast, 1);
  const std::string old_hash = old_hasher.Hash("pw");
  CHECK(old_hash.rfind("$scrypt$ln=11,r=8,p=1$", 0) == 0);
  CHECK(hasher.Verify("pw", old_hash));
  CHECK(hasher.NeedsRehash(old_hash));
  CHECK_FALSE(old_hasher.NeedsRehash(old_hash));
  CHECK_FALSE(hasher.NeedsRehash(hasher.Hash("pw")));

  ScryptHasher other_r({10, 4, 1}, 1);
  ScryptHasher other_p({10, 8, 2}, 1);
  const std::string r_hash = other_r.Hash("pw");
  const std::string p_hash = other_p.Hash("pw");
  CHECK(hasher.Verify("pw", r_hash));
  CHECK(hasher.Verify("pw", p_hash));
  CHECK(hasher.NeedsRehash(r_hash));
  CHECK(hasher.NeedsRehash(p_hash));
}

TEST_CASE("a scrypt hash made by another implementation verifies") {
  ScryptHasher hasher(kFast, 1);
  CHECK(ScryptHasher::IsSupportedFormat(kPythonScrypt));
  CHECK(hasher.Verify("correct horse", kPythonScrypt));
  CHECK_FALSE(hasher.Verify("correct horse!", kPythonScrypt));
  CHECK_FALSE(hasher.NeedsRehash(kPythonScrypt));
  CHECK(ScryptHasher({12, 8, 1}, 1).NeedsRehash(kPythonScrypt));
}

TEST_CASE("bcrypt hashes from another implementation verify, under every prefix") {
  ScryptHasher hasher(kFast, 1);
  for (const char* h : {kHtpasswdBcrypt2y, kHtpasswdBcrypt2a, kHtpasswdBcrypt2b}) {
    CHECK_MESSAGE(ScryptHasher::IsSupportedFormat(h), std::string(h));
    CHECK_MESSAGE(hasher.Verify("password", h), std::string(h));
    CHECK_FALSE_MESSAGE(hasher.Verify("Password", h), std::string(h));
    CHECK_FALSE_MESSAGE(hasher.Verify("password ", h), std::string(h));
    CHECK_FALSE_MESSAGE(hasher.Verify("", h), std::string(h));
    // Imported hashes are upgraded to the gateway's scheme on the next login.
    CHECK(hasher.NeedsRehash(h));
  }
  // A password with an embedded NUL never matches its truncated prefix.
  CHECK_FALSE(hasher.Verify(std::string("password\0tail", 13), kHtpasswdBcrypt2y));
  // A changed digest character breaks verification.
  std::string tampered = kHtpasswdBcrypt2b;
  tampered[40] = tampered[40] == 'a' ? 'b' : 'a';
  CHECK_FALSE(hasher.Verify("password", tampered));
}

TEST_CASE("crypt(3) hashes of other platforms verify and are marked for rehash") {
  ScryptHasher hasher(kFast, 1);
  // Hashes of "password": $1$/$5$/$6$ from OpenSSL's own code (`openssl passwd
  // -1/-5/-6 -salt ...`), $y$ and $7$ from Debian's mkpasswd (libxcrypt).
  for (const char* h : {
           "$1$md5salt1$ZZ2S7bHrosj6jp6SmWl2V1",
           "$5$sha256saltsalt$rzSGJVh6t.DG5Fg/TR7D/9zhXMDaU2JjYI294vkoZNC",
           "$6$sha512saltsalt$M8CiEBrWXxBsKDFElZxgdDeFCFkHMmhFfizuYk5XO2tgzk9sCLx1MujjxWPxPEw3xSUHa"
           "5UTSx2hbCEmLGWMF1",
           "$y$j9T$WSKi5bA6k0Rolxu88Ul7g0$A7TRDqrTX2mTkTQvAN1U2BMeqysrdGPTwsxseMe6ki4",
           "$7$CU..../.....FluDlxADgqlkIIg4xI8e.$wxgt9L2DPit8iUk0U9VvoIC6jSOPP7hr5Dj0Ve2tH/B",
       }) {
    CHECK_MESSAGE(ScryptHasher::IsSupportedFormat(h), std::string(h));
    CHECK_MESSAGE(hasher.Verify("password", h), std::string(h));
    CHECK_FALSE_MESSAGE(hasher.Verify("Password", h), std::string(h));
    CHECK(hasher.NeedsRehash(h));
  }
}

TEST_CASE("crypt(3) hashes over the cost bounds are refused, not computed") {
  ScryptHasher hasher(kFast, 1);
  for (const char* h : {
           // sha512crypt with 1,000,001 rounds (mkpasswd -R 1000001).
           "$6$rounds=1000001$k4wTLZDev/WHRonR$MMvBKiR9b02nXKu0ie14IN6iZ1HOj3pieF5uuLS7YolLrUR/vX"
           "J/k2XKniKmGrbv9iO5apfIJwU2BOvoBIZkm/",
           // bcrypt cost 15.
           "$2b$15$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW",
           // yescrypt N = 2^19, r = 32: 2 GiB.
           "$y$jGT$WSKi5bA6k0Rolxu88Ul7g0$A7TRDqrTX2mTkTQvAN1U2BMeqysrdGPTwsxseMe6ki4",
           // yescrypt with extra parameters (p, t) libxcrypt never writes.
           "$y$j9T.5$WSKi5bA6k0Rolxu88Ul7g0$A7TRDqrTX2mTkTQvAN1U2BMeqysrdGPTwsxseMe6ki4",
           // $7$ scrypt with N = 2^20, r = 32: 4 GiB.
           "$7$IU..../.....FluDlxADgqlkIIg4xI8e.$wxgt9L2DPit8iUk0U9VvoIC6jSOPP7hr5Dj0Ve2tH/B",
           // Malformed: digest cut short, a setting without a digest, a bad character.
           "$1$md5salt1$ZZ2S7bHrosj6jp6SmWl2V",
           "$1$md5crypt",
           "$5$sha256saltsalt$rzSGJVh6t.DG5Fg/TR7D/9zhXMDaU2JjYI294vkoZN!",
       }) {
    CHECK_FALSE_MESSAGE(ScryptHasher::IsSupportedFormat(h), std::string(h));
    CHECK_FALSE_MESSAGE(hasher.Verify("password", h), std::string(h));
  }
}

TEST_CASE("Django PBKDF2-SHA256 hashes verify, within the iteration bound") {
  ScryptHasher hasher(kFast, 1);
  // Python's base64.b64encode(hashlib.pbkdf2_hmac("sha256", b"password",
  // b"seasalt", 1000)) in Django's form.
  const std::string h = "pbkdf2_sha256$1000$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=";
  CHECK(ScryptHasher::IsSupportedFormat(h));
  CHECK(hasher.Verify("password", h));
  CHECK_FALSE(hasher.Verify("Password", h));
  CHECK_FALSE(hasher.Verify(std::string("password\0", 9), h));
  CHECK(hasher.NeedsRehash(h));
  for (const char* bad : {
           "pbkdf2_sha256$2000001$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=",
           "pbkdf2_sha256$0$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=",
           "pbkdf2_sha256$-1$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=",
           "pbkdf2_sha256$1000$$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=",
           "pbkdf2_sha256$1000$sea salt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=",
           "pbkdf2_sha256$1000$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7",
           "pbkdf2_sha256$1000$seasalt",
           "pbkdf2_sha1$1000$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=",
       }) {
    CHECK_FALSE_MESSAGE(ScryptHasher::IsSupportedFormat(bad), std::string(bad));
    CHECK_FALSE_MESSAGE(hasher.Verify("password", bad), std::string(bad));
  }
}

TEST_CASE("IsSupportedFormat rejects what Verify cannot check") {
  ScryptHasher hasher(kFast, 1);
  const std::string good = hasher.Hash("pw");
  const std::string salt_and_key = good.substr(good.find("$", 8));
  for (const std::string& bad : {
           std::string(),
           std::string("plaintext"),
           std::string("$scrypt$"),
           "$scrypt$ln=10,r=8$" + salt_and_key.substr(1),
           "$scrypt$ln=0,r=8,p=1" + salt_and_key,
           "$scrypt$ln=99,r=8,p=1" + salt_and_key,
           "$scrypt$ln=10,r=0,p=1" + salt_and_key,
           "$scrypt$ln=10,r=8,p=0" + salt_and_key,
           "$scrypt$ln=x,r=8,p=1" + salt_and_key,
           "$scrypt$r=8,ln=10,p=1" + salt_and_key,
           // More memory than any hash the gateway writes (1 GiB at ln=20, r=8).
           "$scrypt$ln=21,r=8,p=1" + salt_and_key,
           "$scrypt$ln=20,r=16,p=1" + salt_and_key,
           "$scrypt$ln=22,r=32,p=16" + salt_and_key,
           good.substr(0, good.size() - 4),        // key cut short
           good.substr(0, good.rfind('$')) + "$",  // no key
           good + "AAAA",                          // key too long
           std::string("$2x$04$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW"),
           std::string("$2b$03$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW"),
           std::string("$2b$32$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKWW"),
           std::string("$2b$04$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKW"),
           std::string("$2b$04$GKEYyFVDSn5zDgZxyIgf3uUreKS3cHUIrJcJFW1gdYq8MJdCguKW!"),
           std::string("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g"),
       }) {
    CHECK_FALSE_MESSAGE(ScryptHasher::IsSupportedFormat(bad), bad);
    CHECK_FALSE_MESSAGE(hasher.Verify("pw", bad), bad);
    CHECK(hasher.NeedsRehash(bad));
  }
  // The costliest parameters the gateway itself can be configured to write.
  CHECK(ScryptHasher::IsSupportedFormat("$scrypt$ln=20,r=8,p=1" + salt_and_key));
}

TEST_CASE("concurrent hashing beyond the slot bound completes correctly") {
  ScryptHasher hasher(kFast, 2);
  std::atomic<int> verified{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      const std::string pw = "pw-" + std::to_string(i);
      const std::string h = hasher.Hash(pw);
      if (hasher.Verify(pw, h) && !hasher.Verify(pw + "x", h)) ++verified;
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(verified.load() == 8);
}

}  // namespace
}  // namespace gateway
