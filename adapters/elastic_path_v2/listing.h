// The customer listing of Elastic Path v2 (`GET /v2/customers`): reading its
// query string (pagination, sort, filter) into a CustomerQuery, and writing
// the page with `meta.page`, `meta.results` and absolute `links`.
//
// The query is read from the raw request target and decoded here, because
// the official SDK sends `page[limit]` and filters unencoded: '+' is a space
// (send %2B for a plus), `%XX` must be a valid escape, and the decoded text
// must be UTF-8. Elastic Path's 8 KB bound on filtered requests needs no
// check here: the HTTP host refuses any request line over 8 KB with 414.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/elastic_path_v2/mapping.h"
#include "common/json_writer.h"
#include "core/customer_query.h"
#include "core/status.h"

namespace gateway::elastic_path {

inline constexpr int64_t kDefaultPageLimit = 25;
inline constexpr int64_t kMaxPageLimit = 100;
inline constexpr int64_t kMaxPageOffset = 10000;

struct ListingRequest {
  CustomerQuery query;
  // The decoded `sort` and `filter` values as given ("" when absent), carried
  // into the pagination links.
  std::string sort;
  std::string filter;
};

// Percent-decodes one query component with '+' as a space. nullopt for a
// broken escape or for text that is not UTF-8.
std::optional<std::string> DecodeQueryComponent(std::string_view raw);

// Reads `page[limit]`, `page[offset]`, `sort` and `filter` (also with
// percent-encoded brackets) from a raw query string; other parameters are
// ignored. A failure is Status::Invalid(<parameter name>, detail); for
// "filter" the detail is the parser's reason. Without page[limit] (or with
// 0) the page holds `default_limit` customers: the project's page_length.
Result<ListingRequest> ParseListingQuery(std::string_view raw_query,
                                         int64_t default_limit = kDefaultPageLimit);

// Writes `{"data":[...],"meta":{...},"links":{...}}` for one page.
// `base_url` is "scheme://host" for the absolute links.
void WriteListing(JsonWriter& w, const CustomerPage& page, const ListingRequest& request,
                  const CustomMembers& custom, std::string_view base_url);

}  // namespace gateway::elastic_path
