#include "adapters/http/json_body.h"

namespace gateway::http {
namespace {

// A parser keeps the capacity of the largest document it has seen; above this
// it is given back once the request is answered.
constexpr size_t kKeepCapacity = 64 * 1024;

thread_local simdjson::dom::parser parser;

}  // namespace

void ReleaseLargeJsonBuffers() {
  if (parser.capacity() > kKeepCapacity) parser = simdjson::dom::parser();
}

std::optional<simdjson::dom::element> ParseJson(std::string_view body, std::string& error) {
  simdjson::dom::element root;
  auto err = parser.parse(body.data(), body.size(), true).get(root);
  if (err) {
    error = simdjson::error_message(err);
    return std::nullopt;
  }
  return root;
}

std::string_view JsonTypeName(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "array";
    case simdjson::dom::element_type::OBJECT:
      return "object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
      return "integer";
    case simdjson::dom::element_type::DOUBLE:
      return "number";
    case simdjson::dom::element_type::STRING:
      return "string";
    case simdjson::dom::element_type::BOOL:
      return "boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      break;
  }
  return "null";
}

}  // namespace gateway::http
