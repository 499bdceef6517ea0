// Custom fields: values a store adds to its customers and addresses beyond
// the built-in members (Elastic Path's Flows, docs/elastic-path-v2.md,
// "Custom fields"). The core keeps the values with the customer, whatever
// dialect wrote it, and checks a value against its field's definition; the
// definitions themselves are a dialect's configuration.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_scalar.h"
#include "core/status.h"

namespace gateway {

using CustomValue = JsonScalar;
using CustomValues = JsonScalarMap;  // field slug -> value

enum class CustomFieldType { kString, kInteger, kFloat, kBoolean, kDate };
std::string_view CustomFieldTypeName(CustomFieldType t);
std::optional<CustomFieldType> ParseCustomFieldType(std::string_view name);

struct CustomFieldRule {
  enum class Kind { kEnum, kEmail, kSlug, kBetween };
  Kind kind = Kind::kEnum;
  std::vector<CustomValue> options;  // kEnum: the allowed values
  double from = 0;                   // kBetween: inclusive bounds
  double to = 0;
  bool operator==(const CustomFieldRule&) const = default;
};
std::string_view CustomFieldRuleName(CustomFieldRule::Kind k);
std::optional<CustomFieldRule::Kind> ParseCustomFieldRule(std::string_view name);

struct CustomField {
  std::string slug;
  CustomFieldType type = CustomFieldType::kString;
  bool required = false;
  bool enabled = true;
  CustomValue default_value;  // null: no default
  std::vector<CustomFieldRule> rules;
};

// Letters, digits, '-' and '_' (the `slug` rule, and what a field slug may be).
bool IsCustomSlug(std::string_view text);

// `value` in the type `field` stores it as: an integer given for a float
// field becomes a float; null stays null. Invalid (naming the slug) when the
// value is of another type, breaks a rule, or is a malformed date.
Result<CustomValue> CheckCustomValue(const CustomField& field, const CustomValue& value);

// A definition whose rules fit its type and whose default passes them.
Status CheckCustomFieldDefinition(const CustomField& field);

// Applies `given` (values by slug, as a client sent them) for the enabled
// `fields` to `stored`: each checked by CheckCustomValue. On create, fields
// not given take their default, and a required field must end with a value;
// on update, a required field cannot be set to null. Members of `given` that
// name no enabled field are not custom values and are left alone. On error
// `stored` is unchanged.
Status ApplyCustomValues(const std::vector<CustomField>& fields, const CustomValues& given,
                         bool creating, CustomValues& stored);

}  // namespace gateway
