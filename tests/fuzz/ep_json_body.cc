// Elastic Path request bodies: JSON parsing, the `data` envelope, and the
// customer and address readers for create and update.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/elastic_path_v2/mapping.h"
#include "adapters/http/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gateway;
  std::string error;
  std::optional<simdjson::dom::element> root =
      http::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size), error);
  if (!root) return 0;
  simdjson::dom::object body;
  if ((*root)["data"].get(body)) return 0;
  (void)elastic_path::ReadNewCustomer(body);
  (void)elastic_path::ReadCustomerPatch(body);
  (void)elastic_path::ReadAddress(body, false);
  (void)elastic_path::ReadAddress(body, true);
  return 0;
}
