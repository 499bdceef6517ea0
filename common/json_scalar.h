// JsonScalar: one JSON value that is not an array or object (null, string,
// integer, float or boolean), and a map of them from member name to value
// with its canonical text form. Generic: the core keeps custom field values
// as these, the engines store a map as one text column, the dialects read
// and write them from their bodies.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gateway {

class JsonWriter;

struct JsonScalar {
  enum class Kind { kNull, kString, kInteger, kFloat, kBoolean };
  Kind kind = Kind::kNull;
  std::string text;  // kString
  int64_t integer = 0;
  double number = 0;
  bool boolean = false;

  static JsonScalar Null() { return {}; }
  static JsonScalar String(std::string s) { return {Kind::kString, std::move(s)}; }
  static JsonScalar Integer(int64_t v) { return {Kind::kInteger, {}, v}; }
  static JsonScalar Float(double v) { return {Kind::kFloat, {}, 0, v}; }
  static JsonScalar Boolean(bool v) { return {Kind::kBoolean, {}, 0, 0, v}; }

  bool is_null() const { return kind == Kind::kNull; }
  bool operator==(const JsonScalar&) const = default;
};

using JsonScalarMap = std::map<std::string, JsonScalar, std::less<>>;

void WriteJsonScalar(JsonWriter& w, const JsonScalar& value);

// `{"a":1,"b":"x"}`, members in name order, so equal maps encode equal.
std::string EncodeJsonScalarMap(const JsonScalarMap& values);

// The map a JSON object of scalars encodes; nullopt for anything else (not
// JSON, not an object, a member that is an array or object, a repeated name).
// Integers that fit int64 stay integers; other numbers are floats.
std::optional<JsonScalarMap> DecodeJsonScalarMap(std::string_view json);

}  // namespace gateway
