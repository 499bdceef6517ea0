// Percent-coding under the gateway's one policy, and query splitting.
#include "common/url.h"

#include <doctest/doctest.h>

#include <string>

namespace gateway {
namespace {

TEST_CASE("PercentDecode decodes escapes in either case and '+' as asked") {
  CHECK(PercentDecode("a%20b%2Fc%2fd", PlusIs::kSpace) == "a b/c/d");
  CHECK(PercentDecode("a+b%2B", PlusIs::kSpace) == "a b+");
  CHECK(PercentDecode("a+b%2B", PlusIs::kPlus) == "a+b+");
  CHECK(PercentDecode("", PlusIs::kSpace) == "");
  CHECK(PercentDecode("Zo%C3%AB", PlusIs::kSpace) == "Zo\xC3\xAB");
}

TEST_CASE("PercentDecode refuses a broken escape or bytes that are not UTF-8") {
  for (const char* bad : {"%", "%2", "a%2", "%zz", "%2g", "%%41", "%FF", "%C3", "%ED%A0%80"}) {
    CAPTURE(bad);
    CHECK_FALSE(PercentDecode(bad, PlusIs::kSpace).has_value());
  }
}

TEST_CASE("PercentEncode keeps unreserved characters and those asked for") {
  CHECK(PercentEncode("aZ09-._~") == "aZ09-._~");
  CHECK(PercentEncode("a b/c?&=%") == "a%20b%2Fc%3F%26%3D%25");
  CHECK(PercentEncode("eq(name,x)", "(),") == "eq(name,x)");
  CHECK(PercentEncode("\xC3\xAB") == "%C3%AB");
  CHECK(PercentDecode(PercentEncode("any text: 100% + more"), PlusIs::kSpace) ==
        "any text: 100% + more");
}

TEST_CASE("SplitQuery splits at '&' and the first '=', skipping empty parts") {
  const std::vector<RawParameter> p = SplitQuery("a=1&&b&c=x=y&=z&");
  REQUIRE(p.size() == 4);
  CHECK(p[0].key == "a");
  CHECK(p[0].value == "1");
  CHECK(p[1].key == "b");
  CHECK(p[1].value == "");
  CHECK(p[2].key == "c");
  CHECK(p[2].value == "x=y");
  CHECK(p[3].key == "");
  CHECK(p[3].value == "z");
  CHECK(SplitQuery("").empty());
}

}  // namespace
}  // namespace gateway
