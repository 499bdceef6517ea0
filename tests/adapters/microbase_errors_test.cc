// MicroBase's error envelope: the one table from core errors to wire codes
// and the `data` each code carries.
#include <doctest/doctest.h>

#include "adapters/microbase_v1/errors.h"
#include "core/validation.h"

namespace gateway::microbase {
namespace {

std::string Body(const Status& s, const Subject& subject = {}, NotFound nf = NotFound::kDistinct) {
  httplib::Response res;
  RenderStatus(res, s, subject, nf);
  CHECK(res.status == 200);
  return res.body;
}

TEST_CASE("not-found codes and their data, per method style") {
  Status customer = Status::CustomerNotFound("x");
  Status address = Status::AddressNotFound("x");
  CHECK(Body(customer, {.id = "id"}) ==
        R"({"ok":false,"error":"customer_not_found","data":{"id":"id"}})");
  CHECK(Body(customer, {.customer_id = "c", .address_id = "a"}) ==
        R"({"ok":false,"error":"customer_not_found","data":{"customerId":"c"}})");
  CHECK(Body(address, {.customer_id = "c", .address_id = "a"}) ==
        R"({"ok":false,"error":"address_not_found","data":{"customerId":"c","addressId":"a"}})");
  for (const Status& s : {customer, address}) {
    CHECK(
        Body(s, {.customer_id = "c", .address_id = "a"}, NotFound::kCombined) ==
        R"({"ok":false,"error":"customer_address_not_found","data":{"customerId":"c","addressId":"a"}})");
  }
}

TEST_CASE("email, country, credentials and duplicate codes") {
  CHECK(Body(Status::InvalidEmail("email", "bad"), {.email = "nope"}) ==
        R"({"ok":false,"error":"customer_invalid_email","data":{"email":"nope"}})");
  CHECK(Body(Status::InvalidCountry("country", "bad"), {.country = "Spain"}) ==
        R"({"ok":false,"error":"address_contry_invalid","data":{"address":"Spain"}})");
  CHECK(Body(Status::BadCredentials(), {.email = "a@b.co"}) ==
        R"({"ok":false,"error":"bad_credentials","data":{"email":"a@b.co"}})");
  CHECK(
      Body(Status::DuplicateEmail("A customer with this email already exists")) ==
      R"({"ok":false,"error":"duplicate_key","data":"A customer with this email already exists"})");
}

TEST_CASE("internal failures are HTTP 500 with no detail leaked") {
  httplib::Response res;
  RenderStatus(res, Status::Internal("disk I/O error at /var/db"));
  CHECK(res.status == 500);
  CHECK(res.body == R"({"ok":false,"error":"internal_error"})");
}

TEST_CASE("validation messages use MicroBase's paths and names") {
  const std::string too_long(limits::kName + 1, 'a');
  CHECK(ValidationMessage(ValidateText("first_name", too_long, limits::kName)) ==
        "firstName: firstName must be at most 255 characters");
  CHECK(
      ValidationMessage(
          ValidateText("line_1", "a\x01", limits::kAddressText).WithField("addresses[0].line_1")) ==
      "addresses.0.address_1: address_1 must not contain control characters");
  CHECK(ValidationMessage(Status::Invalid("addresses", "at most 100 addresses per customer")) ==
        "addresses: at most 100 addresses per customer");
  // The display name is MicroBase's two names joined by a space.
  CHECK(ValidationMessage(ValidateText("name", too_long, limits::kName)) ==
        "firstName: firstName and lastName together must be at most 254 characters");
  CHECK(ValidationMessage(ValidateText("name", "\xff", limits::kName)) ==
        "firstName: firstName and lastName must be valid UTF-8");
}

TEST_CASE("a free-text message is quoted, never rewritten") {
  CHECK(ValidationMessage(Status::Invalid("first_name", "first_name is odd")) ==
        "firstName: first_name is odd");
}

}  // namespace
}  // namespace gateway::microbase
