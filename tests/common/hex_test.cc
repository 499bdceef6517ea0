// Hex digits in and out.
#include "common/hex.h"

#include <doctest/doctest.h>

#include <string>

namespace gateway {
namespace {

TEST_CASE("HexDigitValue reads either case and refuses anything else") {
  CHECK(HexDigitValue('0') == 0);
  CHECK(HexDigitValue('9') == 9);
  CHECK(HexDigitValue('a') == 10);
  CHECK(HexDigitValue('F') == 15);
  for (char c : {'g', 'G', ' ', '%', '\0', '/', ':', '@', '`'}) CHECK(HexDigitValue(c) == -1);
}

TEST_CASE("AppendHex writes two digits per byte, in the case asked for") {
  std::string out = "x";
  AppendHex(out, std::string_view("\x00\x7f\xff\xa5", 4));
  CHECK(out == "x007fffa5");
  std::string upper;
  AppendHex(upper, "\xab\xcd", HexCase::kUpper);
  CHECK(upper == "ABCD");
}

}  // namespace
}  // namespace gateway
