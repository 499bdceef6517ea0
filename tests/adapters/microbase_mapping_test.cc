// The MicroBase field mapping: phone rendering, wire field paths, address
// replacement (fields MicroBase cannot see survive) and list projection.
#include <doctest/doctest.h>

#include <string>

#include "adapters/microbase_v1/mapping.h"

namespace gateway::microbase {
namespace {

std::string Phone(const std::string& stored) {
  JsonWriter w;
  WritePhone(w, stored);
  return w.Take();
}

TEST_CASE("phone: plain digits are a JSON number, anything else a string") {
  CHECK(Phone("2173203531") == "2173203531");
  CHECK(Phone("0") == "0");
  CHECK(Phone("123456789012345") == "123456789012345");
  // A number would lose these: a leading zero, digits past double precision, punctuation.
  CHECK(Phone("0123") == R"("0123")");
  CHECK(Phone("1234567890123456") == R"("1234567890123456")");
  CHECK(Phone("+1 217 320 3531") == R"("+1 217 320 3531")");
  CHECK(Phone("(309) 555-0100") == R"("(309) 555-0100")");
  CHECK(Phone("") == R"("")");
}

TEST_CASE("PhoneText reads a JSON number as the digits the client sent") {
  simdjson::dom::parser parser;
  CHECK(PhoneText(parser.parse(simdjson::padded_string(std::string("2173203531"))).value()) ==
        "2173203531");
  CHECK(PhoneText(parser.parse(simdjson::padded_string(std::string("2173203531.0"))).value()) ==
        "2173203531");
  CHECK(PhoneText(
            parser.parse(simdjson::padded_string(std::string("18446744073709551615"))).value()) ==
        "18446744073709551615");
}

TEST_CASE("WireFieldPath speaks MicroBase's (mongoose's) paths") {
  CHECK(WireFieldPath("first_name") == "firstName");
  CHECK(WireFieldPath("last_name") == "lastName");
  CHECK(WireFieldPath("email") == "email");
  CHECK(WireFieldPath("addresses[0].line_1") == "addresses.0.address_1");
  CHECK(WireFieldPath("addresses[12].postcode") == "addresses.12.postCode");
  CHECK(WireFieldPath("addresses[1].region") == "addresses.1.state");
  CHECK(WireFieldPath("addresses[1].company") == "addresses.1.company");
}

TEST_CASE("ReadAddressReplacement sets every MicroBase field and leaves county alone") {
  simdjson::dom::parser parser;
  simdjson::dom::object o =
      parser
          .parse(simdjson::padded_string(std::string(
              R"({"id":"a","name":"Work","firstName":"J","address_1":"1 Elm","postCode":"1",)"
              R"("city":"c","state":"s","country":"US","phone":961667897,"extra":"x"})")))
          .get_object()
          .value();
  Address stored;
  stored.label = "Home";
  stored.line_2 = "Floor 3";
  stored.company = "Parks";
  stored.county = "McLean";
  stored.phone = "0";
  AddressPatch patch = ReadAddressReplacement(o);
  for (const auto& [field, value] : patch.fields) {
    CHECK(field != AddressField::kCounty);
    stored.Field(field) = value;
  }
  CHECK(stored.label == "Work");
  CHECK(stored.line_1 == "1 Elm");
  CHECK(stored.phone == "961667897");
  CHECK(stored.line_2 == std::nullopt);  // omitted: gone, as MicroBase replaces the address
  CHECK(stored.company == std::nullopt);
  CHECK(stored.county == "McLean");  // invisible to MicroBase: kept
}

Customer Sample() {
  Customer c;
  c.id = "HkhhuXESl";
  c.email = "john.doe@gmail.com";
  c.first_name = "John";
  c.last_name = "Doe";
  c.display_name = "Johnny";
  c.password_hash = "$scrypt$secret";
  c.external_ref = "crm";
  c.tags = {"VIP"};
  c.created_at = 1;
  Address a;
  a.id = "r1h2uQ4rx";
  a.label = "Work";
  a.country = "US";
  a.county = "McLean";
  a.phone = "2173203531";
  c.addresses.push_back(a);
  return c;
}

std::string Render(const Customer& c, MemberMask members = kAllMembers) {
  JsonWriter w;
  WriteCustomer(w, c, members);
  return w.Take();
}

TEST_CASE("WriteCustomer: MicroBase's members in its order, nothing else") {
  CHECK(Render(Sample()) ==
        R"({"email":"john.doe@gmail.com","firstName":"John","lastName":"Doe","status":"ACTIVE",)"
        R"("tags":["VIP"],"addresses":[{"name":"Work","country":"US","phone":2173203531,)"
        R"("id":"r1h2uQ4rx"}],"id":"HkhhuXESl"})");
}

TEST_CASE("WriteCustomer: a member selection always keeps id") {
  CHECK(Render(Sample(), kMemberEmail) == R"({"email":"john.doe@gmail.com","id":"HkhhuXESl"})");
  CHECK(Render(Sample(), kMemberId) == R"({"id":"HkhhuXESl"})");
  CHECK(Render(Sample(), kMemberTags | kMemberStatus) ==
        R"({"status":"ACTIVE","tags":["VIP"],"id":"HkhhuXESl"})");
}

TEST_CASE("MemberBit knows exactly the selectable members") {
  CHECK(MemberBit("firstName") == kMemberFirstName);
  CHECK(MemberBit("addresses") == kMemberAddresses);
  CHECK(MemberBit("id") == kMemberId);
  CHECK(MemberBit("password") == 0);
  CHECK(MemberBit("firstname") == 0);
  CHECK(MemberBit("") == 0);
}

}  // namespace
}  // namespace gateway::microbase
