// Reading the Elastic Path customer listing's query string and writing its
// page envelope, without a socket or a database.
#include <doctest/doctest.h>
#include <simdjson.h>

#include "adapters/elastic_path_v2/listing.h"

namespace gateway::elastic_path {
namespace {

ListingRequest Parse(std::string_view raw) {
  Result<ListingRequest> r = ParseListingQuery(raw);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  return std::move(r).value();
}

Status ParseFailure(std::string_view raw) {
  Result<ListingRequest> r = ParseListingQuery(raw);
  REQUIRE_FALSE(r.ok());
  return r.status();
}

}  // namespace

TEST_CASE("listing: query component decoding") {
  CHECK(DecodeQueryComponent("a+b%20c%2Bd") == "a b c+d");
  CHECK(DecodeQueryComponent("page%5Blimit%5D") == "page[limit]");
  CHECK(DecodeQueryComponent("%C3%A9") == "\xC3\xA9");
  CHECK_FALSE(DecodeQueryComponent("%").has_value());
  CHECK_FALSE(DecodeQueryComponent("%4").has_value());
  CHECK_FALSE(DecodeQueryComponent("%zz").has_value());
  CHECK_FALSE(DecodeQueryComponent("%C3").has_value());  // truncated UTF-8
}

TEST_CASE("listing: defaults") {
  ListingRequest r = Parse("");
  CHECK(r.query.limit == 25);
  CHECK(r.query.offset == 0);
  CHECK(r.query.sort.field == QueryField::kCreatedAt);
  CHECK(r.query.sort.descending);
  CHECK(r.query.conditions.empty());
  CHECK(r.sort.empty());
  CHECK(r.filter.empty());
}

TEST_CASE("listing: the SDK's unencoded query") {
  ListingRequest r = Parse(
      "sort=-created_at&page[limit]=5&page[offset]=10&filter=eq(email,ron+1@swanson.com):"
      "eq(name,Ron%20Swanson):like(name,*ron*)");
  CHECK(r.query.limit == 5);
  CHECK(r.query.offset == 10);
  CHECK(r.query.sort.field == QueryField::kCreatedAt);
  CHECK(r.query.sort.descending);
  REQUIRE(r.query.conditions.size() == 3);
  // An unencoded '+' is a space, as Elastic Path documents.
  CHECK(r.query.conditions[0].values[0] == "ron 1@swanson.com");
  CHECK(r.query.conditions[1].values[0] == "Ron Swanson");
  CHECK(r.sort == "-created_at");
  CHECK(r.filter == "eq(email,ron 1@swanson.com):eq(name,Ron Swanson):like(name,*ron*)");
}

TEST_CASE("listing: a fully encoded filter and encoded brackets") {
  ListingRequest r =
      Parse("page%5Blimit%5D=7&filter=eq%28email%2Cron%2B1%40swanson.com%29&unknown=1&include=x");
  CHECK(r.query.limit == 7);
  REQUIRE(r.query.conditions.size() == 1);
  CHECK(r.query.conditions[0].values[0] == "ron+1@swanson.com");
}

TEST_CASE("listing: sort keys; bare ascending, '-' descending") {
  for (auto [name, key] : {std::pair{"created_at", QueryField::kCreatedAt},
                           {"email", QueryField::kEmail},
                           {"id", QueryField::kId},
                           {"name", QueryField::kName},
                           {"updated_at", QueryField::kUpdatedAt}}) {
    // Copies, not the bindings: CAPTURE takes its argument in a lambda.
    const char* text = name;
    QueryField field = key;
    CAPTURE(text);
    ListingRequest asc = Parse(std::string("sort=") + text);
    CHECK(asc.query.sort.field == field);
    CHECK_FALSE(asc.query.sort.descending);
    ListingRequest desc = Parse(std::string("sort=-") + text);
    CHECK(desc.query.sort.field == field);
    CHECK(desc.query.sort.descending);
  }
  for (const char* bad : {"sort=", "sort=-", "sort=password", "sort=--id", "sort=+id", "sort=ID"}) {
    CAPTURE(bad);
    CHECK(ParseFailure(bad).field() == "sort");
  }
}

TEST_CASE("listing: page bounds") {
  CHECK(Parse("page[limit]=100").query.limit == 100);
  CHECK(Parse("page[limit]=1").query.limit == 1);
  CHECK(Parse("page[limit]=0").query.limit == 25);
  CHECK(Parse("page[offset]=10000").query.offset == 10000);
  for (const char* bad : {"page[limit]=101", "page[limit]=-1", "page[limit]=abc", "page[limit]=",
                          "page[limit]=1.5", "page[limit]=%2B5", "page[limit]=99999999999"}) {
    CAPTURE(bad);
    CHECK(ParseFailure(bad).field() == "page[limit]");
  }
  for (const char* bad : {"page[offset]=10001", "page[offset]=-1", "page[offset]=x"}) {
    CAPTURE(bad);
    CHECK(ParseFailure(bad).field() == "page[offset]");
  }
}

TEST_CASE("listing: repeated parameters are ambiguous") {
  CHECK(ParseFailure("page[limit]=1&page%5Blimit%5D=2").field() == "page[limit]");
  CHECK(ParseFailure("filter=eq(id,a)&filter=eq(id,b)").field() == "filter");
}

TEST_CASE("listing: filter failures carry the field 'filter'") {
  CHECK(ParseFailure("filter=eq(email").field() == "filter");
  CHECK(ParseFailure("filter=like(id,x)").field() == "filter");
  CHECK(ParseFailure("filter=eq(name,%FF)").field() == "filter");
  CHECK(Parse("filter=").query.conditions.empty());  // the SDK's Filter({})
}

TEST_CASE("listing: page envelope and links") {
  ListingRequest r = Parse("page[limit]=2&page[offset]=2&sort=email&filter=eq(name,Ron+Swanson)");
  CustomerPage page;
  page.total = 5;
  page.customers.resize(2);
  page.customers[0].id = "a";
  page.customers[1].id = "b";
  JsonWriter w;
  WriteListing(w, page, r, {}, "http://example.test:8080");
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(w.str());
  CHECK(doc["data"].get_array().size() == 2);
  CHECK(int64_t(doc["meta"]["page"]["limit"]) == 2);
  CHECK(int64_t(doc["meta"]["page"]["offset"]) == 2);
  CHECK(int64_t(doc["meta"]["page"]["current"]) == 2);
  CHECK(int64_t(doc["meta"]["page"]["total"]) == 3);
  CHECK(int64_t(doc["meta"]["results"]["total"]) == 5);
  const std::string tail = "&sort=email&filter=eq(name,Ron%20Swanson)";
  auto link = [&](const char* key) { return std::string(std::string_view(doc["links"][key])); };
  CHECK(link("current") ==
        "http://example.test:8080/v2/customers?page[limit]=2&page[offset]=2" + tail);
  CHECK(link("first") ==
        "http://example.test:8080/v2/customers?page[limit]=2&page[offset]=0" + tail);
  CHECK(link("prev") ==
        "http://example.test:8080/v2/customers?page[limit]=2&page[offset]=0" + tail);
  CHECK(link("next") ==
        "http://example.test:8080/v2/customers?page[limit]=2&page[offset]=4" + tail);
  CHECK(link("last") ==
        "http://example.test:8080/v2/customers?page[limit]=2&page[offset]=4" + tail);
}

TEST_CASE("listing: zero results still carry the pagination fields") {
  ListingRequest r = Parse("");
  JsonWriter w;
  WriteListing(w, CustomerPage{}, r, {}, "http://h");
  CHECK(
      w.str() ==
      R"({"data":[],"meta":{"page":{"limit":25,"offset":0,"current":1,"total":0},)"
      R"("results":{"total":0}},"links":{"current":"http://h/v2/customers?page[limit]=25&page[offset]=0",)"
      R"("first":"http://h/v2/customers?page[limit]=25&page[offset]=0",)"
      R"("last":null,"next":null,"prev":null}})");
}

TEST_CASE("listing: link values are re-encoded so they stay valid URLs") {
  ListingRequest r = Parse("filter=eq(email,%22a%2Bb%26c%23d%22)");
  JsonWriter w;
  WriteListing(w, CustomerPage{}, r, {}, "http://h");
  CHECK(w.str().find("&filter=eq(email,%22a%2Bb%26c%23d%22)") != std::string::npos);
}

}  // namespace gateway::elastic_path
