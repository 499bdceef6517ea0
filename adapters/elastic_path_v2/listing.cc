#include "adapters/elastic_path_v2/listing.h"

#include <simdjson.h>

#include <array>

#include "adapters/elastic_path_v2/filter_parser.h"
#include "adapters/elastic_path_v2/mapping.h"

namespace gateway::elastic_path {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Characters left as they are in the links we write: RFC 3986 unreserved
// plus the filter grammar's own punctuation, which the SDK sends raw too.
bool IsLinkSafe(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  static constexpr std::string_view kSafe = "-._~()*,:@!$'";
  return kSafe.find(static_cast<char>(c)) != std::string_view::npos;
}

std::string EncodeLinkComponent(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (IsLinkSafe(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

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
  if (!request.sort.empty()) url += "&sort=" + EncodeLinkComponent(request.sort);
  if (!request.filter.empty()) url += "&filter=" + EncodeLinkComponent(request.filter);
  return url;
}

}  // namespace

std::optional<std::string> DecodeQueryComponent(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= raw.size()) return std::nullopt;
      int hi = HexValue(raw[i + 1]);
      int lo = HexValue(raw[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  if (!simdjson::validate_utf8(out.data(), out.size())) return std::nullopt;
  return out;
}

Result<ListingRequest> ParseListingQuery(std::string_view raw_query) {
  ListingRequest request;
  request.query.limit = kDefaultPageLimit;
  std::array<bool, 4> seen{};
  static constexpr std::array<std::string_view, 4> kKnown = {"page[limit]", "page[offset]", "sort",
                                                             "filter"};
  std::optional<std::string> filter;
  size_t pos = 0;
  while (pos < raw_query.size()) {
    size_t amp = raw_query.find('&', pos);
    if (amp == std::string_view::npos) amp = raw_query.size();
    std::string_view pair = raw_query.substr(pos, amp - pos);
    pos = amp + 1;
    size_t eq = pair.find('=');
    std::optional<std::string> key = DecodeQueryComponent(pair.substr(0, eq));
    if (!key) continue;  // not a parameter we read; ignored like any other
    size_t index = 0;
    while (index < kKnown.size() && kKnown[index] != *key) ++index;
    if (index == kKnown.size()) continue;
    if (seen[index]) {
      return Status::Invalid(*key, *key + " may be given only once");
    }
    seen[index] = true;
    std::string_view raw_value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    std::optional<std::string> value = DecodeQueryComponent(raw_value);
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
      request.query.limit = *limit == 0 ? kDefaultPageLimit : *limit;
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
                  std::string_view base_url) {
  const int64_t limit = request.query.limit;
  const int64_t offset = request.query.offset;
  const int64_t pages = (page.total + limit - 1) / limit;
  w.BeginObject();
  w.Key("data").BeginArray();
  for (const Customer& c : page.customers) WriteCustomer(w, c);
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
  w.Field("last", PageLink(base_url, request, pages > 0 ? (pages - 1) * limit : 0));
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
