#include "common/json_scalar.h"

#include <simdjson.h>

#include "common/json_writer.h"

namespace gateway {

void WriteJsonScalar(JsonWriter& w, const JsonScalar& value) {
  switch (value.kind) {
    case JsonScalar::Kind::kNull:
      w.Null();
      break;
    case JsonScalar::Kind::kString:
      w.String(value.text);
      break;
    case JsonScalar::Kind::kInteger:
      w.Int(value.integer);
      break;
    case JsonScalar::Kind::kFloat:
      w.Double(value.number);
      break;
    case JsonScalar::Kind::kBoolean:
      w.Bool(value.boolean);
      break;
  }
}

std::string EncodeJsonScalarMap(const JsonScalarMap& values) {
  JsonWriter w;
  w.BeginObject();
  for (const auto& [name, value] : values) {
    w.Key(name);
    WriteJsonScalar(w, value);
  }
  w.EndObject();
  return w.Take();
}

std::optional<JsonScalarMap> DecodeJsonScalarMap(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root)) return std::nullopt;
  simdjson::dom::object object;
  if (root.get_object().get(object)) return std::nullopt;
  JsonScalarMap out;
  for (auto [key, value] : object) {
    JsonScalar scalar;
    switch (value.type()) {
      case simdjson::dom::element_type::NULL_VALUE:
        break;
      case simdjson::dom::element_type::STRING:
        scalar = JsonScalar::String(std::string(value.get_string().value_unsafe()));
        break;
      case simdjson::dom::element_type::INT64:
        scalar = JsonScalar::Integer(value.get_int64().value_unsafe());
        break;
      case simdjson::dom::element_type::UINT64:
      case simdjson::dom::element_type::DOUBLE:
        scalar = JsonScalar::Float(value.get_double().value_unsafe());
        break;
      case simdjson::dom::element_type::BOOL:
        scalar = JsonScalar::Boolean(value.get_bool().value_unsafe());
        break;
      default:
        return std::nullopt;
    }
    if (!out.emplace(std::string(key), std::move(scalar)).second) return std::nullopt;
  }
  return out;
}

}  // namespace gateway
