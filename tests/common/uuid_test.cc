// UUIDs: random version 4, name-based version 5, and recognising the form.
#include "common/uuid.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace gateway {
namespace {

TEST_CASE("NewUuid makes lower-case RFC 4122 version 4 ids") {
  for (int i = 0; i < 200; ++i) {
    const std::string id = NewUuid();
    REQUIRE(id.size() == 36);
    CHECK(id[8] == '-');
    CHECK(id[13] == '-');
    CHECK(id[18] == '-');
    CHECK(id[23] == '-');
    CHECK(id[14] == '4');                                          // version
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);  // variant 10xx
    for (size_t j = 0; j < id.size(); ++j) {
      if (j == 8 || j == 13 || j == 18 || j == 23) continue;
      const char c = id[j];
      CHECK(((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
    }
    CHECK(IsUuid(id));
  }
}

TEST_CASE("NewUuid does not repeat") {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(NewUuid());
  CHECK(seen.size() == 10000);
}

TEST_CASE("IsUuid recognises the 8-4-4-4-12 hex form") {
  CHECK(IsUuid("0b5bd2a4-1f5c-4b8e-9e59-3f2d4c0c7a11"));
  CHECK(IsUuid("0B5BD2A4-1F5C-4B8E-9E59-3F2D4C0C7A11"));
  CHECK_FALSE(IsUuid(""));
  CHECK_FALSE(IsUuid("HkhhuXESl"));  // a MicroBase short id
  CHECK_FALSE(IsUuid("0b5bd2a41f5c4b8e9e593f2d4c0c7a11"));
  CHECK_FALSE(IsUuid("0b5bd2a4-1f5c-4b8e-9e59-3f2d4c0c7a1"));
  CHECK_FALSE(IsUuid("0b5bd2a4-1f5c-4b8e-9e59-3f2d4c0c7a111"));
  CHECK_FALSE(IsUuid("0b5bd2a4-1f5c-4b8e-9e59_3f2d4c0c7a11"));
  CHECK_FALSE(IsUuid("0b5bd2a4-1f5c-4b8e-9e59-3f2d4c0c7g11"));
  CHECK_FALSE(IsUuid("{b5bd2a4-1f5c-4b8e-9e59-3f2d4c0c7a11"));
}

TEST_CASE("RandomBytes returns the requested length and differs between calls") {
  CHECK(RandomBytes(0).empty());
  CHECK(RandomBytes(1).size() == 1);
  const std::string a = RandomBytes(32);
  const std::string b = RandomBytes(32);
  CHECK(a.size() == 32);
  CHECK(a != b);
}

TEST_CASE("UuidV5 matches RFC 4122's name-based ids (SHA-1)") {
  // The DNS namespace 6ba7b810-9dad-11d1-80b4-00c04fd430c8 and "python.org":
  // the id Python's uuid.uuid5 (and every RFC 4122 implementation) gives.
  const std::string dns("\x6b\xa7\xb8\x10\x9d\xad\x11\xd1\x80\xb4\x00\xc0\x4f\xd4\x30\xc8", 16);
  CHECK(UuidV5(dns, "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  CHECK(UuidV5(dns, "python.org") == UuidV5(dns, "python.org"));
  CHECK(UuidV5(dns, "python.org") != UuidV5(dns, "python.org."));
}

}  // namespace
}  // namespace gateway
