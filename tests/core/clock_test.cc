// Time rendering and parsing (UTC, milliseconds) and random ids.
#include "core/clock.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>

namespace gateway {
namespace {

// 2017-01-11T18:44:45.123Z, computed independently: 17177 days after the epoch.
constexpr int64_t kRonCreated = 17177LL * 86400000 + (18 * 3600 + 44 * 60 + 45) * 1000LL + 123;

TEST_CASE("FormatIsoTime renders UTC with or without milliseconds") {
  CHECK(FormatIsoTime(0) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatIsoTime(0, false) == "1970-01-01T00:00:00Z");
  CHECK(FormatIsoTime(kRonCreated) == "2017-01-11T18:44:45.123Z");
  CHECK(FormatIsoTime(kRonCreated, false) == "2017-01-11T18:44:45Z");
  CHECK(FormatIsoTime(951782400000) == "2000-02-29T00:00:00.000Z");  // leap day
  CHECK(FormatIsoTime(4102444799999) == "2099-12-31T23:59:59.999Z");
  CHECK(FormatIsoTime(7) == "1970-01-01T00:00:00.007Z");
  // Before the epoch the milliseconds still count forward within the second.
  CHECK(FormatIsoTime(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(FormatIsoTime(-1000) == "1969-12-31T23:59:59.000Z");
}

TEST_CASE("ParseTimeToMillis reads dates, ISO timestamps and epoch milliseconds") {
  CHECK(ParseTimeToMillis("2017-01-11") == 17177LL * 86400000);
  CHECK(ParseTimeToMillis("1970-01-01") == 0);
  CHECK(ParseTimeToMillis("2000-02-29") == 951782400000);
  CHECK(ParseTimeToMillis("2017-01-11T18:44:45.123Z") == kRonCreated);
  CHECK(ParseTimeToMillis("2017-01-11T18:44:45Z") == kRonCreated - 123);
  CHECK(ParseTimeToMillis("2017-01-11T18:44:45") == kRonCreated - 123);  // no zone: UTC
  CHECK(ParseTimeToMillis("2017-01-11 18:44:45.123Z") == kRonCreated);
  // Fractions shorter or longer than milliseconds.
  CHECK(ParseTimeToMillis("2017-01-11T18:44:45.1Z") == kRonCreated - 23);
  CHECK(ParseTimeToMillis("2017-01-11T18:44:45.12Z") == kRonCreated - 3);
  CHECK(ParseTimeToMillis("2017-01-11T18:44:45.123999Z") == kRonCreated);
  // Offsets are converted to UTC.
  CHECK(ParseTimeToMillis("2017-01-11T19:44:45.123+01:00") == kRonCreated);
  CHECK(ParseTimeToMillis("2017-01-11T13:14:45.123-05:30") == kRonCreated);
  CHECK(ParseTimeToMillis("2017-01-11T18:44:45.123+00:00") == kRonCreated);
  // Epoch milliseconds as digits.
  CHECK(ParseTimeToMillis("0") == 0);
  CHECK(ParseTimeToMillis("1484160285123") == kRonCreated);
}

TEST_CASE("ParseTimeToMillis round-trips FormatIsoTime") {
  for (int64_t t : {int64_t{0}, kRonCreated, int64_t{951782400000}, int64_t{4102444799999},
                    int64_t{1700000000001}}) {
    CHECK(ParseTimeToMillis(FormatIsoTime(t)) == t);
    CHECK(ParseTimeToMillis(FormatIsoTime(t, false)) == t - t % 1000);
  }
}

TEST_CASE("ParseTimeToMillis rejects malformed input") {
  for (const char* bad : {
           "",
           "yesterday",
           "2017-1-11",
           "2017/01/11",
           "17-01-11",
           "2017-00-11",
           "2017-13-01",
           "2017-01-00",
           "2017-01-32",
           "2017-02-30",  // no such day
           "2017-02-29",  // not a leap year
           "2100-02-29",  // century, not a leap year
           "2017-04-31",
           "2017-01-11T",
           "2017-01-11T18:44",
           "2017-01-11T24:00:00Z",
           "2017-01-11T18:60:00Z",
           "2017-01-11T18:44:61Z",
           "2017-01-11T18:44:45.Z",
           "2017-01-11T18:44:45ZZ",
           "2017-01-11T18:44:45X",
           "2017-01-11T18:44:45+0100",
           "2017-01-11T18:44:45+01",
           "2017-01-11T18:44:45+24:00",
           "2017-01-11T18:44:45+01:60",
           "2017-01-11x",
           "-1",
           "12a4",
           " 2017-01-11",
           "1234567890123456789012",  // too many digits for epoch ms
       }) {
    CHECK_FALSE_MESSAGE(ParseTimeToMillis(bad).has_value(), std::string(bad));
  }
  CHECK(ParseTimeToMillis("2016-02-29").has_value());
  CHECK(ParseTimeToMillis("2000-02-29").has_value());
}

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

TEST_CASE("NowMillis is current UTC time in milliseconds") {
  const int64_t now = NowMillis();
  CHECK(now > *ParseTimeToMillis("2024-01-01"));
  CHECK(now < *ParseTimeToMillis("2100-01-01"));
  CHECK(NowMillis() >= now);
}

}  // namespace
}  // namespace gateway
