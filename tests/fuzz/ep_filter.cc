// Elastic Path listing queries: the whole query string (percent-decoding,
// page, sort, filter) and the filter grammar alone.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/elastic_path_v2/filter_parser.h"
#include "adapters/elastic_path_v2/listing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)gateway::elastic_path::ParseCustomerFilter(text);
  (void)gateway::elastic_path::ParseListingQuery(text);
  return 0;
}
