// The two record formats of import/export: decoding with the record's own
// error paths, rendering, the write→read round trip, and which stored fields
// an import keeps because its format cannot carry them.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>

#include "adapters/migration/elastic_path_records.h"
#include "adapters/migration/microbase_records.h"
#include "adapters/migration/record_format.h"
#include "adapters/migration/record_json.h"

namespace gateway::migration {
namespace {

constexpr const char* kBcrypt = "$2a$10$HllytO2PNulnz9bGEirADOJ9EY1IZrSvYOJJMX9KH7r3LeyIygST.";

Result<ImportRecord> Read(const RecordFormat& f, const std::string& json) {
  static simdjson::dom::parser parser;
  simdjson::dom::element root;
  REQUIRE(!parser.parse(json).get(root));
  return f.Read(root);
}

std::string Message(const RecordFormat& f, const std::string& json) {
  Result<ImportRecord> r = Read(f, json);
  REQUIRE(!r.ok());
  return r.status().message();
}

Customer Sample() {
  Customer c;
  c.id = "HkhhuXESl";
  c.email = "john.doe@gmail.com";
  c.password_hash = kBcrypt;
  c.first_name = "John";
  c.last_name = "Doe";
  c.display_name = "John Doe";
  c.status = CustomerStatus::kInactive;
  c.tags = {"VIP", "b2b"};
  c.created_at = 1484160285123;
  c.updated_at = 1484160299000;
  Address a;
  a.id = "ryx3h_XVSx";
  a.label = "Work";
  a.first_name = "John";
  a.last_name = "Doe";
  a.line_1 = "1650 Bolman Court";
  a.line_2 = "";
  a.postcode = "61701";
  a.city = "Bloomington";
  a.region = "Illinois";
  a.country = "US";
  a.company = "My Company";
  a.phone = "2173203531";
  a.instructions = "Some Instructions";
  a.created_at = c.created_at;
  a.updated_at = c.updated_at;
  c.addresses.push_back(a);
  return c;
}

TEST_CASE("FindRecordFormat knows both formats by their command-line names") {
  CHECK(FindRecordFormat("microbase") == &MicroBaseRecords());
  CHECK(FindRecordFormat("elastic-path") == &ElasticPathRecords());
  CHECK(FindRecordFormat("mongo") == nullptr);
  CHECK(RecordFormatNames() == "microbase|elastic-path");
}

TEST_CASE("MicroBase: a mongoexport document decodes with every id kept") {
  const RecordFormat& f = MicroBaseRecords();
  Result<ImportRecord> r =
      Read(f, std::string(R"({"_id":"HkhhuXESl","email":"john.doe@gmail.com",)") +
                  R"("password":")" + kBcrypt +
                  R"(","firstName":"John","lastName":"Doe",)"
                  R"("status":"INACTIVE","tags":["VIP","b2b"],"addresses":[{"name":"Work",)"
                  R"("firstName":"John","lastName":"Doe","address_1":"1650 Bolman Court",)"
                  R"("address_2":"","postCode":"61701","city":"Bloomington","state":"Illinois",)"
                  R"("country":"US","company":"My Company","phone":2173203531,)"
                  R"("instructions":"Some Instructions","id":"ryx3h_XVSx"}],)"
                  R"("createdAt":{"$date":"2017-01-11T18:44:45.123Z"},)"
                  R"("updatedAt":{"$date":{"$numberLong":"1484160299000"}},"__v":0})");
  REQUIRE(r.ok());
  CHECK(r->has_password);
  CHECK(r->has_created_at);
  CHECK(r->has_updated_at);
  CHECK(r->has_addresses);
  CHECK(r->address_has_timestamps == std::vector<bool>{false});
  // Address timestamps are the importer's to fill; compare the rest.
  Customer expected = Sample();
  expected.addresses[0].created_at = expected.addresses[0].updated_at = 0;
  CHECK(r->customer == expected);
}

TEST_CASE("MicroBase: $oid ids, `id` from an API listing, legacy and canonical Extended JSON") {
  const RecordFormat& f = MicroBaseRecords();
  Result<ImportRecord> r = Read(
      f, R"({"_id":{"$oid":"5873b0f5c2d1a2b3c4d5e6f7"},"email":"a@example.com",)"
         R"("firstName":"A","lastName":"B","createdAt":{"$date":1484160285123},)"
         R"("addresses":[{"name":"H","phone":{"$numberDouble":"2173203531.0"}},)"
         R"({"name":"W","phone":"+44 20 7946 0000"},{"name":"X","phone":{"$numberLong":"7"}}]})");
  REQUIRE(r.ok());
  CHECK(r->customer.id == "5873b0f5c2d1a2b3c4d5e6f7");
  CHECK(r->customer.created_at == 1484160285123);
  CHECK_FALSE(r->has_updated_at);
  CHECK_FALSE(r->has_password);
  CHECK(r->customer.status == CustomerStatus::kActive);
  REQUIRE(r->customer.addresses.size() == 3);
  CHECK(r->customer.addresses[0].phone == "2173203531");
  CHECK(r->customer.addresses[1].phone == "+44 20 7946 0000");
  CHECK(r->customer.addresses[2].phone == "7");

  Result<ImportRecord> listed =
      Read(f, R"({"id":"S1","email":"a@example.com","firstName":"A","lastName":"B"})");
  REQUIRE(listed.ok());
  CHECK(listed->customer.id == "S1");
}

TEST_CASE("MicroBase: an address without an id gets a stable derived one") {
  const RecordFormat& f = MicroBaseRecords();
  const std::string json = R"({"_id":"S1","email":"a@example.com","firstName":"A","lastName":"B",)"
                           R"("addresses":[{"name":"H","id":"kept"},{"name":"W"}]})";
  Result<ImportRecord> first = Read(f, json);
  Result<ImportRecord> again = Read(f, json);
  REQUIRE(first.ok());
  REQUIRE(again.ok());
  CHECK(first->customer.addresses[0].id == "kept");
  CHECK(first->customer.addresses[1].id == DerivedAddressId("S1", 1));
  CHECK(first->customer.addresses[1].id == again->customer.addresses[1].id);
}

TEST_CASE("MicroBase: bad records say which member is wrong, in MicroBase's names") {
  const RecordFormat& f = MicroBaseRecords();
  CHECK(Message(f, R"([1])") == "the record must be a JSON object, got array");
  CHECK(Message(f, R"({"email":"a@example.com","firstName":"A","lastName":"B"})") ==
        "_id is required");
  CHECK(Message(f, R"({"_id":7,"email":"a@example.com","firstName":"A","lastName":"B"})") ==
        "_id must be a string, got integer");
  CHECK(Message(f, R"({"_id":"S","firstName":"A","lastName":"B"})") == "email is required");
  CHECK(Message(f, R"({"_id":"S","email":"a@example.com","firstName":" ","lastName":"B"})") ==
        "firstName must not be empty");
  CHECK(Message(f, R"({"_id":"S","email":"a@example.com","firstName":"A"})") ==
        "lastName is required");
  CHECK(
      Message(
          f,
          R"({"_id":"S","email":"a@example.com","firstName":"A","lastName":"B","status":"GONE"})") ==
      "status must be ACTIVE or INACTIVE, got \"GONE\"");
  CHECK(
      Message(
          f,
          R"({"_id":"S","email":"a@example.com","firstName":"A","lastName":"B","tags":["x",1]})") ==
      "tags.1 must be a string, got integer");
  CHECK(
      Message(
          f,
          R"({"_id":"S","email":"a@example.com","firstName":"A","lastName":"B","addresses":[{"city":5}]})") ==
      "addresses.0.city must be a string, got integer");
  CHECK(
      Message(
          f,
          R"({"_id":"S","email":"a@example.com","firstName":"A","lastName":"B","addresses":[{"id":"x"},{"id":"x"}]})") ==
      "addresses.1.id \"x\" repeats addresses.0.id");
  CHECK(
      Message(
          f,
          R"({"_id":"S","email":"a@example.com","firstName":"A","lastName":"B","createdAt":{"$date":"yesterday"}})") ==
      "createdAt is not an ISO 8601 time: yesterday");
}

TEST_CASE("MicroBase: what Write renders, Read decodes to the same customer") {
  const RecordFormat& f = MicroBaseRecords();
  Customer c = Sample();
  c.addresses[0].phone = "(555) 555-1234";  // not all digits: rendered as a string
  std::string out;
  f.Write(c, out);
  CHECK(out.find(R"("_id":"HkhhuXESl")") != std::string::npos);
  CHECK(out.find(R"("createdAt":{"$date":"2017-01-11T18:44:45.123Z"})") != std::string::npos);
  CHECK(out.find(R"("__v":0)") != std::string::npos);
  Result<ImportRecord> r = Read(f, out);
  REQUIRE(r.ok());
  Customer expected = c;
  expected.addresses[0].created_at = expected.addresses[0].updated_at = 0;
  CHECK(r->customer == expected);

  Customer no_password = Sample();
  no_password.password_hash.reset();
  out.clear();
  f.Write(no_password, out);
  CHECK(out.find("password") == std::string::npos);
}

TEST_CASE("MicroBase: an import keeps what MicroBase cannot carry") {
  const RecordFormat& f = MicroBaseRecords();
  Customer stored = Sample();
  stored.external_ref = "crm-7";
  stored.display_name = "John  Doe";  // as an Elastic Path client wrote it
  stored.addresses[0].county = "McLean";
  stored.password_hash = "$scrypt$ln=15,r=8,p=1$c2FsdA$a2V5";

  ImportRecord record;
  record.customer = Sample();
  record.has_password = true;
  Customer incoming = record.customer;
  f.KeepInvisibleFields(stored, record, incoming);
  CHECK(incoming.external_ref == "crm-7");
  CHECK(incoming.display_name == "John  Doe");
  CHECK(incoming.addresses[0].county == "McLean");
  CHECK(incoming.password_hash == stored.password_hash);  // upgraded here: newer than bcrypt

  record.customer.last_name = "Smith";
  record.customer.display_name = "John Smith";  // as Read joins it
  incoming = record.customer;
  f.KeepInvisibleFields(stored, record, incoming);
  CHECK(incoming.display_name == "John Smith");  // a MicroBase name change wins
  incoming = record.customer;
  incoming.password_hash = "$scrypt$ln=15,r=8,p=1$bmV3$bmV3";  // a gateway export's hash wins
  f.KeepInvisibleFields(stored, record, incoming);
  CHECK(incoming.password_hash == "$scrypt$ln=15,r=8,p=1$bmV3$bmV3");

  record.has_password = false;
  incoming = record.customer;
  incoming.password_hash.reset();
  f.KeepInvisibleFields(stored, record, incoming);
  CHECK(incoming.password_hash == stored.password_hash);
}

TEST_CASE("Elastic Path: a customer object with addresses decodes, wrapped or not") {
  const RecordFormat& f = ElasticPathRecords();
  const std::string object =
      R"({"type":"customer","id":"c1","name":"  Ron   Swanson ","email":"ron@swanson.com",)"
      R"("external_ref":"crm-1","password":true,"meta":{"timestamps":{"created_at":"2017-01-11T18:44:45Z",)"
      R"("updated_at":"2017-05-31T04:12:12.500Z"}},"addresses":[{"type":"address","id":"a1","name":"Home",)"
      R"("first_name":"Ron","last_name":"Swanson","line_1":"1 Sunny Street","line_2":"","county":"Sunnyville",)"
      R"("country":"GB","phone_number":"(555) 555-1234","company_name":null,)"
      R"("meta":{"timestamps":{"created_at":"2017-02-01T00:00:00Z","updated_at":"2017-02-02T00:00:00Z"}}},)"
      R"({"first_name":"Ron","country":"GB"}]})";
  for (const std::string& json : {object, R"({"data":)" + object + "}"}) {
    Result<ImportRecord> r = Read(f, json);
    REQUIRE(r.ok());
    const Customer& c = r->customer;
    CHECK(c.id == "c1");
    CHECK(c.display_name == "  Ron   Swanson ");
    CHECK(c.first_name == "Ron");
    CHECK(c.last_name == "Swanson");
    CHECK(c.external_ref == "crm-1");
    CHECK_FALSE(c.password_hash.has_value());
    CHECK_FALSE(r->has_password);
    CHECK(c.created_at == 1484160285000);
    CHECK(c.updated_at == 1496203932500);
    CHECK(r->has_addresses);
    REQUIRE(c.addresses.size() == 2);
    CHECK(c.addresses[0].line_2 == "");  // empty stays empty, null stays absent
    CHECK_FALSE(c.addresses[0].company.has_value());
    CHECK(c.addresses[0].county == "Sunnyville");
    CHECK(c.addresses[0].phone == "(555) 555-1234");
    CHECK(c.addresses[0].created_at == 1485907200000);
    CHECK(r->address_has_timestamps == std::vector<bool>{true, false});
    CHECK(c.addresses[1].id == DerivedAddressId("c1", 1));
  }
}

TEST_CASE("Elastic Path: bad records say which member is wrong, in Elastic Path's names") {
  const RecordFormat& f = ElasticPathRecords();
  CHECK(Message(f, R"({"type":"token","id":"c","name":"A","email":"a@example.com"})") ==
        "type must be \"customer\", got \"token\"");
  CHECK(Message(f, R"({"id":"c","email":"a@example.com"})") == "name is required");
  CHECK(Message(f, R"({"id":"c","name":"A","email":"a@example.com","password":"secret"})") ==
        "password must be true or false (Elastic Path exports never carry password hashes), got "
        "string");
  CHECK(Message(f, R"({"id":"c","name":"A","email":"a@example.com","addresses":{}})") ==
        "addresses must be an array, got object");
  CHECK(
      Message(
          f, R"({"id":"c","name":"A","email":"a@example.com","addresses":[{"company_name":1}]})") ==
      "addresses[0].company_name must be a string, got integer");
  CHECK(
      Message(
          f,
          R"({"id":"c","name":"A","email":"a@example.com","meta":{"timestamps":{"created_at":true}}})") ==
      "meta.timestamps.created_at must be a date, got boolean");
}

TEST_CASE("Elastic Path: what Write renders, Read decodes to the same customer but the hash") {
  const RecordFormat& f = ElasticPathRecords();
  Customer c = Sample();
  c.display_name = "John  Doe";
  c.external_ref = "crm-9";
  c.addresses[0].county = "McLean";
  std::string out;
  f.Write(c, out);
  CHECK(out.find(R"("password":true)") != std::string::npos);
  CHECK(out.find(kBcrypt) == std::string::npos);
  CHECK(out.find(R"("links":{"self":"/v2/customers/HkhhuXESl/addresses/ryx3h_XVSx"})") !=
        std::string::npos);
  Result<ImportRecord> r = Read(f, out);
  REQUIRE(r.ok());
  Customer expected = c;
  expected.password_hash.reset();
  expected.status = CustomerStatus::kActive;
  expected.tags.clear();
  CHECK(r->customer == expected);
}

TEST_CASE("Elastic Path: an import keeps password, status, tags, and addresses it does not list") {
  const RecordFormat& f = ElasticPathRecords();
  Customer stored = Sample();
  ImportRecord record;
  record.customer = Sample();
  record.customer.password_hash.reset();
  record.customer.status = CustomerStatus::kActive;
  record.customer.tags.clear();
  record.customer.addresses.clear();
  record.has_addresses = false;
  Customer incoming = record.customer;
  f.KeepInvisibleFields(stored, record, incoming);
  CHECK(incoming == stored);

  record.has_addresses = true;  // `addresses: []` removes them
  incoming = record.customer;
  f.KeepInvisibleFields(stored, record, incoming);
  CHECK(incoming.addresses.empty());
}

TEST_CASE("ReadTime takes every date form exports use") {
  simdjson::dom::parser parser;
  auto time = [&](const char* json) {
    simdjson::dom::element e;
    REQUIRE(!parser.parse(std::string(json)).get(e));
    Result<int64_t> t = ReadTime(e, "t");
    return t.ok() ? t.value() : -1;
  };
  CHECK(time(R"({"$date":"2017-01-11T18:44:45.123Z"})") == 1484160285123);
  CHECK(time(R"({"$date":"2017-01-11T19:44:45.123+01:00"})") == 1484160285123);
  CHECK(time(R"({"$date":1484160285123})") == 1484160285123);
  CHECK(time(R"({"$date":{"$numberLong":"-1000"}})") == -1000);
  CHECK(time(R"("2017-01-11T18:44:45.123Z")") == 1484160285123);
  CHECK(time(R"(1484160285123)") == 1484160285123);
  CHECK(time(R"({"date":1})") == -1);
  CHECK(time(R"({"$date":{"$numberLong":"12x"}})") == -1);
}

TEST_CASE("DerivedAddressId is a version 5 UUID, one per customer and position") {
  const std::string id = DerivedAddressId("HkhhuXESl", 0);
  CHECK(id.size() == 36);
  CHECK(id[14] == '5');
  CHECK(std::string("89ab").find(id[19]) != std::string::npos);
  CHECK(id == DerivedAddressId("HkhhuXESl", 0));
  CHECK(id != DerivedAddressId("HkhhuXESl", 1));
  CHECK(id != DerivedAddressId("HkhhuXESm", 0));
}

}  // namespace
}  // namespace gateway::migration
