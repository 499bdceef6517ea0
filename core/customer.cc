#include "core/customer.h"

#include <algorithm>

#include "common/text.h"

namespace gateway {
namespace {

template <typename AddressT>
auto& FieldOf(AddressT& a, AddressField f) {
  switch (f) {
    case AddressField::kLabel:
      return a.label;
    case AddressField::kFirstName:
      return a.first_name;
    case AddressField::kLastName:
      return a.last_name;
    case AddressField::kLine1:
      return a.line_1;
    case AddressField::kLine2:
      return a.line_2;
    case AddressField::kPostcode:
      return a.postcode;
    case AddressField::kCity:
      return a.city;
    case AddressField::kRegion:
      return a.region;
    case AddressField::kCounty:
      return a.county;
    case AddressField::kCountry:
      return a.country;
    case AddressField::kCompany:
      return a.company;
    case AddressField::kPhone:
      return a.phone;
    case AddressField::kInstructions:
      break;
  }
  return a.instructions;
}

struct TextFieldSpec {
  CustomerTextField field;
  std::string_view name;
  std::optional<std::string> Customer::*member;
  size_t max_length;
  bool line_breaks;
};

// One row per CustomerTextField, in kAllCustomerTextFields order.
constexpr std::array<TextFieldSpec, kAllCustomerTextFields.size()> kTextFields = {{
    {CustomerTextField::kExternalRef, "external_ref", &Customer::external_ref, 2048, false},
}};

constexpr bool RowsInEnumOrder() {
  for (size_t i = 0; i < kTextFields.size(); ++i) {
    if (static_cast<size_t>(kTextFields[i].field) != i) return false;
  }
  return true;
}
static_assert(RowsInEnumOrder(), "kTextFields rows follow CustomerTextField's order");

const TextFieldSpec& Spec(CustomerTextField f) { return kTextFields[static_cast<size_t>(f)]; }

}  // namespace

std::string_view FieldName(CustomerTextField f) { return Spec(f).name; }
size_t MaxLength(CustomerTextField f) { return Spec(f).max_length; }
bool AllowsLineBreaks(CustomerTextField f) { return Spec(f).line_breaks; }

std::optional<std::string>& Customer::Field(CustomerTextField f) { return this->*Spec(f).member; }
const std::optional<std::string>& Customer::Field(CustomerTextField f) const {
  return this->*Spec(f).member;
}

std::string_view StatusName(CustomerStatus s) {
  return s == CustomerStatus::kActive ? "ACTIVE" : "INACTIVE";
}

std::optional<CustomerStatus> ParseStatus(std::string_view name) {
  if (name == "ACTIVE") return CustomerStatus::kActive;
  if (name == "INACTIVE") return CustomerStatus::kInactive;
  return std::nullopt;
}

std::string_view FieldName(AddressField f) {
  switch (f) {
    case AddressField::kLabel:
      return "label";
    case AddressField::kFirstName:
      return "first_name";
    case AddressField::kLastName:
      return "last_name";
    case AddressField::kLine1:
      return "line_1";
    case AddressField::kLine2:
      return "line_2";
    case AddressField::kPostcode:
      return "postcode";
    case AddressField::kCity:
      return "city";
    case AddressField::kRegion:
      return "region";
    case AddressField::kCounty:
      return "county";
    case AddressField::kCountry:
      return "country";
    case AddressField::kCompany:
      return "company";
    case AddressField::kPhone:
      return "phone";
    case AddressField::kInstructions:
      break;
  }
  return "instructions";
}

std::optional<std::string>& Address::Field(AddressField f) { return FieldOf(*this, f); }
const std::optional<std::string>& Address::Field(AddressField f) const { return FieldOf(*this, f); }

const Address* Customer::FindAddress(std::string_view address_id) const {
  auto it = std::find_if(addresses.begin(), addresses.end(),
                         [&](const Address& a) { return a.id == address_id; });
  return it == addresses.end() ? nullptr : &*it;
}

Address* Customer::FindAddress(std::string_view address_id) {
  return const_cast<Address*>(std::as_const(*this).FindAddress(address_id));
}

std::pair<std::string, std::string> SplitDisplayName(std::string_view name) {
  std::string_view s = TrimAsciiSpace(name);
  size_t gap = 0;
  while (gap < s.size() && !IsAsciiSpace(s[gap])) ++gap;
  std::string_view first = s.substr(0, gap);
  std::string_view last = TrimAsciiSpace(s.substr(gap));
  return {std::string(first), std::string(last)};
}

std::string JoinDisplayName(std::string_view first, std::string_view last) {
  if (last.empty()) return std::string(first);
  if (first.empty()) return std::string(last);
  std::string joined;
  joined.reserve(first.size() + 1 + last.size());
  joined.append(first).append(" ").append(last);
  return joined;
}

std::string EmailKey(std::string_view email) {
  std::string key(email);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

}  // namespace gateway
