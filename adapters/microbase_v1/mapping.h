// The MicroBase v1 field mapping: the one place that knows how canonical
// customers and addresses look on this dialect's wire, in both directions.
// Inputs have already passed the method's schema (schema.h), so member types
// are known to be right when these run.
//
// Pure functions; safe from any thread.
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

namespace gateway::microbase {

// The customer text fields (core/customer.h) this dialect carries, under
// their wire names and in the order responses list them (after lastName):
// the one table from which the method schemas, the create/update readers,
// responses, `fields` selection, error field paths and the import/export
// record derive. A text field not listed is invisible to MicroBase and
// survives its writes and imports.
struct TextFieldWire {
  CustomerTextField field;
  std::string_view wire;
};
std::span<const TextFieldWire> TextFieldWires();
std::optional<std::string_view> WireName(CustomerTextField f);

// The text fields sent in a schema-checked create or update: a non-empty
// string sets the field; "" changes nothing, as mongoose's `msg.field || current`.
TextFieldValues ReadTextFields(simdjson::dom::object args);

// The customer members `customer.list` can select (`fields`), as bits.
// `id` is always written, as MongoDB always returns `_id`.
enum CustomerMember : unsigned {
  kMemberId = 1u << 0,
  kMemberEmail = 1u << 1,
  kMemberFirstName = 1u << 2,
  kMemberLastName = 1u << 3,
  kMemberTags = 1u << 4,
  kMemberStatus = 1u << 5,
  kMemberAddresses = 1u << 6,
  kMemberFirstTextField = 1u << 7,  // TextFieldWires()[i] is kMemberFirstTextField << i
};
using MemberMask = unsigned;
inline constexpr MemberMask kAllMembers = ~0u;
// The bit of a wire member name ("firstName"), or 0 when it is not selectable.
MemberMask MemberBit(std::string_view wire_name);

// Writes a customer as MicroBase returns it: never the password, never
// timestamps; only the `members` selected (plus `id`).
void WriteCustomer(JsonWriter& w, const Customer& c, MemberMask members = kAllMembers);
void WriteAddress(JsonWriter& w, const Address& a);

// Reads a schema-checked address object.
Address ReadAddress(simdjson::dom::object o);
// Reads a schema-checked address object as the replacement of a stored one:
// every field MicroBase can see is set, absent ones cleared; fields it cannot
// see (county) are not part of the patch and so survive.
AddressPatch ReadAddressReplacement(simdjson::dom::object o);

// Renders a stored phone: a JSON number when it is plain digits that a
// number keeps exactly, else a string.
void WritePhone(JsonWriter& w, const std::string& phone);
// Reads a JSON number as the text MicroBase clients mean by it.
std::string PhoneText(simdjson::dom::element number);

// Maps a canonical field path ("first_name", "addresses[0].line_1") to this
// dialect's wire path ("firstName", "addresses.0.address_1").
std::string WireFieldPath(std::string_view canonical);

}  // namespace gateway::microbase
