#include "adapters/migration/record_json.h"

#include <array>
#include <charconv>

#include "adapters/http/json_body.h"
#include "common/iso_time.h"
#include "common/text.h"
#include "common/uuid.h"

namespace gateway::migration {
namespace {

// The RFC 4122 namespace of derived address ids; fixed forever, since
// changing it would re-key every address imported without an id.
constexpr std::array<unsigned char, 16> kAddressIdNamespace = {
    0x5f, 0x5b, 0x0f, 0x44, 0x5c, 0xb0, 0x45, 0x1c, 0xa6, 0x81, 0x9f, 0x83, 0x7d, 0x75, 0x03, 0xd3};

std::optional<int64_t> ParseMillisText(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

Status RecordError(std::string_view path, std::string_view detail) {
  return Status::Invalid(std::string(path), std::string(path) + " " + std::string(detail));
}

Status TypeError(std::string_view path, std::string_view expected, simdjson::dom::element got) {
  return RecordError(
      path, "must be " + std::string(expected) + ", got " + std::string(http::JsonTypeName(got)));
}

Result<std::optional<std::string>> ReadOptionalString(simdjson::dom::object o, std::string_view key,
                                                      std::string_view path, bool* present) {
  simdjson::dom::element e;
  const bool found = !o[key].get(e);
  if (present != nullptr) *present = found;
  if (!found || e.is_null()) return std::optional<std::string>();
  std::string_view s;
  if (e.get(s)) return TypeError(path, "a string", e);
  return std::optional<std::string>(std::string(s));
}

Result<std::string> ReadRequiredString(simdjson::dom::object o, std::string_view key,
                                       std::string_view path, bool allow_empty) {
  simdjson::dom::element e;
  if (o[key].get(e) || e.is_null()) return RecordError(path, "is required");
  std::string_view s;
  if (e.get(s)) return TypeError(path, "a string", e);
  if (!allow_empty && IsBlank(s)) return RecordError(path, "must not be empty");
  return std::string(s);
}

Result<int64_t> ReadTime(simdjson::dom::element e, std::string_view path) {
  simdjson::dom::object wrapper;
  if (!e.get(wrapper)) {
    simdjson::dom::element inner;
    if (wrapper["$date"].get(inner)) {
      return RecordError(path, "must be a date: {\"$date\": ...}, ISO 8601 text or epoch ms");
    }
    e = inner;
    simdjson::dom::object long_wrapper;
    std::string_view digits;
    if (!e.get(long_wrapper)) {
      if (!long_wrapper["$numberLong"].get(digits)) {
        if (auto v = ParseMillisText(digits)) return *v;
      }
      return RecordError(path, "has a malformed {\"$numberLong\": ...} date");
    }
  }
  int64_t millis = 0;
  if (!e.get(millis)) return millis;
  double fractional = 0;
  if (!e.get(fractional)) return static_cast<int64_t>(fractional);
  std::string_view text;
  if (!e.get(text)) {
    if (auto v = ParseTimeToMillis(text)) return *v;
    return RecordError(path, "is not an ISO 8601 time: " + std::string(text));
  }
  return TypeError(path, "a date", e);
}

std::string DerivedAddressId(std::string_view customer_id, size_t index) {
  const std::string_view ns(reinterpret_cast<const char*>(kAddressIdNamespace.data()),
                            kAddressIdNamespace.size());
  return UuidV5(ns, std::string(customer_id) + "/addresses/" + std::to_string(index));
}

}  // namespace gateway::migration
