#include "adapters/elastic_path_v2/settings.h"

#include <array>
#include <string>
#include <string_view>

#include "adapters/elastic_path_v2/listing.h"

namespace gateway::elastic_path {
namespace {

// The most filter operators one listing may join (listing.cc's filter parser).
constexpr int64_t kFilterLimit = 10;

// Read-only in the settings reference: "attempts to update them fail
// silently".
constexpr std::array<std::string_view, 9> kReadOnly = {
    "currency_limit",   "field_limit",           "integration_limit",
    "event_limit",      "filter_limit",          "tax_item_limit",
    "promotions_limit", "promotion_codes_limit", "page_offset_limit"};

// Settings of other Elastic Path services (catalog, carts, languages, the
// Commerce Manager's address form): refused rather than stored and ignored.
constexpr std::array<std::string_view, 4> kOtherServices = {
    "list_child_products", "additional_languages", "calculation_method",
    "address_mandatory_fields"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view key) {
  for (std::string_view n : names) {
    if (n == key) return true;
  }
  return false;
}

}  // namespace

void WriteSettings(JsonWriter& w, int64_t page_length) {
  w.BeginObject().Key("data").BeginObject();
  w.Field("type", "settings").Field("page_length", page_length);
  w.Field("filter_limit", kFilterLimit).Field("page_offset_limit", kMaxPageOffset);
  w.EndObject();
  w.Key("meta").BeginObject().Field("owner", "store").EndObject();
  w.EndObject();
}

Result<std::optional<int64_t>> ReadSettingsUpdate(simdjson::dom::object data) {
  std::optional<int64_t> page_length;
  for (auto [key, value] : data) {
    if (key == "type" || Contains(kReadOnly, key)) continue;
    if (key == "page_length") {
      int64_t n = 0;
      if (value.get(n) || n < 1 || n > kMaxPageLimit) {
        return Status::Invalid("page_length", "page_length must be an integer from 1 to 100");
      }
      page_length = n;
      continue;
    }
    const std::string name(key);
    if (Contains(kOtherServices, key)) {
      return Status::Invalid(name, name +
                                       " belongs to another Elastic Path service; this customer "
                                       "gateway does not store it");
    }
    return Status::Invalid(name, name + " is not a setting");
  }
  return page_length;
}

}  // namespace gateway::elastic_path
