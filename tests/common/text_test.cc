// ASCII text: trimming, blankness and token shapes.
#include "common/text.h"

#include <doctest/doctest.h>

#include <string>

namespace gateway {
namespace {

TEST_CASE("TrimAsciiSpace removes C-locale whitespace at both ends only") {
  CHECK(TrimAsciiSpace(" \t\r\n\f\va b\v ") == "a b");
  CHECK(TrimAsciiSpace("   ").empty());
  CHECK(TrimAsciiSpace("x") == "x");
  CHECK(TrimAsciiSpace("\xC2\xA0x") == "\xC2\xA0x");  // a no-break space is not ASCII
}

TEST_CASE("IsBlank: only JSON whitespace, or nothing") {
  CHECK(IsBlank(""));
  CHECK(IsBlank(" \t\r\n"));
  CHECK_FALSE(IsBlank(" x "));
  CHECK_FALSE(IsBlank("\f"));
}

TEST_CASE("IsAsciiToken: letters, digits and the listed punctuation, 1 to max characters") {
  CHECK(IsAsciiToken("req-1_a.b:c", 128, "-_.:"));
  CHECK(IsAsciiToken(std::string(128, 'a'), 128, ""));
  CHECK_FALSE(IsAsciiToken(std::string(129, 'a'), 128, ""));
  CHECK_FALSE(IsAsciiToken("", 128, "-"));
  CHECK_FALSE(IsAsciiToken("a b", 128, "-"));
  CHECK(IsAsciiToken("a b", 128, " "));
  CHECK_FALSE(IsAsciiToken("caf\xc3\xa9", 128, "-"));
  CHECK_FALSE(IsAsciiToken("a\r\nX-Evil: 1", 128, "-: "));
}

}  // namespace
}  // namespace gateway
