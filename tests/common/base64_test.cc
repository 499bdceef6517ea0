// base64 (RFC 4648 §4, padded) and base64url (§5, unpadded, as in JWTs).
#include "common/base64.h"

#include <doctest/doctest.h>

#include <string>

#include "common/uuid.h"

namespace gateway {
namespace {

TEST_CASE("Base64Encode matches the RFC 4648 test vectors") {
  CHECK(Base64Encode("") == "");
  CHECK(Base64Encode("f") == "Zg==");
  CHECK(Base64Encode("fo") == "Zm8=");
  CHECK(Base64Encode("foo") == "Zm9v");
  CHECK(Base64Encode("foob") == "Zm9vYg==");
  CHECK(Base64Encode("fooba") == "Zm9vYmE=");
  CHECK(Base64Encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("Base64Decode inverts the RFC 4648 test vectors") {
  CHECK(Base64Decode("") == std::string());
  CHECK(Base64Decode("Zg==") == "f");
  CHECK(Base64Decode("Zm8=") == "fo");
  CHECK(Base64Decode("Zm9v") == "foo");
  CHECK(Base64Decode("Zm9vYg==") == "foob");
  CHECK(Base64Decode("Zm9vYmE=") == "fooba");
  CHECK(Base64Decode("Zm9vYmFy") == "foobar");
}

TEST_CASE("base64 and base64url round-trip every byte value and length") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t len = 0; len <= all.size(); len += 1) {
    const std::string bytes = all.substr(all.size() - len);
    CHECK(Base64Decode(Base64Encode(bytes)) == bytes);
    CHECK(Base64UrlDecode(Base64UrlEncode(bytes)) == bytes);
  }
  for (int i = 0; i < 50; ++i) {
    const std::string random = RandomBytes(static_cast<size_t>(i) * 7);
    CHECK(Base64Decode(Base64Encode(random)) == random);
    CHECK(Base64UrlDecode(Base64UrlEncode(random)) == random);
  }
  // Embedded NULs survive.
  const std::string nul("a\0b\0", 4);
  CHECK(Base64Decode(Base64Encode(nul)) == nul);
}

TEST_CASE("base64url uses - and _ and no padding") {
  const std::string bytes = "\xfb\xff\xbf";  // standard: "+/+/"
  CHECK(Base64Encode(bytes) == "+/+/");
  CHECK(Base64UrlEncode(bytes) == "-_-_");
  CHECK(Base64UrlEncode("f") == "Zg");
  CHECK(Base64UrlEncode("fo") == "Zm8");
  CHECK(Base64UrlDecode("Zg") == "f");
  CHECK(Base64UrlDecode("Zm8") == "fo");
  CHECK(Base64UrlDecode("-_-_") == bytes);
  // The JWT header every HS256 token starts with.
  CHECK(Base64UrlDecode("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9") ==
        R"({"alg":"HS256","typ":"JWT"})");
}

TEST_CASE("Base64Decode rejects invalid input") {
  for (const char* bad : {"Zg=", "Zg", "Z", "Zm9vY", "Zm9v\n", "Zm 9", "Zm9-", "Zm9_",
                          "Zm9v!A==", "====", "Z===", "=Zm9", "Zm=v", "Zg==Zg=="}) {
    CHECK_FALSE_MESSAGE(Base64Decode(bad).has_value(), std::string(bad));
  }
}

TEST_CASE("Base64UrlDecode rejects invalid input") {
  for (const char* bad : {"Z", "Zm9vY", "Zg==", "Zm8=", "+/+/", "Zm9v!", "Zm 9", "Zm9v\n"}) {
    CHECK_FALSE_MESSAGE(Base64UrlDecode(bad).has_value(), std::string(bad));
  }
}

TEST_CASE("decoders reject a final character with unused bits set") {
  // "f" is "Zg": 'g' = 0b100000 keeps only its top two bits; 'h'..'v' set
  // bits that fall past the byte and would decode to the same "f".
  CHECK(Base64Decode("Zg==") == "f");
  CHECK(Base64UrlDecode("Zg") == "f");
  for (const char* bad : {"Zh==", "Zv==", "Zm9=", "Zm+=", "Zm/="}) {
    CHECK_FALSE_MESSAGE(Base64Decode(bad).has_value(), std::string(bad));
  }
  for (const char* bad : {"Zh", "Zv", "Zm9", "Zm-", "Zm_"}) {
    CHECK_FALSE_MESSAGE(Base64UrlDecode(bad).has_value(), std::string(bad));
  }
  // Every canonical two- and one-byte tail still decodes.
  for (int b = 0; b < 65536; b += 257) {
    const std::string two{static_cast<char>(b >> 8), static_cast<char>(b & 0xff)};
    CHECK(Base64UrlDecode(Base64UrlEncode(two)) == two);
    CHECK(Base64Decode(Base64Encode(two.substr(1))) == two.substr(1));
  }
}

}  // namespace
}  // namespace gateway
