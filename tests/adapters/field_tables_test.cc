// The per-dialect field tables: every customer text field a dialect's table
// lists reaches that dialect's responses, readers, schemas, error field paths
// and import/export records, and every field it does not list is kept from
// the stored customer by an import in that dialect's format. The checks loop
// over the tables, so a field added to a table is covered without a new test.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <string>

#include "adapters/elastic_path_v2/mapping.h"
#include "adapters/microbase_v1/mapping.h"
#include "adapters/microbase_v1/schema.h"
#include "adapters/migration/elastic_path_records.h"
#include "adapters/migration/microbase_records.h"
#include "adapters/openapi/documents.h"

namespace gateway {
namespace {

std::string ValueOf(CustomerTextField f) { return "value-of-" + std::string(FieldName(f)); }

Customer Sample() {
  Customer c;
  c.id = "c-1";
  c.email = "ann@example.com";
  c.first_name = "Ann";
  c.last_name = "Perkins";
  c.display_name = "Ann Perkins";
  for (CustomerTextField f : kAllCustomerTextFields) c.Field(f) = ValueOf(f);
  return c;
}

std::string Member(std::string_view wire, CustomerTextField f) {
  return "\"" + std::string(wire) + "\":\"" + ValueOf(f) + "\"";
}

simdjson::dom::object Parse(simdjson::dom::parser& parser, const std::string& json) {
  return parser.parse(simdjson::padded_string(json)).get_object().value();
}

// A JSON object with every listed text field set through its wire name.
template <typename Wires>
std::string WireObject(std::string head, const Wires& wires) {
  for (const auto& row : wires) head += "," + Member(row.wire, row.field);
  return head + "}";
}

bool HasProperty(const microbase::Schema& schema, std::string_view name) {
  return std::any_of(schema.properties.begin(), schema.properties.end(),
                     [&](const auto& p) { return p.first == name; });
}

TEST_CASE("Elastic Path: each table row is written, read, named in errors and exported") {
  REQUIRE_FALSE(elastic_path::TextFieldWires().empty());
  const Customer c = Sample();
  JsonWriter w;
  elastic_path::WriteCustomer(w, c);
  std::string exported;
  migration::ElasticPathRecords().Write(c, exported);
  simdjson::dom::parser parser;
  const std::string body = WireObject(R"({"name":"Ann Perkins","email":"ann@example.com")",
                                      elastic_path::TextFieldWires());
  Result<CustomerPatch> patch = elastic_path::ReadCustomerPatch(Parse(parser, body));
  REQUIRE(patch.ok());
  Result<NewCustomer> created = elastic_path::ReadNewCustomer(Parse(parser, body));
  REQUIRE(created.ok());
  for (const auto& row : elastic_path::TextFieldWires()) {
    const CustomerTextField field = row.field;
    const std::string_view wire = row.wire;
    CAPTURE(wire);
    CHECK(elastic_path::WireName(field) == wire);
    CHECK(w.str().find(Member(wire, field)) != std::string::npos);
    CHECK(exported.find(Member(wire, field)) != std::string::npos);
    CHECK(elastic_path::WireFieldPath(FieldName(field)) == wire);
    const auto set = std::find_if(patch->text_fields.begin(), patch->text_fields.end(),
                                  [&](const auto& v) { return v.first == field; });
    REQUIRE(set != patch->text_fields.end());
    CHECK(set->second == ValueOf(field));
    CHECK(std::count(created->text_fields.begin(), created->text_fields.end(),
                     std::pair{field, std::optional<std::string>(ValueOf(field))}) == 1);
  }
  Result<migration::ImportRecord> read =
      migration::ElasticPathRecords().Read(parser.parse(simdjson::padded_string(exported)));
  REQUIRE(read.ok());
  for (const auto& row : elastic_path::TextFieldWires()) {
    CHECK(read->customer.Field(row.field) == ValueOf(row.field));
  }
}

TEST_CASE("Elastic Path: null or \"\" clears a text field") {
  simdjson::dom::parser parser;
  for (const auto& row : elastic_path::TextFieldWires()) {
    const CustomerTextField field = row.field;
    const std::string_view wire = row.wire;
    for (std::string_view cleared : {"null", "\"\""}) {
      Result<CustomerPatch> patch = elastic_path::ReadCustomerPatch(
          Parse(parser, "{\"" + std::string(wire) + "\":" + std::string(cleared) + "}"));
      REQUIRE(patch.ok());
      REQUIRE(patch->text_fields.size() == 1);
      CHECK(patch->text_fields[0].first == field);
      CHECK_FALSE(patch->text_fields[0].second.has_value());
    }
  }
}

TEST_CASE("MicroBase: each table row is in the schemas, responses, selection and records") {
  const Customer c = Sample();
  JsonWriter w;
  microbase::WriteCustomer(w, c);
  std::string exported;
  migration::MicroBaseRecords().Write(c, exported);
  simdjson::dom::parser parser;
  const TextFieldValues read = microbase::ReadTextFields(
      Parse(parser, WireObject(R"({"email":"ann@example.com")", microbase::TextFieldWires())));
  for (const auto& row : microbase::TextFieldWires()) {
    const CustomerTextField field = row.field;
    const std::string_view wire = row.wire;
    CAPTURE(wire);
    CHECK(microbase::WireName(field) == wire);
    CHECK(HasProperty(microbase::schemas::kCreate, wire));
    CHECK(HasProperty(microbase::schemas::kUpdate, wire));
    CHECK(w.str().find(Member(wire, field)) != std::string::npos);
    CHECK(exported.find(Member(wire, field)) != std::string::npos);
    CHECK(microbase::MemberBit(wire) != 0);
    CHECK(microbase::WireFieldPath(FieldName(field)) == wire);
    CHECK(std::count(read.begin(), read.end(),
                     std::pair{field, std::optional<std::string>(ValueOf(field))}) == 1);
  }
  // Only the member selected is written (beside id).
  for (const auto& row : microbase::TextFieldWires()) {
    const CustomerTextField field = row.field;
    const std::string_view wire = row.wire;
    JsonWriter only;
    microbase::WriteCustomer(only, c, microbase::MemberBit(wire));
    CHECK(only.str() == "{" + Member(wire, field) + ",\"id\":\"c-1\"}");
  }
}

TEST_CASE("A text field a dialect does not list stays invisible to it and survives its imports") {
  const Customer stored = Sample();
  for (CustomerTextField f : kAllCustomerTextFields) {
    CAPTURE(FieldName(f));
    for (const migration::RecordFormat* format :
         {&migration::ElasticPathRecords(), &migration::MicroBaseRecords()}) {
      const bool carried = format == &migration::MicroBaseRecords()
                               ? microbase::WireName(f).has_value()
                               : elastic_path::WireName(f).has_value();
      if (carried) continue;
      CHECK(format->uncarried_fields().find(FieldName(f)) != std::string::npos);
      std::string exported;
      format->Write(stored, exported);
      CHECK(exported.find(ValueOf(f)) == std::string::npos);
      Customer incoming = stored;
      incoming.Field(f).reset();
      format->KeepInvisibleFields(stored, migration::ImportRecord{}, incoming);
      CHECK(incoming.Field(f) == ValueOf(f));
    }
    if (!microbase::WireName(f)) {
      JsonWriter w;
      microbase::WriteCustomer(w, stored);
      CHECK(w.str().find(ValueOf(f)) == std::string::npos);
    }
  }
}

TEST_CASE("export notes name the text fields a format cannot carry, then its other facts") {
  CHECK(migration::MicroBaseRecords().uncarried_fields() ==
        "external_ref, Elastic Path display names (only first and last names), address county or "
        "custom field values");
  CHECK(migration::ElasticPathRecords().uncarried_fields() == "password hashes, status or tags");
}

// The OpenAPI documents are written by hand (descriptions, examples); these
// checks keep their customer schemas in step with the tables.
simdjson::dom::object Component(simdjson::dom::element doc, std::string_view pointer) {
  simdjson::dom::object o;
  REQUIRE_FALSE(doc.at_pointer(pointer).get(o));
  return o;
}

bool Lists(simdjson::dom::object schema, std::string_view wire) {
  simdjson::dom::element e;
  return !schema["properties"][wire].get(e);
}

TEST_CASE("OpenAPI: the documents list every table row") {
  simdjson::dom::parser ep_parser;
  simdjson::dom::element ep = ep_parser.parse(simdjson::padded_string(openapi::kElasticPathV2));
  for (const auto& row : elastic_path::TextFieldWires()) {
    const CustomerTextField field = row.field;
    const std::string_view wire = row.wire;
    CAPTURE(wire);
    simdjson::dom::object customer = Component(ep, "/components/schemas/Customer");
    REQUIRE(Lists(customer, wire));
    CHECK(uint64_t(customer["properties"][wire]["maxLength"]) == MaxLength(field));
    bool required = false;
    for (simdjson::dom::element r : customer["required"].get_array()) {
      required = required || std::string_view(r) == wire;
    }
    CHECK(required);  // written as null when unset
    CHECK(Lists(Component(ep, "/components/schemas/CustomerCreate/properties/data"), wire));
    CHECK(Lists(Component(ep, "/components/schemas/CustomerUpdate/properties/data"), wire));
  }
  simdjson::dom::parser mb_parser;
  simdjson::dom::element mb = mb_parser.parse(simdjson::padded_string(openapi::kMicroBaseV1));
  for (const auto& row : microbase::TextFieldWires()) {
    const std::string_view wire = row.wire;
    CAPTURE(wire);
    for (std::string_view schema :
         {"Customer", "ListedCustomer", "CustomerCreateArguments", "CustomerUpdateArguments"}) {
      CAPTURE(schema);
      CHECK(Lists(Component(mb, "/components/schemas/" + std::string(schema)), wire));
    }
  }
}

}  // namespace
}  // namespace gateway
