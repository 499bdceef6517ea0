// The canonical, protocol-neutral customer and address (shared/spec/bridge.md).
//
// Both dialects translate into and out of these types; neither sees the
// other's wire names. Optional text fields are std::optional so "never set"
// survives a round trip through a dialect that cannot see the field.
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/custom_fields.h"

namespace gateway {

enum class CustomerStatus { kActive, kInactive };

std::string_view StatusName(CustomerStatus s);  // "ACTIVE" / "INACTIVE"
std::optional<CustomerStatus> ParseStatus(std::string_view name);

// Every editable address field, so dialect mappings and patches name fields
// through one list instead of repeating struct members.
enum class AddressField {
  kLabel,
  kFirstName,
  kLastName,
  kLine1,
  kLine2,
  kPostcode,
  kCity,
  kRegion,
  kCounty,
  kCountry,
  kCompany,
  kPhone,
  kInstructions,
};
inline constexpr std::array kAllAddressFields = {
    AddressField::kLabel,        AddressField::kFirstName, AddressField::kLastName,
    AddressField::kLine1,        AddressField::kLine2,     AddressField::kPostcode,
    AddressField::kCity,         AddressField::kRegion,    AddressField::kCounty,
    AddressField::kCountry,      AddressField::kCompany,   AddressField::kPhone,
    AddressField::kInstructions,
};
// Canonical name, used in error field paths and storage column names.
std::string_view FieldName(AddressField f);

// Optional text fields of a customer that no bridge rule touches. Validation,
// patches, storage columns and each dialect's field table iterate over this
// list, so such a field is declared here (enumerator, list entry, member) and
// described once in customer.cc's table.
enum class CustomerTextField {
  kExternalRef,
};
inline constexpr std::array kAllCustomerTextFields = {
    CustomerTextField::kExternalRef,
};
// Canonical name, used in error field paths and storage column names.
std::string_view FieldName(CustomerTextField f);
// The longest value accepted, in characters.
size_t MaxLength(CustomerTextField f);
// Whether line breaks are allowed (free text).
bool AllowsLineBreaks(CustomerTextField f);

struct Address {
  std::string id;
  std::optional<std::string> label;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> line_1;
  std::optional<std::string> line_2;
  std::optional<std::string> postcode;
  std::optional<std::string> city;
  std::optional<std::string> region;
  std::optional<std::string> county;
  std::optional<std::string> country;
  std::optional<std::string> company;
  std::optional<std::string> phone;  // stored as text; dialects render it
  std::optional<std::string> instructions;
  CustomValues custom;     // custom field values by slug (core/custom_fields.h)
  int64_t created_at = 0;  // UTC milliseconds
  int64_t updated_at = 0;

  std::optional<std::string>& Field(AddressField f);
  const std::optional<std::string>& Field(AddressField f) const;
  bool operator==(const Address&) const = default;
};

struct Customer {
  std::string id;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string display_name;  // Elastic Path's `name`, verbatim as last written
  std::optional<std::string> password_hash;
  std::optional<std::string> external_ref;
  CustomerStatus status = CustomerStatus::kActive;
  std::vector<std::string> tags;
  std::vector<Address> addresses;
  CustomValues custom;     // custom field values by slug (core/custom_fields.h)
  int64_t created_at = 0;  // UTC milliseconds
  int64_t updated_at = 0;

  std::optional<std::string>& Field(CustomerTextField f);
  const std::optional<std::string>& Field(CustomerTextField f) const;
  const Address* FindAddress(std::string_view address_id) const;
  Address* FindAddress(std::string_view address_id);
  bool operator==(const Customer&) const = default;
};

// The name rule: an Elastic Path `name` is kept verbatim and split at the first
// run of whitespace (after trimming) into first and last name.
std::pair<std::string, std::string> SplitDisplayName(std::string_view name);
// A MicroBase write of first/last names recomputes the display name.
std::string JoinDisplayName(std::string_view first, std::string_view last);

// Lower-cases ASCII letters: the key under which emails are unique.
std::string EmailKey(std::string_view email);

}  // namespace gateway
