// customer.list's arguments: IN filters, the reference's limit and skip
// arithmetic, and the fields projection.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "adapters/microbase_v1/list_request.h"

namespace gateway::microbase {
namespace {

struct Parsed {
  std::optional<std::string> error;
  ListRequest request;
};

Parsed Read(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::object args = parser.parse(simdjson::padded_string(json)).get_object().value();
  Parsed p;
  p.error = ReadListRequest(args, p.request);
  return p;
}

double Js(const std::string& json) {
  simdjson::dom::parser parser;
  return JsNumber(parser.parse(simdjson::padded_string(json)).value());
}

TEST_CASE("JsNumber is JavaScript's unary plus") {
  CHECK(Js("5") == 5);
  CHECK(Js("-2.5") == -2.5);
  CHECK(Js(R"("12")") == 12);
  CHECK(Js(R"(" 12 ")") == 12);
  CHECK(Js(R"("")") == 0);
  CHECK(Js(R"("0x10")") == 16);
  CHECK(Js(R"("1e2")") == 100);
  CHECK(Js(R"(".5")") == 0.5);
  CHECK(Js(R"("+3")") == 3);
  CHECK(Js(R"("Infinity")") == INFINITY);
  CHECK(Js("true") == 1);
  CHECK(Js("null") == 0);
  CHECK(std::isnan(Js(R"("abc")")));
  CHECK(std::isnan(Js(R"("5abc")")));
  CHECK(std::isnan(Js(R"("inf")")));
  CHECK(std::isnan(Js(R"("1e")")));
  CHECK(std::isnan(Js(R"("+-1")")));
  CHECK(std::isnan(Js(R"("-0x10")")));
  CHECK(std::isnan(Js("[]")));
}

TEST_CASE("no arguments: default page, creation order, every member") {
  Parsed p = Read("{}");
  REQUIRE(!p.error);
  CHECK(p.request.query.conditions.empty());
  CHECK(p.request.query.limit == 10);
  CHECK(p.request.query.offset == 0);
  CHECK(p.request.query.sort.field == QueryField::kCreatedAt);
  CHECK(!p.request.query.sort.descending);
  CHECK(p.request.members == kAllMembers);
}

TEST_CASE("filters: comma lists (or arrays) matched with IN, in a fixed order") {
  Parsed p = Read(
      R"({"tags":"a,b","email":"x@y.z","id":"HkhhuXESl,HkhhuXES3","status":"ACTIVE","other":"1"})");
  REQUIRE(!p.error);
  const auto& c = p.request.query.conditions;
  REQUIRE(c.size() == 4);
  CHECK(c[0].field == QueryField::kId);
  CHECK(c[0].values == std::vector<std::string>{"HkhhuXESl", "HkhhuXES3"});
  CHECK(c[1].field == QueryField::kEmail);
  CHECK(c[2].field == QueryField::kStatus);
  CHECK(c[3].field == QueryField::kTag);
  CHECK(c[3].values == std::vector<std::string>{"a", "b"});
  for (const Condition& cond : c) CHECK(cond.op == QueryOp::kIn);
  CHECK(Read(R"({"email":""})").request.query.conditions[0].values == std::vector<std::string>{""});
  CHECK(Read(R"({"tags":["a","b"]})").request.query.conditions[0].values ==
        std::vector<std::string>{"a", "b"});
  CHECK(Read(R"({"id":5})").error == "payload.id: should be string");
  CHECK(Read(R"({"tags":[1]})").error == "payload.tags: should be string");
  CHECK(Read(R"({"status":null})").error == "payload.status: should be string");
  std::string many = "x";
  for (int i = 0; i < 1000; ++i) many += ",x";
  CHECK(Read(R"({"email":")" + many + R"("})").error ==
        "payload.email: should have at most 1000 values");
  CHECK(!Read(R"({"email":")" + many.substr(2) + R"("})").error);
}

TEST_CASE("limit: +limit || 10, at most 100, negatives as MongoDB reads them") {
  auto limit = [](const std::string& v) {
    return Read(R"({"limit":)" + v + "}").request.query.limit;
  };
  CHECK(limit("5") == 5);
  CHECK(limit(R"("7")") == 7);
  CHECK(limit("0") == 10);
  CHECK(limit(R"("abc")") == 10);
  CHECK(limit(R"("")") == 10);
  CHECK(limit("101") == 100);
  CHECK(limit(R"("Infinity")") == 100);
  CHECK(limit("-3") == 3);
  CHECK(limit("-1000") == 100);
  CHECK(limit("2.9") == 2);
  CHECK(limit("0.5") == 10);
}

TEST_CASE("skip: +skip || 0; a negative skip is refused") {
  auto skip = [](const std::string& v) { return Read(R"({"skip":)" + v + "}"); };
  CHECK(skip("20").request.query.offset == 20);
  CHECK(skip(R"("3")").request.query.offset == 3);
  CHECK(skip(R"("x")").request.query.offset == 0);
  CHECK(skip("1.7").request.query.offset == 1);
  CHECK(skip(R"("Infinity")").request.query.offset == 1000000000000000);
  CHECK(skip("-1").error == "payload.skip: should be >= 0");
}

TEST_CASE("fields: inclusion, exclusion, unknown names dropped, id always") {
  auto members = [](const std::string& v) { return Read(R"({"fields":)" + v + "}"); };
  CHECK(members(R"("email,firstName")").request.members ==
        (kMemberId | kMemberEmail | kMemberFirstName));
  CHECK(members(R"("-addresses,-tags")").request.members ==
        (kAllMembers & ~(kMemberAddresses | kMemberTags)));
  CHECK(members(R"("-id")").request.members == kAllMembers);
  CHECK(members(R"("password,_id")").request.members == kAllMembers);
  CHECK(members(R"("email, firstName")").request.members == (kMemberId | kMemberEmail));
  CHECK(members(R"("")").request.members == kAllMembers);
  CHECK(members("false").request.members == kAllMembers);
  CHECK(members(R"(["status"])").request.members == (kMemberId | kMemberStatus));
  CHECK(members(R"("email,-tags")").error ==
        "payload.fields: cannot mix included and excluded fields");
  CHECK(members("5").error == "payload.fields: should be string");
}

}  // namespace
}  // namespace gateway::microbase
