#include "adapters/microbase_v1/schema.h"

#include "adapters/microbase_v1/mapping.h"

namespace gateway::microbase {
namespace {

using Type = Schema::Type;

std::string_view TypeName(Type t) {
  switch (t) {
    case Type::kString:
      return "string";
    case Type::kNumber:
      return "number";
    case Type::kObject:
      return "object";
    case Type::kArray:
      return "array";
    case Type::kAny:
      break;
  }
  return "any";
}

bool HasType(simdjson::dom::element e, Type t) {
  switch (t) {
    case Type::kString:
      return e.is_string();
    case Type::kNumber:
      return e.is_number();
    case Type::kObject:
      return e.is_object();
    case Type::kArray:
      return e.is_array();
    case Type::kAny:
      break;
  }
  return true;
}

bool IsRequired(const Schema& s, std::string_view name) {
  for (std::string_view r : s.required) {
    if (r == name) return true;
  }
  return false;
}

std::optional<std::string> Check(simdjson::dom::element value, const Schema& schema,
                                 const std::string& path);

std::optional<std::string> CheckObject(simdjson::dom::object obj, const Schema& schema,
                                       const std::string& path) {
  for (const auto& [name, sub] : schema.properties) {
    simdjson::dom::element member;
    if (obj[name].get(member)) {
      if (IsRequired(schema, name)) {
        return "payload" + path + ": should have required property '" + std::string(name) + "'";
      }
      continue;
    }
    if (auto err = Check(member, *sub, path + "." + std::string(name))) return err;
  }
  return std::nullopt;
}

std::optional<std::string> Check(simdjson::dom::element value, const Schema& schema,
                                 const std::string& path) {
  if (!HasType(value, schema.type)) {
    return "payload" + path + ": should be " + std::string(TypeName(schema.type));
  }
  simdjson::dom::object obj;
  if (schema.type == Type::kObject && !value.get(obj)) return CheckObject(obj, schema, path);
  simdjson::dom::array arr;
  if (schema.type == Type::kArray && schema.items != nullptr && !value.get(arr)) {
    size_t i = 0;
    for (simdjson::dom::element item : arr) {
      if (auto err = Check(item, *schema.items, path + "[" + std::to_string(i) + "]")) return err;
      ++i;
    }
  }
  return std::nullopt;
}

const Schema kString{Type::kString, {}, {}, nullptr};
const Schema kNumber{Type::kNumber, {}, {}, nullptr};
const Schema kStringArray{Type::kArray, {}, {}, &kString};

}  // namespace

std::optional<std::string> Validate(simdjson::dom::element value, const Schema& schema) {
  return Check(value, schema, "");
}

std::optional<std::string> Validate(simdjson::dom::object args, const Schema& schema) {
  return CheckObject(args, schema, "");
}

namespace schemas {

namespace {

using Properties = std::vector<std::pair<std::string_view, const Schema*>>;

// The address members of the reference's schemas, in their order;
// customer.address.update's address puts `id` first.
Properties AddressProperties(bool with_id) {
  Properties p;
  if (with_id) p.emplace_back("id", &kString);
  for (std::string_view name : {"name", "firstName", "lastName", "address_1", "address_2",
                                "postCode", "city", "state", "country", "company"}) {
    p.emplace_back(name, &kString);
  }
  p.emplace_back("phone", &kNumber);
  p.emplace_back("instructions", &kString);
  return p;
}

// A customer method's members, then the text fields MicroBase carries.
Properties CustomerProperties(Properties p) {
  for (const auto& [field, wire] : TextFieldWires()) p.emplace_back(wire, &kString);
  return p;
}

}  // namespace

const Schema kAddress{Type::kObject,
                      AddressProperties(false),
                      {"name", "firstName", "address_1", "postCode", "city", "state", "country"},
                      nullptr};
const Schema kAddressWithId{
    Type::kObject,
    AddressProperties(true),
    {"id", "name", "firstName", "address_1", "postCode", "city", "state", "country"},
    nullptr};

const Schema kAddressArray{Type::kArray, {}, {}, &kAddress};

const Schema kCreate{Type::kObject,
                     CustomerProperties({{"email", &kString},
                                         {"password", &kString},
                                         {"firstName", &kString},
                                         {"lastName", &kString},
                                         {"status", &kString},
                                         {"tags", &kStringArray},
                                         {"addresses", &kAddressArray}}),
                     {"email", "password", "firstName", "lastName"},
                     nullptr};
const Schema kInfo{Type::kObject, {{"id", &kString}}, {"id"}, nullptr};
const Schema kUpdate{Type::kObject,
                     CustomerProperties({{"id", &kString},
                                         {"email", &kString},
                                         {"firstName", &kString},
                                         {"lastName", &kString},
                                         {"status", &kString},
                                         {"tags", &kStringArray}}),
                     {"id"},
                     nullptr};
const Schema kCheckCredentials{
    Type::kObject, {{"email", &kString}, {"password", &kString}}, {"email", "password"}, nullptr};
const Schema kAddressCreate{Type::kObject,
                            {{"customerId", &kString}, {"addresses", &kAddressArray}},
                            {"customerId", "addresses"},
                            nullptr};
const Schema kAddressInfo{Type::kObject,
                          {{"customerId", &kString}, {"addressId", &kString}},
                          {"customerId", "addressId"},
                          nullptr};
const Schema kAddressUpdate{Type::kObject,
                            {{"customerId", &kString}, {"address", &kAddressWithId}},
                            {"customerId", "address"},
                            nullptr};

}  // namespace schemas
}  // namespace gateway::microbase
