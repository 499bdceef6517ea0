#include "adapters/elastic_path_v2/mapping.h"

#include <array>
#include <utility>

#include "adapters/elastic_path_v2/flows.h"
#include "common/iso_time.h"
#include "common/json_scalar.h"
#include "common/text.h"

namespace gateway::elastic_path {
namespace {

constexpr std::array<TextFieldWire, 1> kTextFieldWire = {{
    {CustomerTextField::kExternalRef, "external_ref"},
}};

struct AddressWireName {
  AddressField field;
  std::string_view wire;
};

constexpr std::array<AddressWireName, 13> kAddressWire = {{
    {AddressField::kLabel, "name"},
    {AddressField::kFirstName, "first_name"},
    {AddressField::kLastName, "last_name"},
    {AddressField::kLine1, "line_1"},
    {AddressField::kLine2, "line_2"},
    {AddressField::kPostcode, "postcode"},
    {AddressField::kCity, "city"},
    {AddressField::kRegion, "region"},
    {AddressField::kCounty, "county"},
    {AddressField::kCountry, "country"},
    {AddressField::kCompany, "company_name"},
    {AddressField::kPhone, "phone_number"},
    {AddressField::kInstructions, "instructions"},
}};

constexpr std::array<AddressField, 5> kRequiredAddressFields = {
    AddressField::kFirstName, AddressField::kLastName, AddressField::kLine1,
    AddressField::kPostcode, AddressField::kCountry};

void WriteTimestamps(JsonWriter& w, int64_t created, int64_t updated) {
  w.Key("meta").BeginObject().Key("timestamps").BeginObject();
  w.Field("created_at", FormatIsoTime(created)).Field("updated_at", FormatIsoTime(updated));
  w.EndObject().EndObject();
}

// Reads an optional string member: absent → nullopt; string → value;
// null → "" only when `allow_null`; any other type → error.
Result<std::optional<std::string>> ReadString(simdjson::dom::object o, std::string_view key,
                                              bool allow_null) {
  simdjson::dom::element e;
  if (o[key].get(e)) return std::optional<std::string>();
  if (e.is_null() && allow_null) return std::optional<std::string>(std::string());
  std::string_view s;
  if (e.get(s)) return Status::Invalid(std::string(key), std::string(key) + " must be a string");
  return std::optional<std::string>(std::string(s));
}

Status Required(std::string_view key) {
  return Status::Invalid(std::string(key), std::string(key) + " is required");
}

void WriteCustom(JsonWriter& w, const CustomValues& values, const CustomMembers& custom) {
  if (!custom.every_stored) return WriteCustomMembers(w, values, custom.fields);
  for (const auto& [slug, value] : values) {
    w.Key(slug);
    WriteJsonScalar(w, value);
  }
}

}  // namespace

std::span<const TextFieldWire> TextFieldWires() { return kTextFieldWire; }

std::optional<std::string_view> WireName(CustomerTextField f) {
  for (const auto& [field, wire] : kTextFieldWire) {
    if (field == f) return wire;
  }
  return std::nullopt;
}

void WriteCustomer(JsonWriter& w, const Customer& c, const CustomMembers& custom) {
  w.BeginObject();
  w.Field("type", "customer").Field("id", c.id).Field("name", c.display_name);
  w.Field("email", c.email);
  for (const auto& [field, wire] : kTextFieldWire) w.Field(wire, c.Field(field));
  w.Field("password", c.password_hash.has_value());
  WriteCustom(w, c.custom, custom);
  WriteTimestamps(w, c.created_at, c.updated_at);
  w.EndObject();
}

void WriteAddress(JsonWriter& w, const Address& a, std::string_view customer_id,
                  std::string_view self_base, UnsetAddressMember unset,
                  const CustomMembers& custom) {
  w.BeginObject();
  w.Field("type", "address").Field("id", a.id);
  for (const auto& [field, wire] : kAddressWire) {
    const std::optional<std::string>& value = a.Field(field);
    if (unset == UnsetAddressMember::kEmptyString) {
      w.Field(wire, value.value_or(""));
    } else {
      w.Field(wire, value);
    }
  }
  WriteCustom(w, a.custom, custom);
  WriteTimestamps(w, a.created_at, a.updated_at);
  w.Key("links").BeginObject();
  w.Field("self", std::string(self_base) + "/v2/customers/" + std::string(customer_id) +
                      "/addresses/" + a.id);
  w.EndObject();
  w.Key("relationships").BeginObject().Key("customer").BeginObject();
  w.Field("id", customer_id).Field("type", "customer");
  w.EndObject().EndObject();
  w.EndObject();
}

Result<NewCustomer> ReadNewCustomer(simdjson::dom::object data) {
  Result<CustomerPatch> patch = ReadCustomerPatch(data);
  if (!patch.ok()) return patch.status();
  if (!patch->display_name) return Required("name");
  if (!patch->email) return Required("email");
  NewCustomer in;
  in.email = std::move(*patch->email);
  in.display_name = std::move(patch->display_name);
  in.password = std::move(patch->password);
  in.text_fields = std::move(patch->text_fields);
  return in;
}

Result<CustomerPatch> ReadCustomerPatch(simdjson::dom::object data) {
  CustomerPatch patch;
  auto name = ReadString(data, "name", false);
  if (!name.ok()) return name.status();
  if (*name) {
    if (IsBlank(**name)) return Status::Invalid("name", "name must not be empty");
    patch.display_name = std::move(*name);
  }
  auto email = ReadString(data, "email", false);
  if (!email.ok()) return email.status();
  if (*email) {
    if (IsBlank(**email)) return Status::Invalid("email", "email must not be empty");
    patch.email = std::move(*email);
  }
  auto password = ReadString(data, "password", false);
  if (!password.ok()) return password.status();
  if (*password) {
    if (password->value().empty()) return Status::Invalid("password", "password must not be empty");
    patch.password = std::move(*password);
  }
  for (const auto& [field, wire] : kTextFieldWire) {
    auto value = ReadString(data, wire, true);
    if (!value.ok()) return value.status();
    if (!*value) continue;
    // null (read as "") clears the field.
    patch.text_fields.emplace_back(
        field, value->value().empty() ? std::nullopt : std::optional<std::string>(**value));
  }
  return patch;
}

Result<AddressPatch> ReadAddress(simdjson::dom::object data, bool partial) {
  AddressPatch patch;
  for (const auto& [field, wire] : kAddressWire) {
    auto value = ReadString(data, wire, true);
    if (!value.ok()) return value.status();
    if (!*value) continue;
    std::optional<std::string> stored;
    if (!value->value().empty()) stored = std::move(**value);
    patch.fields.emplace_back(field, std::move(stored));
  }
  for (AddressField required : kRequiredAddressFields) {
    bool present = false;
    for (const auto& [field, value] : patch.fields) {
      if (field == required) present = value.has_value() && !IsBlank(*value);
    }
    bool sent = false;
    for (const auto& [field, value] : patch.fields) sent = sent || field == required;
    // On create every required field must be there; on update one that is
    // sent must not be emptied.
    if ((!partial && !present) || (partial && sent && !present)) {
      for (const auto& [field, wire] : kAddressWire) {
        if (field == required) return Required(wire);
      }
    }
  }
  return patch;
}

std::string WireFieldPath(std::string_view canonical) {
  if (canonical.starts_with("relationships.")) return std::string(canonical);  // already wire
  size_t dot = canonical.rfind('.');
  std::string_view leaf = dot == std::string_view::npos ? canonical : canonical.substr(dot + 1);
  if (leaf == "display_name") return "name";
  for (const auto& [field, wire] : kTextFieldWire) {
    if (dot == std::string_view::npos && FieldName(field) == leaf) return std::string(wire);
  }
  for (const auto& [field, wire] : kAddressWire) {
    if (FieldName(field) == leaf) return std::string(wire);
  }
  return std::string(leaf);
}

}  // namespace gateway::elastic_path
