// ASCII whitespace: trimming and blankness.
#include "common/text.h"

#include <doctest/doctest.h>

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

}  // namespace
}  // namespace gateway
