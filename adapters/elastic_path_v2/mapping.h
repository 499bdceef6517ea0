// The Elastic Path v2 field mapping: the one place that knows how canonical
// customers and addresses look on this dialect's wire, in both directions.
#pragma once

#include <simdjson.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_writer.h"
#include "core/customer.h"
#include "core/customer_service.h"
#include "core/status.h"

namespace gateway::elastic_path {

// The customer text fields (core/customer.h) this dialect carries, under
// their wire names: the one table from which the customer object's members,
// the create/update readers, error field paths and the import/export record
// derive. A text field not listed here is invisible to this dialect and
// survives its writes and imports.
struct TextFieldWire {
  CustomerTextField field;
  std::string_view wire;
};
std::span<const TextFieldWire> TextFieldWires();
std::optional<std::string_view> WireName(CustomerTextField f);

struct FlowField;
// The custom field members a customer or address object shows: the enabled
// fields of its core flow (adapters/elastic_path_v2/flows.h; null when unset
// unless the field says omit_null), or, for an export, every stored value.
struct CustomMembers {
  std::vector<const FlowField*> fields;
  bool every_stored = false;
};

// Writes a `customer` resource object.
void WriteCustomer(JsonWriter& w, const Customer& c, const CustomMembers& custom = {});
// How WriteAddress renders a member that is not set: "" as the API does (the
// official schema types every member string, never null), or null where an
// export must tell unset from empty so it re-imports exactly.
enum class UnsetAddressMember { kEmptyString, kNull };

// Writes an `address` resource object; `self_base` prefixes links.self.
void WriteAddress(JsonWriter& w, const Address& a, std::string_view customer_id,
                  std::string_view self_base,
                  UnsetAddressMember unset = UnsetAddressMember::kEmptyString,
                  const CustomMembers& custom = {});

// Reads the `data` object of a create request. Checks this dialect's wire
// rules: `name` and `email` required non-empty strings, optional `password`
// string, each text field (TextFieldWires) a string or null (null or ""
// clears). Unknown members are ignored.
Result<NewCustomer> ReadNewCustomer(simdjson::dom::object data);
// Reads the `data` object of a PUT: any subset of the create members.
Result<CustomerPatch> ReadCustomerPatch(simdjson::dom::object data);
// Reads an address `data` object. `partial` false requires this dialect's
// mandatory fields (first_name, last_name, line_1, postcode, country).
Result<AddressPatch> ReadAddress(simdjson::dom::object data, bool partial);

// Maps a canonical field path ("display_name", "addresses[0].company") to
// this dialect's wire name ("name", "company_name").
std::string WireFieldPath(std::string_view canonical);

}  // namespace gateway::elastic_path
