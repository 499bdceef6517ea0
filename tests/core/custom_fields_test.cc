// Custom field values against their definitions, and the JSON form the
// engines store them in.
#include "core/custom_fields.h"

#include <doctest/doctest.h>

namespace gateway {
namespace {

CustomField Field(std::string slug, CustomFieldType type) {
  CustomField f;
  f.slug = std::move(slug);
  f.type = type;
  return f;
}

TEST_CASE("a value must have its field's type; an integer given for a float becomes a float") {
  CHECK(CheckCustomValue(Field("n", CustomFieldType::kInteger), CustomValue::Integer(3)).ok());
  CHECK_FALSE(
      CheckCustomValue(Field("n", CustomFieldType::kInteger), CustomValue::Float(3.5)).ok());
  CHECK_FALSE(
      CheckCustomValue(Field("n", CustomFieldType::kInteger), CustomValue::String("3")).ok());
  Result<CustomValue> f =
      CheckCustomValue(Field("f", CustomFieldType::kFloat), CustomValue::Integer(2));
  REQUIRE(f.ok());
  CHECK(*f == CustomValue::Float(2.0));
  CHECK_FALSE(
      CheckCustomValue(Field("b", CustomFieldType::kBoolean), CustomValue::Integer(1)).ok());
  CHECK(CheckCustomValue(Field("b", CustomFieldType::kBoolean), CustomValue::Null()).ok());
  const CustomField date = Field("d", CustomFieldType::kDate);
  CHECK(CheckCustomValue(date, CustomValue::String("2024-02-29")).ok());
  CHECK(CheckCustomValue(date, CustomValue::String("2024-02-29 23:59:59")).ok());
  CHECK_FALSE(CheckCustomValue(date, CustomValue::String("2024-13-01")).ok());
  CHECK_FALSE(CheckCustomValue(date, CustomValue::String("29/02/2024")).ok());
  Status bad = CheckCustomValue(Field("age", CustomFieldType::kInteger), CustomValue::Boolean(true))
                   .status();
  CHECK(bad.field() == "age");
}

TEST_CASE("validation rules: enum, email, slug, between") {
  CustomField tier = Field("tier", CustomFieldType::kString);
  tier.rules.push_back(
      {CustomFieldRule::Kind::kEnum, {CustomValue::String("gold"), CustomValue::String("silver")}});
  CHECK(CheckCustomValue(tier, CustomValue::String("gold")).ok());
  CHECK_FALSE(CheckCustomValue(tier, CustomValue::String("bronze")).ok());

  CustomField mail = Field("m", CustomFieldType::kString);
  mail.rules.push_back({CustomFieldRule::Kind::kEmail, {}, 0, 0});
  CHECK(CheckCustomValue(mail, CustomValue::String("a@example.com")).ok());
  CHECK_FALSE(CheckCustomValue(mail, CustomValue::String("nope")).ok());

  CustomField slug = Field("s", CustomFieldType::kString);
  slug.rules.push_back({CustomFieldRule::Kind::kSlug, {}, 0, 0});
  CHECK(CheckCustomValue(slug, CustomValue::String("a-b_9")).ok());
  CHECK_FALSE(CheckCustomValue(slug, CustomValue::String("a b")).ok());

  CustomField rating = Field("r", CustomFieldType::kInteger);
  rating.rules.push_back({CustomFieldRule::Kind::kBetween, {}, 1, 5});
  CHECK(CheckCustomValue(rating, CustomValue::Integer(5)).ok());
  CHECK_FALSE(CheckCustomValue(rating, CustomValue::Integer(6)).ok());
}

TEST_CASE("definitions: a rule must fit the type, and the default must pass the rules") {
  CustomField f = Field("b", CustomFieldType::kBoolean);
  f.rules.push_back({CustomFieldRule::Kind::kBetween, {}, 0, 1});
  CHECK_FALSE(CheckCustomFieldDefinition(f).ok());
  CustomField r = Field("r", CustomFieldType::kInteger);
  r.rules.push_back({CustomFieldRule::Kind::kBetween, {}, 1, 5});
  r.default_value = CustomValue::Integer(9);
  CHECK_FALSE(CheckCustomFieldDefinition(r).ok());
  r.default_value = CustomValue::Integer(3);
  CHECK(CheckCustomFieldDefinition(r).ok());
  CustomField e = Field("e", CustomFieldType::kInteger);
  e.rules.push_back({CustomFieldRule::Kind::kEnum, {CustomValue::String("x")}});
  CHECK_FALSE(CheckCustomFieldDefinition(e).ok());
}

TEST_CASE("ApplyCustomValues: defaults and required on create, nothing changed on error") {
  CustomField age = Field("age", CustomFieldType::kInteger);
  age.required = true;
  CustomField tier = Field("tier", CustomFieldType::kString);
  tier.default_value = CustomValue::String("basic");
  CustomField off = Field("off", CustomFieldType::kString);
  off.enabled = false;
  const std::vector<CustomField> fields = {age, tier, off};

  CustomValues stored;
  CHECK(ApplyCustomValues(fields, {}, true, stored).field() == "age");
  CHECK(stored.empty());
  REQUIRE(ApplyCustomValues(fields,
                            {{"age", CustomValue::Integer(40)}, {"off", CustomValue::String("x")}},
                            true, stored)
              .ok());
  CHECK(stored ==
        CustomValues{{"age", CustomValue::Integer(40)}, {"tier", CustomValue::String("basic")}});
  CHECK_FALSE(ApplyCustomValues(fields, {{"age", CustomValue::Null()}}, false, stored).ok());
  CHECK_FALSE(ApplyCustomValues(fields, {{"tier", CustomValue::Integer(1)}}, false, stored).ok());
  CHECK(stored.at("tier") == CustomValue::String("basic"));
  REQUIRE(ApplyCustomValues(fields, {{"tier", CustomValue::Null()}}, false, stored).ok());
  CHECK(stored.at("tier").is_null());
}

TEST_CASE("a map of JSON scalars encodes canonically and decodes back exactly") {
  const CustomValues values = {{"z", CustomValue::Float(4.0)},
                               {"a", CustomValue::Integer(-7)},
                               {"s", CustomValue::String("\"é\"\n")},
                               {"t", CustomValue::Boolean(true)},
                               {"n", CustomValue::Null()},
                               {"x", CustomValue::Float(0.1)}};
  const std::string json = EncodeJsonScalarMap(values);
  CHECK(json == R"({"a":-7,"n":null,"s":"\"é\"\n","t":true,"x":0.1,"z":4.0})");
  CHECK(DecodeJsonScalarMap(json) == values);
  CHECK_FALSE(DecodeJsonScalarMap(R"({"a":[1]})").has_value());
  CHECK_FALSE(DecodeJsonScalarMap(R"({"a":1,"a":2})").has_value());
  CHECK_FALSE(DecodeJsonScalarMap("[]").has_value());
}

}  // namespace
}  // namespace gateway
