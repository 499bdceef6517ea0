// Time rendering and parsing (UTC, milliseconds).
#include "common/iso_time.h"

#include <doctest/doctest.h>

#include <cstdint>
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

TEST_CASE("NowMillis is current UTC time in milliseconds") {
  const int64_t now = NowMillis();
  CHECK(now > *ParseTimeToMillis("2024-01-01"));
  CHECK(now < *ParseTimeToMillis("2100-01-01"));
  CHECK(NowMillis() >= now);
}

}  // namespace
}  // namespace gateway
