// Validation rules shared by both dialects: email syntax, country codes,
// length limits and the field paths errors report.
#include "core/validation.h"

#include <doctest/doctest.h>

#include <string>

#include "core/customer.h"

namespace gateway {
namespace {

TEST_CASE("IsValidEmail accepts ordinary and unusual valid addresses") {
  CHECK(IsValidEmail("ron@swanson.com"));
  CHECK(IsValidEmail("john.doe@gmail.com"));
  CHECK(IsValidEmail("a.b+tag@sub.example.co.uk"));
  CHECK(IsValidEmail("UPPER@EXAMPLE.COM"));
  CHECK(IsValidEmail("o'brien@example.ie"));
  CHECK(IsValidEmail("x@a-b.example"));
  CHECK(IsValidEmail("1234@123.example"));
  CHECK(IsValidEmail("josé@exämple.com"));  // internationalised (RFC 6531)
}

TEST_CASE("IsValidEmail rejects malformed addresses") {
  CHECK_FALSE(IsValidEmail(""));
  CHECK_FALSE(IsValidEmail("ron"));
  CHECK_FALSE(IsValidEmail("ron.swanson.com"));
  CHECK_FALSE(IsValidEmail("@swanson.com"));
  CHECK_FALSE(IsValidEmail("ron@"));
  CHECK_FALSE(IsValidEmail("ron@@swanson.com"));
  CHECK_FALSE(IsValidEmail("ron@swan@son.com"));
  CHECK_FALSE(IsValidEmail("ron swanson@example.com"));
  CHECK_FALSE(IsValidEmail(" ron@swanson.com"));
  CHECK_FALSE(IsValidEmail("ron@swanson.com "));
  CHECK_FALSE(IsValidEmail("ron@swan son.com"));
  CHECK_FALSE(IsValidEmail("ron..swanson@example.com"));
  CHECK_FALSE(IsValidEmail(".ron@example.com"));
  CHECK_FALSE(IsValidEmail("ron.@example.com"));
  CHECK_FALSE(IsValidEmail("ron@example..com"));
  CHECK_FALSE(IsValidEmail("ron@.example.com"));
  CHECK_FALSE(IsValidEmail("ron@example.com."));
  CHECK_FALSE(IsValidEmail("ron@-example.com"));
  CHECK_FALSE(IsValidEmail("ron@example-.com"));
  CHECK_FALSE(IsValidEmail("ron@exa_mple.com"));
  CHECK_FALSE(IsValidEmail("ron(comment)@example.com"));
  CHECK_FALSE(IsValidEmail("ron@example.com\n"));
  CHECK_FALSE(IsValidEmail(std::string("ron\0x@example.com", 17)));
}

TEST_CASE("IsValidEmail enforces the RFC length limits") {
  const std::string domain = "@example.com";
  const std::string local64(64, 'a');
  CHECK(IsValidEmail(local64 + domain));
  CHECK_FALSE(IsValidEmail(local64 + "a" + domain));  // local part over 64

  const std::string label63(63, 'b');
  CHECK(IsValidEmail("x@" + label63 + ".com"));
  CHECK_FALSE(IsValidEmail("x@" + label63 + "b.com"));  // label over 63

  // Build addresses right at and just over the 254-character total.
  std::string host;
  while (host.size() < 240) host += std::string(40, 'c') + ".";
  host += "com";
  std::string at_limit = "x@" + host;
  while (at_limit.size() < limits::kEmail) at_limit.insert(0, "y");
  CHECK(at_limit.size() == limits::kEmail);
  CHECK(IsValidEmail(at_limit));
  CHECK_FALSE(IsValidEmail("z" + at_limit));
}

TEST_CASE("IsIsoCountryCode accepts assigned upper-case alpha-2 codes only") {
  for (const char* ok : {"GB", "US", "AD", "ZW", "DE", "FR", "JP", "NZ", "IE", "MX", "SS", "AX"}) {
    CHECK_MESSAGE(IsIsoCountryCode(ok), std::string(ok));
  }
  for (const char* bad : {"gb", "Gb", "us", "USA", "GBR", "XX", "UK", "EU", "ZZ", "AA", "", "G",
                          "G B", "United States", "826"}) {
    CHECK_FALSE_MESSAGE(IsIsoCountryCode(bad), std::string(bad));
  }
}

TEST_CASE("ValidateEmail reports kInvalidEmail on the email field") {
  CHECK(ValidateEmail("ron@swanson.com").ok());
  Status s = ValidateEmail("");
  CHECK(s.code() == ErrorCode::kInvalidEmail);
  CHECK(s.field() == "email");
}

TEST_CASE("ValidateLength counts characters, not bytes") {
  CHECK(ValidateLength("name", std::string(255, 'a'), 255).ok());
  Status s = ValidateLength("name", std::string(256, 'a'), 255);
  CHECK(s.code() == ErrorCode::kInvalidArgument);
  CHECK(s.field() == "name");
  CHECK(s.message().find("255") != std::string::npos);

  // 255 two-byte characters are 510 bytes but within a 255-character limit.
  std::string accents;
  for (int i = 0; i < 255; ++i) accents += "é";
  CHECK(ValidateLength("name", accents, 255).ok());
  CHECK_FALSE(ValidateLength("name", accents + "é", 255).ok());
  std::string kanji;
  for (int i = 0; i < 255; ++i) kanji += "山";
  CHECK(ValidateLength("name", kanji, 255).ok());
  CHECK_FALSE(ValidateLength("name", kanji + "a", 255).ok());
}

Customer ValidCustomer() {
  Customer c;
  c.id = "0b5bd2a4-1f5c-4b8e-9e59-3f2d4c0c7a11";
  c.email = "ron@swanson.com";
  c.display_name = "Ron Swanson";
  c.first_name = "Ron";
  c.last_name = "Swanson";
  c.external_ref = "crm-1";
  c.tags = {"VIP"};
  Address a;
  a.id = "a1";
  a.first_name = "Ron";
  a.line_1 = "1 Sunny Street";
  a.postcode = "SU33 1YY";
  a.country = "GB";
  c.addresses = {a, a};
  c.addresses[1].id = "a2";
  c.addresses[1].country = "US";
  return c;
}

TEST_CASE("ValidateCustomer accepts a complete customer") {
  CHECK(ValidateCustomer(ValidCustomer()).ok());
  // Optional text may be absent or empty.
  Customer c = ValidCustomer();
  c.external_ref.reset();
  c.display_name.clear();
  c.first_name.clear();
  c.last_name.clear();
  c.tags.clear();
  c.addresses.clear();
  CHECK(ValidateCustomer(c).ok());
}

void CheckFails(const Status& s, ErrorCode code, const std::string& field) {
  CHECK_FALSE(s.ok());
  CHECK(s.code() == code);
  CHECK(s.field() == field);
  CHECK_FALSE(s.message().empty());
}

TEST_CASE("ValidateCustomer names the field at fault") {
  Customer c = ValidCustomer();
  constexpr ErrorCode kInvalid = ErrorCode::kInvalidArgument;

  SUBCASE("id") {
    c.id.clear();
    CheckFails(ValidateCustomer(c), kInvalid, "id");
    c.id = std::string(limits::kId, 'i');
    CHECK(ValidateCustomer(c).ok());
    c.id += "i";
    CheckFails(ValidateCustomer(c), kInvalid, "id");
  }
  SUBCASE("email") {
    c.email = "not an email";
    CheckFails(ValidateCustomer(c), ErrorCode::kInvalidEmail, "email");
  }
  SUBCASE("display name") {
    c.display_name = std::string(limits::kName, 'n');
    CHECK(ValidateCustomer(c).ok());
    c.display_name += "n";
    CheckFails(ValidateCustomer(c), kInvalid, "name");
  }
  SUBCASE("first name") {
    c.first_name = std::string(limits::kName + 1, 'n');
    CheckFails(ValidateCustomer(c), kInvalid, "first_name");
  }
  SUBCASE("last name") {
    c.last_name = std::string(limits::kName + 1, 'n');
    CheckFails(ValidateCustomer(c), kInvalid, "last_name");
  }
  SUBCASE("external_ref") {
    c.external_ref = std::string(MaxLength(CustomerTextField::kExternalRef), 'r');
    CHECK(ValidateCustomer(c).ok());
    c.external_ref = std::string(MaxLength(CustomerTextField::kExternalRef) + 1, 'r');
    CheckFails(ValidateCustomer(c), kInvalid, "external_ref");
  }
  SUBCASE("too many tags") {
    c.tags.assign(limits::kTags, "t");
    CHECK(ValidateCustomer(c).ok());
    c.tags.push_back("t");
    CheckFails(ValidateCustomer(c), kInvalid, "tags");
  }
  SUBCASE("a tag too long") {
    c.tags.push_back(std::string(limits::kTag + 1, 't'));
    CheckFails(ValidateCustomer(c), kInvalid, "tags");
  }
  SUBCASE("too many addresses") {
    c.addresses.assign(limits::kAddresses, c.addresses[0]);
    CHECK(ValidateCustomer(c).ok());
    c.addresses.push_back(c.addresses[0]);
    CheckFails(ValidateCustomer(c), kInvalid, "addresses");
  }
  SUBCASE("an address's country, with its index") {
    c.addresses[1].country = "us";
    CheckFails(ValidateCustomer(c), ErrorCode::kInvalidCountry, "addresses[1].country");
  }
  SUBCASE("an address's text field, with its index") {
    c.addresses[0].line_1 = std::string(limits::kAddressText + 1, 'l');
    CheckFails(ValidateCustomer(c), kInvalid, "addresses[0].line_1");
  }
}

TEST_CASE("ValidateText refuses ill-formed UTF-8 and control characters") {
  CHECK(ValidateText("name", "Jörg Ñandú 東京 \xF0\x9F\x98\x80", 255).ok());
  CHECK(ValidateText("name", "O'Brien-Smith, Jr. (\xC2\xA0nbsp)", 255).ok());
  // A tab is whitespace to the name rule ("Zoë\tÅngström" splits at it).
  CHECK(ValidateText("name", "Zoë\tÅngström", 255).ok());
  for (std::string_view bad : {std::string_view("a\0b", 3), std::string_view("cr\rhere"),
                               std::string_view("line\nbreak"), std::string_view("\x1b[31m"),
                               std::string_view("del\x7f"), std::string_view("c1\xC2\x85")}) {
    Status s = ValidateText("name", bad, 255);
    CHECK_FALSE(s.ok());
    CHECK(s.field() == "name");
    CHECK(s.message() == "name must not contain control characters");
  }
  for (std::string_view bad : {"\xff", "J\xf6rg", "\xC3", "\xC0\xAF", "\xED\xA0\x80"}) {
    Status s = ValidateText("name", bad, 255);
    CHECK_FALSE(s.ok());
    CHECK(s.message() == "name must be valid UTF-8");
  }
  // Free text may break lines, nothing else.
  CHECK(ValidateText("instructions", "Ring twice.\r\n\tThen wait.", 2048, true).ok());
  CHECK_FALSE(ValidateText("instructions", std::string_view("a\0", 2), 2048, true).ok());
  CHECK_FALSE(ValidateEmail(std::string_view("a\0b@example.com", 15)).ok());
  CHECK_FALSE(ValidateEmail("j\xf6rg@example.com").ok());
}

TEST_CASE("ValidateCustomer refuses control characters in every stored text") {
  const std::string nul("x\0y", 3);
  Customer c = ValidCustomer();
  SUBCASE("names") {
    c.display_name = nul;
    CheckFails(ValidateCustomer(c), ErrorCode::kInvalidArgument, "name");
    c = ValidCustomer();
    c.first_name = "a\x01";
    CheckFails(ValidateCustomer(c), ErrorCode::kInvalidArgument, "first_name");
    c = ValidCustomer();
    c.last_name = "\xfe";
    CheckFails(ValidateCustomer(c), ErrorCode::kInvalidArgument, "last_name");
  }
  SUBCASE("external_ref and tags") {
    c.external_ref = "ref\n";
    CheckFails(ValidateCustomer(c), ErrorCode::kInvalidArgument, "external_ref");
    c = ValidCustomer();
    c.tags.push_back(nul);
    CheckFails(ValidateCustomer(c), ErrorCode::kInvalidArgument, "tags");
  }
  SUBCASE("address fields; instructions may break lines") {
    c.addresses[0].city = nul;
    CheckFails(ValidateCustomer(c), ErrorCode::kInvalidArgument, "addresses[0].city");
    c = ValidCustomer();
    c.addresses[0].instructions = "Back door.\nRing twice.";
    CHECK(ValidateCustomer(c).ok());
  }
}

TEST_CASE("ValidateAddress checks each field's limit and the country") {
  Address a;
  CHECK(ValidateAddress(a).ok());  // which fields are required is the dialect's rule
  for (AddressField f : kAllAddressFields) {
    if (f == AddressField::kCountry) continue;
    const size_t max =
        f == AddressField::kInstructions ? limits::kInstructions : limits::kAddressText;
    Address at_limit;
    at_limit.Field(f) = std::string(max, 'x');
    CHECK_MESSAGE(ValidateAddress(at_limit).ok(), std::string(FieldName(f)));
    Address over;
    over.Field(f) = std::string(max + 1, 'x');
    CheckFails(ValidateAddress(over), ErrorCode::kInvalidArgument, std::string(FieldName(f)));
  }
  a.country = "GB";
  CHECK(ValidateAddress(a).ok());
  for (const char* bad : {"gb", "GBR", "United Kingdom", ""}) {
    a.country = bad;
    CheckFails(ValidateAddress(a), ErrorCode::kInvalidCountry, "country");
  }
}

}  // namespace
}  // namespace gateway
