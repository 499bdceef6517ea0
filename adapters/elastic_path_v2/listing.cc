#include "adapters/elastic_path_v2/listing.h"

#include <simdjson.h>

#include <array>

#include "adapters/elastic_path_v2/filter_parser.h"
#include "adapters/elastic_path_v2/mapping.h"
#include "common/url.h"

namespace gateway::elastic_path {
namespace {

// Left as they are in the links we write, beside RFC 3986's unreserved
// characters: the filter grammar's own punctuation, which the SDK sends raw too.
constexpr std::string_view kLinkSafe = "()*,:@!$'";

// A non-negative decimal integer of at most 9 digits.
std::optional<int64_t> ParseCount(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

struct SortKey {
  std::string_view wire;
  QueryField field;
};

constexpr std::array<SortKey, 5> kSortKeys = {{
    {"created_at", QueryField::kCreatedAt},
    {"email", QueryField::kEmail},
    {"id", QueryField::kId},
    {"name", QueryField::kName},
    {"updated_at", QueryField::kUpdatedAt},
}};

// `key` sorts ascending, `-key` descending (Elastic Path's pagination guide
// pages forward with `sort=created_at`); only the default, when no sort is
// given, is created_at descending.
Result<SortOrder> ParseSort(std::string_view text) {
  SortOrder order;
  order.descending = !text.empty() && text.front() == '-';
  if (order.descending) text.remove_prefix(1);
  for (const SortKey& key : kSortKeys) {
    if (key.wire == text) {
      order.field = key.field;
      return order;
    }
  }
  return Status::Invalid("sort",
                         "sort must be one of created_at, email, id, name, updated_at, "
                         "optionally prefixed with '-' for descending order");
}

std::string PageLink(std::string_view base_url, const ListingRequest& request, int64_t offset) {
  std::string url(base_url);
  url += "/v2/customers?page[limit]=" + std::to_string(request.query.limit) +
         "&page[offset]=" + std::to_string(offset);
  if (!request.sort.empty()) url += "&sort=" + PercentEncode(request.sort, kLinkSafe);
  if (!request.filter.empty()) url += "&filter=" + PercentEncode(request.filter, kLinkSafe);
  return url;
}

}  // namespace

std::optional<std::string> DecodeQueryComponent(std::string_view raw) {
  return PercentDecode(raw, PlusIs::kSpace);
}

Result<ListingRequest> ParseListingQuery(std::string_view raw_query, int64_t default_limit) {
  ListingRequest request;
  request.query.limit = default_limit;
  std::array<bool, 4> seen{};
  static constexpr std::array<std::string_view, 4> kKnown = {"page[limit]", "page[offset]", "sort",
                                                             "filter"};
  std::optional<std::string> filter;
  for (const RawParameter& parameter : SplitQuery(raw_query)) {
    std::optional<std::string> key = DecodeQueryComponent(parameter.key);
    if (!key) continue;  // not a parameter we read; ignored like any other
    size_t index = 0;
    while (index < kKnown.size() && kKnown[index] != *key) ++index;
    if (index == kKnown.size()) continue;
    if (seen[index]) {
      return Status::Invalid(*key, *key + " may be given only once");
    }
    seen[index] = true;
    std::optional<std::string> value = DecodeQueryComponent(parameter.value);
    if (!value) {
      return Status::Invalid(*key, *key + " is not validly URL-encoded UTF-8");
    }
    if (*key == "page[limit]") {
      std::optional<int64_t> limit = ParseCount(*value);
      if (!limit || *limit > kMaxPageLimit) {
        return Status::Invalid(*key, "page[limit] must be an integer from 0 to 100");
      }
      // 0 means the default: @elasticpath/js-sdk sends Limit(0) as
      // page[limit]=0 where @moltin/sdk leaves it out.
      request.query.limit = *limit == 0 ? default_limit : *limit;
    } else if (*key == "page[offset]") {
      std::optional<int64_t> offset = ParseCount(*value);
      if (!offset || *offset > kMaxPageOffset) {
        return Status::Invalid(*key, "page[offset] must be an integer from 0 to 10000");
      }
      request.query.offset = *offset;
    } else if (*key == "sort") {
      Result<SortOrder> sort = ParseSort(*value);
      if (!sort.ok()) return sort.status();
      request.query.sort = *sort;
      request.sort = std::move(*value);
    } else {
      filter = std::move(*value);
    }
  }
  // The SDK's Filter({}) sends an empty `filter=`: no conditions.
  if (filter && !filter->empty()) {
    Result<std::vector<Condition>> conditions = ParseCustomerFilter(*filter);
    if (!conditions.ok()) return conditions.status();
    request.query.conditions = std::move(*conditions);
    request.filter = std::move(*filter);
  }
  return request;
}

void WriteListing(JsonWriter& w, const CustomerPage& page, const ListingRequest& request,
                  const CustomMembers& custom, std::string_view base_url) {
  const int64_t limit = request.query.limit;
  const int64_t offset = request.query.offset;
  const int64_t pages = (page.total + limit - 1) / limit;
  w.BeginObject();
  w.Key("data").BeginArray();
  for (const Customer& c : page.customers) WriteCustomer(w, c, custom);
  w.EndArray();
  w.Key("meta").BeginObject();
  w.Key("page").BeginObject();
  w.Field("limit", limit).Field("offset", offset);
  w.Field("current", offset / limit + 1).Field("total", pages);
  w.EndObject();
  w.Key("results").BeginObject().Field("total", page.total).EndObject();
  w.EndObject();
  w.Key("links").BeginObject();
  w.Field("current", PageLink(base_url, request, offset));
  w.Field("first", PageLink(base_url, request, 0));
  // The links guide: `last` is null when there is only one page (or none).
  w.Key("last");
  if (pages > 1) {
    w.String(PageLink(base_url, request, (pages - 1) * limit));
  } else {
    w.Null();
  }
  w.Key("next");
  if (offset + limit < page.total) {
    w.String(PageLink(base_url, request, offset + limit));
  } else {
    w.Null();
  }
  w.Key("prev");
  if (offset > 0) {
    w.String(PageLink(base_url, request, offset > limit ? offset - limit : 0));
  } else {
    w.Null();
  }
  w.EndObject();
  w.EndObject();
}

}  // namespace gateway::elastic_path
