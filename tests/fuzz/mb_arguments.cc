// MicroBase arguments: the first byte picks the Content-Type, the text up to
// the first newline is the query string and the rest the body. Merged
// arguments must always be a JSON object or array the dialect can parse; then
// every method's schema and the list reader run over them.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "adapters/http/json_body.h"
#include "adapters/microbase_v1/arguments.h"
#include "adapters/microbase_v1/list_request.h"
#include "adapters/microbase_v1/mapping.h"
#include "adapters/microbase_v1/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gateway;
  using namespace gateway::microbase;
  if (size == 0) return 0;
  static constexpr std::string_view kTypes[] = {"application/json",
                                                "application/x-www-form-urlencoded", "",
                                                "text/plain", "application/json; charset=utf-8"};
  const std::string_view type = kTypes[data[0] % std::size(kTypes)];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t newline = rest.find('\n');
  const std::string_view query = rest.substr(0, newline);
  const std::string_view body =
      newline == rest.npos ? std::string_view() : rest.substr(newline + 1);

  ArgumentsError bad;
  std::optional<std::string> merged = MergeArguments({body, type, query}, bad);
  if (!merged) return 0;
  std::string error;
  std::optional<simdjson::dom::element> args = http::ParseJson(*merged, error);
  if (!args) std::abort();  // merged arguments that the dialect itself cannot read
  simdjson::dom::object obj;
  if (args->get(obj)) return 0;
  for (const Schema* s :
       {&schemas::kCreate, &schemas::kInfo, &schemas::kUpdate, &schemas::kCheckCredentials,
        &schemas::kAddressCreate, &schemas::kAddressInfo, &schemas::kAddressUpdate}) {
    (void)Validate(obj, *s);
  }
  ListRequest list;
  (void)ReadListRequest(obj, list);
  simdjson::dom::array addresses;
  if (!obj["addresses"].get(addresses)) {
    for (simdjson::dom::element a : addresses) {
      simdjson::dom::object o;
      if (!a.get(o)) {
        (void)ReadAddress(o);
        (void)ReadAddressReplacement(o);
      }
    }
  }
  return 0;
}
