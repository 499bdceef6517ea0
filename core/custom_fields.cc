#include "core/custom_fields.h"

#include <cctype>
#include <charconv>

#include "core/validation.h"

namespace gateway {
namespace {

bool Digits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// "YYYY-MM-DD", optionally followed by " HH:MM:SS" or "THH:MM:SS" (the form
// Elastic Path's date fields take; time is optional).
bool IsCustomDate(std::string_view s) {
  if (!(Digits(s, 0, 4) && s.size() >= 10 && s[4] == '-' && Digits(s, 5, 2) && s[7] == '-' &&
        Digits(s, 8, 2))) {
    return false;
  }
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  if (s.size() == 10) return true;
  if (s.size() != 19 || (s[10] != ' ' && s[10] != 'T')) return false;
  if (!(Digits(s, 11, 2) && s[13] == ':' && Digits(s, 14, 2) && s[16] == ':' && Digits(s, 17, 2))) {
    return false;
  }
  return (s[11] - '0') * 10 + (s[12] - '0') < 24 && (s[14] - '0') < 6 && (s[17] - '0') < 6;
}

// The shortest text that reads back as `v` ("18", "0.5").
std::string Number(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

double AsNumber(const CustomValue& v) {
  return v.kind == CustomValue::Kind::kInteger ? static_cast<double>(v.integer) : v.number;
}

bool RuleFits(CustomFieldRule::Kind rule, CustomFieldType type) {
  switch (rule) {
    case CustomFieldRule::Kind::kEnum:
      return type != CustomFieldType::kBoolean;
    case CustomFieldRule::Kind::kEmail:
    case CustomFieldRule::Kind::kSlug:
      return type == CustomFieldType::kString;
    case CustomFieldRule::Kind::kBetween:
      return type == CustomFieldType::kInteger || type == CustomFieldType::kFloat;
  }
  return false;
}

}  // namespace

std::string_view CustomFieldTypeName(CustomFieldType t) {
  switch (t) {
    case CustomFieldType::kString:
      return "string";
    case CustomFieldType::kInteger:
      return "integer";
    case CustomFieldType::kFloat:
      return "float";
    case CustomFieldType::kBoolean:
      return "boolean";
    case CustomFieldType::kDate:
      return "date";
  }
  return "string";
}

std::optional<CustomFieldType> ParseCustomFieldType(std::string_view name) {
  for (CustomFieldType t :
       {CustomFieldType::kString, CustomFieldType::kInteger, CustomFieldType::kFloat,
        CustomFieldType::kBoolean, CustomFieldType::kDate}) {
    if (CustomFieldTypeName(t) == name) return t;
  }
  return std::nullopt;
}

std::string_view CustomFieldRuleName(CustomFieldRule::Kind k) {
  switch (k) {
    case CustomFieldRule::Kind::kEnum:
      return "enum";
    case CustomFieldRule::Kind::kEmail:
      return "email";
    case CustomFieldRule::Kind::kSlug:
      return "slug";
    case CustomFieldRule::Kind::kBetween:
      return "between";
  }
  return "enum";
}

std::optional<CustomFieldRule::Kind> ParseCustomFieldRule(std::string_view name) {
  for (auto k : {CustomFieldRule::Kind::kEnum, CustomFieldRule::Kind::kEmail,
                 CustomFieldRule::Kind::kSlug, CustomFieldRule::Kind::kBetween}) {
    if (CustomFieldRuleName(k) == name) return k;
  }
  return std::nullopt;
}

bool IsCustomSlug(std::string_view text) {
  if (text.empty()) return false;
  for (char ch : text) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_') return false;
  }
  return true;
}

Result<CustomValue> CheckCustomValue(const CustomField& field, const CustomValue& value) {
  using Kind = CustomValue::Kind;
  if (value.is_null()) return value;
  const std::string type(CustomFieldTypeName(field.type));
  auto wrong_type = [&] { return Status::Invalid(field.slug, field.slug + " must be a " + type); };
  CustomValue out = value;
  switch (field.type) {
    case CustomFieldType::kString:
    case CustomFieldType::kDate:
      if (value.kind != Kind::kString) return wrong_type();
      if (Status s = ValidateText(field.slug, value.text, 65535, true); !s.ok()) return s;
      if (field.type == CustomFieldType::kDate && !IsCustomDate(value.text)) {
        return Status::Invalid(
            field.slug, field.slug + " must be a date: YYYY-MM-DD, optionally with HH:MM:SS");
      }
      break;
    case CustomFieldType::kInteger:
      if (value.kind != Kind::kInteger) return wrong_type();
      break;
    case CustomFieldType::kFloat:
      if (value.kind == Kind::kInteger) {
        out = CustomValue::Float(static_cast<double>(value.integer));
      } else if (value.kind != Kind::kFloat) {
        return wrong_type();
      }
      break;
    case CustomFieldType::kBoolean:
      if (value.kind != Kind::kBoolean) return wrong_type();
      break;
  }
  for (const CustomFieldRule& rule : field.rules) {
    switch (rule.kind) {
      case CustomFieldRule::Kind::kEnum: {
        bool found = false;
        for (const CustomValue& option : rule.options) {
          found = found || option == out ||
                  (field.type == CustomFieldType::kFloat && AsNumber(option) == out.number);
        }
        if (!found) return Status::Invalid(field.slug, field.slug + " is not one of its options");
        break;
      }
      case CustomFieldRule::Kind::kEmail:
        if (!IsValidEmail(out.text)) {
          return Status::Invalid(field.slug, field.slug + " must be an email address");
        }
        break;
      case CustomFieldRule::Kind::kSlug:
        if (!IsCustomSlug(out.text)) {
          return Status::Invalid(field.slug,
                                 field.slug + " may hold only letters, digits, '-' and '_'");
        }
        break;
      case CustomFieldRule::Kind::kBetween:
        if (AsNumber(out) < rule.from || AsNumber(out) > rule.to) {
          return Status::Invalid(field.slug, field.slug + " must be between " + Number(rule.from) +
                                                 " and " + Number(rule.to));
        }
        break;
    }
  }
  return out;
}

Status CheckCustomFieldDefinition(const CustomField& field) {
  for (const CustomFieldRule& rule : field.rules) {
    if (!RuleFits(rule.kind, field.type)) {
      return Status::Invalid("validation_rules",
                             "a " + std::string(CustomFieldRuleName(rule.kind)) +
                                 " rule does not apply to a " +
                                 std::string(CustomFieldTypeName(field.type)) + " field");
    }
    if (rule.kind == CustomFieldRule::Kind::kBetween && rule.from > rule.to) {
      return Status::Invalid("validation_rules", "a between rule needs from <= to");
    }
    if (rule.kind == CustomFieldRule::Kind::kEnum) {
      CustomField bare = field;
      bare.rules.clear();
      for (const CustomValue& option : rule.options) {
        if (option.is_null() || !CheckCustomValue(bare, option).ok()) {
          return Status::Invalid(
              "validation_rules",
              "every enum option must be a " + std::string(CustomFieldTypeName(field.type)));
        }
      }
    }
  }
  if (Result<CustomValue> d = CheckCustomValue(field, field.default_value); !d.ok()) {
    return Status::Invalid("default",
                           "the default does not fit the field: " + d.status().message());
  }
  return Status::Ok();
}

Status ApplyCustomValues(const std::vector<CustomField>& fields, const CustomValues& given,
                         bool creating, CustomValues& stored) {
  CustomValues next = stored;
  for (const CustomField& field : fields) {
    if (!field.enabled) continue;
    auto it = given.find(field.slug);
    if (it != given.end()) {
      Result<CustomValue> value = CheckCustomValue(field, it->second);
      if (!value.ok()) return value.status();
      if (value->is_null() && field.required) {
        return Status::Invalid(field.slug, field.slug + " is required");
      }
      next[field.slug] = *value;
    } else if (creating && !field.default_value.is_null()) {
      Result<CustomValue> value = CheckCustomValue(field, field.default_value);
      if (value.ok()) next[field.slug] = *value;
    }
    if (creating && field.required) {
      auto now = next.find(field.slug);
      if (now == next.end() || now->second.is_null()) {
        return Status::Invalid(field.slug, field.slug + " is required");
      }
    }
  }
  stored = std::move(next);
  return Status::Ok();
}

}  // namespace gateway
