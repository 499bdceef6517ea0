// Argon2 hashes imported from other platforms: parsing, the cost bounds and
// verification through ScryptHasher, against hashes the reference `argon2`
// command made.
#include "credentials/argon2_hash.h"

#include <doctest/doctest.h>

#include <string>

#include "credentials/scrypt_hasher.h"

namespace gateway {
namespace {

// `echo -n 'correct horse' | argon2 saltsaltsalt <flags> -e`
constexpr const char* kArgon2id =  // -id -t 3 -k 4096 -p 2
    "$argon2id$v=19$m=4096,t=3,p=2$c2FsdHNhbHRzYWx0$54340GKFnCLDJ92ew+IHLoDeY3NBTp5h9v05wHc20y8";
constexpr const char* kArgon2i =  // -i -t 2 -k 1024 -p 1
    "$argon2i$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0$sd2wE4z6YKcwaFhcyqP4TORSrNKt7aNTBs3DelB3HkQ";
constexpr const char* kArgon2d =  // -d -t 1 -k 2048 -p 4
    "$argon2d$v=19$m=2048,t=1,p=4$c2FsdHNhbHRzYWx0$4gZk/+YVzjevql3cONtp0PLYKFtU+nVllpTPHiIlz5Q";
constexpr const char* kArgon2idV10 =  // -id -t 2 -k 1024 -p 1 -v 10
    "$argon2id$v=16$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0$6iRJmfGdHTELtcXu2MRmyzkG9GMr4Gx/qoyRwJuTPBE";

TEST_CASE("Argon2 hashes of every variant verify through the hasher and need a rehash") {
  ScryptHasher hasher({10, 8, 1}, 2);
  for (const char* h : {kArgon2id, kArgon2i, kArgon2d, kArgon2idV10}) {
    CAPTURE(h);
    CHECK(ScryptHasher::IsSupportedFormat(h));
    CHECK(hasher.Verify("correct horse", h));
    CHECK_FALSE(hasher.Verify("correct horsE", h));
    CHECK_FALSE(hasher.Verify("", h));
    CHECK(hasher.NeedsRehash(h));
    CHECK(Argon2Refusal(h).empty());
  }
  // v=16 without the v= member, as version 1.0 wrote it.
  CHECK(hasher.Verify("correct horse", std::string(kArgon2idV10).erase(10, 5)));
  // Django keeps argon2-cffi's string behind its algorithm name.
  CHECK(hasher.Verify("correct horse", std::string("argon2") + kArgon2id));
}

TEST_CASE("Argon2 parameters are read as written") {
  auto h = ParseArgon2(kArgon2d);
  REQUIRE(h);
  CHECK(h->type == 0);
  CHECK(h->version == 0x13);
  CHECK(h->memory_kib == 2048);
  CHECK(h->passes == 1);
  CHECK(h->lanes == 4);
  CHECK(h->salt == "saltsaltsalt");
  CHECK(h->hash.size() == 32);
}

TEST_CASE("Argon2 hashes over the cost bounds are refused with the reason, not computed") {
  const std::string tail = "$c2FsdHNhbHRzYWx0$54340GKFnCLDJ92ew+IHLoDeY3NBTp5h9v05wHc20y8";
  struct Case {
    std::string params;
    std::string reason;
  };
  for (const Case& c : {
           Case{"m=2097152,t=1,p=4", "memory m=2097152 KiB is over the bound of 1048576 KiB"},
           Case{"m=1048576,t=2,p=4", "work m*t=1048576*2 KiB is over the bound of 1048576 KiB"},
           Case{"m=65536,t=17,p=4", "work m*t=65536*17 KiB"},
           Case{"m=65536,t=18446744073709551615,p=4", "work m*t=65536*"},
           Case{"m=65536,t=99999999999999999999,p=4", "malformed"},
           Case{"m=65536,t=3,p=17", "out of range"},
           Case{"m=65536,t=0,p=1", "out of range"},
           Case{"m=8,t=1,p=2", "out of range"},
       }) {
    const std::string h = "$argon2id$v=19$" + c.params + tail;
    CAPTURE(h);
    CHECK_FALSE(ScryptHasher::IsSupportedFormat(h));
    CHECK(Argon2Refusal(h).find(c.reason) != std::string::npos);
  }
  // Exactly at the bounds is accepted: 1 GiB × 1 pass, 64 MiB × 16 passes.
  CHECK(ParseArgon2("$argon2id$v=19$m=1048576,t=1,p=4" + tail));
  CHECK(ParseArgon2("$argon2id$v=19$m=65536,t=16,p=4" + tail));
}

TEST_CASE("malformed Argon2 strings are refused") {
  for (const char* h : {
           "$argon2id$v=19$m=4096,t=3,p=2$c2FsdHNhbHRzYWx0$",
           "$argon2id$v=19$m=4096,t=3,p=2$$54340GKFnCLDJ92ew+IHLoDeY3NBTp5h9v05wHc20y8",
           "$argon2id$v=19$m=4096,t=3,p=2$c2FsdA$54340GKFnCLDJ92ew+IHLoDeY3NBTp5h9v05wHc20y8",
           "$argon2id$v=19$m=4096,t=3,p=2$c2FsdHNhbHRzYWx0$54340GKFnCLDJ92ew+"
           "IHLoDeY3NBTp5h9v05wHc20y8=",
           "$argon2id$v=19$t=3,m=4096,p=2$c2FsdHNhbHRzYWx0$54340GKFnCLDJ92ew+"
           "IHLoDeY3NBTp5h9v05wHc20y8",
           "$argon2id$v=19$m=04096,t=3,p=2$c2FsdHNhbHRzYWx0$54340GKFnCLDJ92ew+"
           "IHLoDeY3NBTp5h9v05wHc20y8",
           "$argon2id$v=18$m=4096,t=3,p=2$c2FsdHNhbHRzYWx0$54340GKFnCLDJ92ew+"
           "IHLoDeY3NBTp5h9v05wHc20y8",
           "$argon2id$v=19$m=4096,t=3,p=2,keyid=a$c2FsdHNhbHRzYWx0$54340GKFnCLDJ92ew+"
           "IHLoDeY3NBTp5h9v05wHc20y8",
           "$argon2x$v=19$m=4096,t=3,p=2$c2FsdHNhbHRzYWx0$54340GKFnCLDJ92ew+"
           "IHLoDeY3NBTp5h9v05wHc20y8",
       }) {
    CAPTURE(h);
    CHECK_FALSE(ParseArgon2(h));
    CHECK_FALSE(Argon2Refusal(h).empty());
  }
  CHECK(Argon2Refusal("$6$salt$hash").empty());
}

}  // namespace
}  // namespace gateway
