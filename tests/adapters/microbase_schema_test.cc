// MicroBase's request schemas: the ajv-style checker must report the first
// failure in the exact words and paths MicroBase's validator uses.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "adapters/microbase_v1/schema.h"

namespace gateway::microbase {
namespace {

std::optional<std::string> Check(const Schema& schema, const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(simdjson::padded_string(json)).value();
  return Validate(root, schema);
}

constexpr const char* kAddress =
    R"({"name":"Work","firstName":"J","address_1":"a","postCode":"1","city":"c","state":"s","country":"US")";

TEST_CASE("create: required properties are reported in declaration order, one at a time") {
  CHECK(Check(schemas::kCreate, "{}") == "payload: should have required property 'email'");
  CHECK(Check(schemas::kCreate, R"({"email":"a@b.com"})") ==
        "payload: should have required property 'password'");
  CHECK(Check(schemas::kCreate, R"({"email":"a","password":"p","firstName":"f"})") ==
        "payload: should have required property 'lastName'");
  // A type failure earlier in the properties wins over a later missing property.
  CHECK(Check(schemas::kCreate, R"({"email":1})") == "payload.email: should be string");
}

TEST_CASE("create: types of members, array items and nested address members") {
  const std::string ok = R"({"email":"a","password":"p","firstName":"f","lastName":"l")";
  CHECK(Check(schemas::kCreate, ok + "}") == std::nullopt);
  CHECK(Check(schemas::kCreate, ok + R"(,"status":null})") == "payload.status: should be string");
  CHECK(Check(schemas::kCreate, ok + R"(,"tags":"VIP"})") == "payload.tags: should be array");
  CHECK(Check(schemas::kCreate, ok + R"(,"tags":["a",1]})") == "payload.tags[1]: should be string");
  CHECK(Check(schemas::kCreate, ok + R"(,"addresses":{}})") ==
        "payload.addresses: should be array");
  CHECK(Check(schemas::kCreate, ok + R"(,"addresses":[{"name":"H"}]})") ==
        "payload.addresses[0]: should have required property 'firstName'");
  CHECK(Check(schemas::kCreate, ok + R"(,"addresses":[)" + kAddress + R"(,"phone":"123"}]})") ==
        "payload.addresses[0].phone: should be number");
  CHECK(Check(schemas::kCreate,
              ok + R"(,"addresses":[)" + kAddress + R"(,"phone":2173203531.5}]})") == std::nullopt);
  // Unknown members are allowed (additionalProperties).
  CHECK(Check(schemas::kCreate, ok + R"(,"nickname":5})") == std::nullopt);
}

TEST_CASE("the root must be an object") {
  CHECK(Check(schemas::kCreate, "[]") == "payload: should be object");
  CHECK(Check(schemas::kInfo, R"("x")") == "payload: should be object");
}

TEST_CASE("info, update, checkCredentials") {
  CHECK(Check(schemas::kInfo, R"({"id":5})") == "payload.id: should be string");
  CHECK(Check(schemas::kInfo, R"({"id":"x"})") == std::nullopt);
  CHECK(Check(schemas::kUpdate, R"({"id":"x","status":3})") == "payload.status: should be string");
  CHECK(Check(schemas::kUpdate, R"({"id":"x","tags":[]})") == std::nullopt);
  CHECK(Check(schemas::kCheckCredentials, R"({"password":"p"})") ==
        "payload: should have required property 'email'");
}

TEST_CASE("address methods") {
  CHECK(Check(schemas::kAddressCreate, R"({"customerId":"x"})") ==
        "payload: should have required property 'addresses'");
  CHECK(Check(schemas::kAddressCreate, R"({"customerId":"x","addresses":[]})") == std::nullopt);
  CHECK(Check(schemas::kAddressInfo, R"({"customerId":"x","addressId":1})") ==
        "payload.addressId: should be string");
  CHECK(Check(schemas::kAddressUpdate, R"({"customerId":"x","address":{}})") ==
        "payload.address: should have required property 'id'");
  CHECK(Check(schemas::kAddressUpdate, R"({"customerId":"x","address":[]})") ==
        "payload.address: should be object");
  // The reference's update schema requires the whole address, not just its id.
  CHECK(Check(schemas::kAddressUpdate, R"({"customerId":"x","address":{"id":"a"}})") ==
        "payload.address: should have required property 'name'");
  CHECK(Check(schemas::kAddressUpdate, std::string(R"({"customerId":"x","address":)") + kAddress +
                                           R"(,"id":"a"}})") == std::nullopt);
}

}  // namespace
}  // namespace gateway::microbase
