// The name rule and field preservation of shared/spec/bridge.md, on the plain
// model types: no storage, no sockets.
#include "core/customer.h"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <utility>

#include "core/customer_service.h"

namespace gateway {
namespace {

using Names = std::pair<std::string, std::string>;

TEST_CASE("SplitDisplayName splits at the first run of whitespace") {
  CHECK(SplitDisplayName("Ron Swanson") == Names{"Ron", "Swanson"});
  // Everything after the first gap is the last name, inner spacing kept.
  CHECK(SplitDisplayName("Mary Jane Watson") == Names{"Mary", "Jane Watson"});
  CHECK(SplitDisplayName("Jean  Luc   Picard") == Names{"Jean", "Luc   Picard"});
  // A run of mixed whitespace is one gap.
  CHECK(SplitDisplayName("Ron \t\n Swanson") == Names{"Ron", "Swanson"});
  CHECK(SplitDisplayName("Ron\tSwanson") == Names{"Ron", "Swanson"});
}

TEST_CASE("SplitDisplayName: one word gives an empty last name") {
  CHECK(SplitDisplayName("Cher") == Names{"Cher", ""});
  CHECK(SplitDisplayName("  Cher \t") == Names{"Cher", ""});
  CHECK(SplitDisplayName("") == Names{"", ""});
  CHECK(SplitDisplayName(" \t\r\n ") == Names{"", ""});
}

TEST_CASE("SplitDisplayName ignores leading and trailing whitespace") {
  CHECK(SplitDisplayName("   Ron Swanson   ") == Names{"Ron", "Swanson"});
  CHECK(SplitDisplayName("\tRon Swanson\n") == Names{"Ron", "Swanson"});
  CHECK(SplitDisplayName(" Ron  Ulysses  Swanson \t") == Names{"Ron", "Ulysses  Swanson"});
}

TEST_CASE("SplitDisplayName keeps non-ASCII names byte for byte") {
  CHECK(SplitDisplayName("José Álvarez") == Names{"José", "Álvarez"});
  CHECK(SplitDisplayName("Zoë Saldaña-Nazario") == Names{"Zoë", "Saldaña-Nazario"});
  CHECK(SplitDisplayName("山田 太郎") == Names{"山田", "太郎"});
  CHECK(SplitDisplayName("Ωmega") == Names{"Ωmega", ""});
  // UTF-8 continuation bytes are never mistaken for whitespace.
  CHECK(SplitDisplayName("\xC3\xA0\xC2\xA0x") == Names{"\xC3\xA0\xC2\xA0x", ""});
}

TEST_CASE("JoinDisplayName joins with one space and drops empty halves") {
  CHECK(JoinDisplayName("John", "Doe") == "John Doe");
  CHECK(JoinDisplayName("John", "") == "John");
  CHECK(JoinDisplayName("", "Doe") == "Doe");
  CHECK(JoinDisplayName("", "") == "");
  CHECK(JoinDisplayName("Mary Jane", "Watson") == "Mary Jane Watson");
  // Split and join round-trip for a normalised name.
  auto [first, last] = SplitDisplayName("Ron Swanson");
  CHECK(JoinDisplayName(first, last) == "Ron Swanson");
}

TEST_CASE("EmailKey lower-cases ASCII letters only") {
  CHECK(EmailKey("Ron@Swanson.COM") == "ron@swanson.com");
  CHECK(EmailKey("already@lower.case") == "already@lower.case");
  CHECK(EmailKey("ÉLODIE@Example.com") == "Élodie@example.com");
}

TEST_CASE("customer status names round-trip and reject others") {
  CHECK(StatusName(CustomerStatus::kActive) == "ACTIVE");
  CHECK(StatusName(CustomerStatus::kInactive) == "INACTIVE");
  CHECK(ParseStatus("ACTIVE") == CustomerStatus::kActive);
  CHECK(ParseStatus("INACTIVE") == CustomerStatus::kInactive);
  CHECK_FALSE(ParseStatus("active").has_value());
  CHECK_FALSE(ParseStatus("").has_value());
  CHECK_FALSE(ParseStatus("DELETED").has_value());
}

TEST_CASE("Address::Field reaches every field, each a distinct member") {
  Address a;
  std::set<std::string_view> names;
  for (AddressField f : kAllAddressFields) {
    CHECK_FALSE(a.Field(f).has_value());
    a.Field(f) = std::string(FieldName(f));
    names.insert(FieldName(f));
  }
  CHECK(names.size() == kAllAddressFields.size());
  // Each write landed in its own member: reading back gives each field's own name.
  for (AddressField f : kAllAddressFields) {
    REQUIRE(a.Field(f).has_value());
    CHECK(*a.Field(f) == FieldName(f));
  }
  CHECK(a.label == "label");
  CHECK(a.line_1 == "line_1");
  CHECK(a.region == "region");
  CHECK(a.phone == "phone");
  CHECK(a.instructions == "instructions");
  const Address& ca = a;
  CHECK(ca.Field(AddressField::kCountry) == "country");
}

TEST_CASE("Customer::FindAddress finds by id") {
  Customer c;
  c.addresses.resize(2);
  c.addresses[0].id = "a1";
  c.addresses[1].id = "a2";
  REQUIRE(c.FindAddress("a2") != nullptr);
  CHECK(c.FindAddress("a2") == &c.addresses[1]);
  CHECK(c.FindAddress("a3") == nullptr);
  c.FindAddress("a1")->city = "Pawnee";
  CHECK(c.addresses[0].city == "Pawnee");
}

// A customer with every field set, as if written by both dialects.
Customer FullCustomer() {
  Customer c;
  c.id = "c1";
  c.email = "ron@swanson.com";
  c.display_name = "Ron  Swanson";
  c.first_name = "Ron";
  c.last_name = "Swanson";
  c.password_hash = "$scrypt$ln=10,r=8,p=1$c2FsdA==$a2V5";
  c.external_ref = "crm-42";
  c.status = CustomerStatus::kInactive;
  c.tags = {"VIP", "wood"};
  Address a;
  a.id = "a1";
  a.city = "Pawnee";
  c.addresses.push_back(a);
  c.created_at = 1000;
  c.updated_at = 2000;
  return c;
}

TEST_CASE("ApplyPatch: an Elastic Path name write is stored verbatim and split") {
  Customer c = FullCustomer();
  CustomerPatch p;
  p.display_name = "  Leslie   Knope ";
  ApplyPatch(c, p);
  CHECK(c.display_name == "  Leslie   Knope ");
  CHECK(c.first_name == "Leslie");
  CHECK(c.last_name == "Knope");

  p.display_name = "Leslie";
  ApplyPatch(c, p);
  CHECK(c.display_name == "Leslie");
  CHECK(c.first_name == "Leslie");
  CHECK(c.last_name == "");
}

TEST_CASE("ApplyPatch: a MicroBase first/last write recomputes the display name") {
  Customer c = FullCustomer();
  CustomerPatch first_only;
  first_only.first_name = "Ronald";
  ApplyPatch(c, first_only);
  CHECK(c.first_name == "Ronald");
  CHECK(c.last_name == "Swanson");
  CHECK(c.display_name == "Ronald Swanson");

  CustomerPatch last_only;
  last_only.last_name = "Ulysses Swanson";
  ApplyPatch(c, last_only);
  CHECK(c.first_name == "Ronald");
  CHECK(c.display_name == "Ronald Ulysses Swanson");

  CustomerPatch both;
  both.first_name = "April";
  both.last_name = "Ludgate";
  ApplyPatch(c, both);
  CHECK(c.display_name == "April Ludgate");
}

TEST_CASE("ApplyPatch preserves every field the patch does not name") {
  const Customer before = FullCustomer();

  SUBCASE("a name-only Elastic Path write") {
    Customer c = before;
    CustomerPatch p;
    p.display_name = "Tom Haverford";
    ApplyPatch(c, p);
    CHECK(c.email == before.email);
    CHECK(c.external_ref == before.external_ref);
    CHECK(c.tags == before.tags);
    CHECK(c.status == before.status);
    CHECK(c.password_hash == before.password_hash);
    CHECK(c.addresses == before.addresses);
    CHECK(c.created_at == before.created_at);
  }
  SUBCASE("a first-name-only MicroBase write") {
    Customer c = before;
    CustomerPatch p;
    p.first_name = "Ronald";
    ApplyPatch(c, p);
    CHECK(c.email == before.email);
    CHECK(c.external_ref == before.external_ref);
    CHECK(c.tags == before.tags);
    CHECK(c.status == before.status);
    CHECK(c.password_hash == before.password_hash);
    CHECK(c.addresses == before.addresses);
  }
  SUBCASE("an empty patch changes nothing") {
    Customer c = before;
    ApplyPatch(c, CustomerPatch{});
    CHECK(c == before);
  }
  SUBCASE("each field the patch names changes alone") {
    Customer c = before;
    CustomerPatch p;
    p.email = "ron@pawnee.gov";
    p.status = CustomerStatus::kActive;
    p.tags = std::vector<std::string>{};
    ApplyPatch(c, p);
    CHECK(c.email == "ron@pawnee.gov");
    CHECK(c.status == CustomerStatus::kActive);
    CHECK(c.tags.empty());
    CHECK(c.display_name == before.display_name);
    CHECK(c.first_name == before.first_name);
    CHECK(c.external_ref == before.external_ref);
  }
  SUBCASE("external_ref can be replaced and cleared") {
    Customer c = before;
    CustomerPatch p;
    p.text_fields = {{CustomerTextField::kExternalRef, "crm-43"}};
    ApplyPatch(c, p);
    CHECK(c.external_ref == "crm-43");
    p.text_fields = {{CustomerTextField::kExternalRef, std::nullopt}};
    ApplyPatch(c, p);
    CHECK_FALSE(c.external_ref.has_value());
  }
  SUBCASE("every text field is reached through its table row") {
    for (CustomerTextField f : kAllCustomerTextFields) {
      Customer c = before;
      CustomerPatch p;
      p.text_fields = {{f, "set-through-the-table"}};
      ApplyPatch(c, p);
      CHECK(c.Field(f) == "set-through-the-table");
      CHECK_FALSE(FieldName(f).empty());
      CHECK(MaxLength(f) > 0);
    }
    CHECK(&before.Field(CustomerTextField::kExternalRef) == &before.external_ref);
  }
  SUBCASE("a patch never touches the password hash itself") {
    Customer c = before;
    CustomerPatch p;
    p.password = "new password";
    ApplyPatch(c, p);
    CHECK(c.password_hash == before.password_hash);
  }
}

}  // namespace
}  // namespace gateway
