#include "adapters/microbase_v1/list_request.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace gateway::microbase {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The core's bound on one list, refused here in MicroBase's words.
constexpr size_t kMaxFilterValues = kMaxInValues;

struct Filter {
  std::string_view argument;
  QueryField field;
};
constexpr std::array<Filter, 4> kFilters = {{
    {"id", QueryField::kId},
    {"email", QueryField::kEmail},
    {"status", QueryField::kStatus},
    {"tags", QueryField::kTag},
}};

std::vector<std::string> SplitCommas(std::string_view s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t comma = s.find(',', pos);
    out.emplace_back(s.substr(pos, comma == std::string_view::npos ? s.npos : comma - pos));
    if (comma == std::string_view::npos) return out;
    pos = comma + 1;
  }
}

// A comma-separated string, or (a gateway extension; the reference fails
// with HTTP 500) an array of strings such as `tags[]=a&tags[]=b` gives.
std::optional<std::vector<std::string>> ReadList(simdjson::dom::element e) {
  std::string_view s;
  if (!e.get(s)) return SplitCommas(s);
  simdjson::dom::array arr;
  if (e.get(arr)) return std::nullopt;
  std::vector<std::string> out;
  for (simdjson::dom::element item : arr) {
    if (item.get(s)) return std::nullopt;
    out.emplace_back(s);
  }
  return out;
}

double ParseJsNumberText(std::string_view s) {
  const std::string_view space = " \t\n\v\f\r";
  size_t first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return 0;
  s = s.substr(first, s.find_last_not_of(space) - first + 1);
  if (s == "Infinity" || s == "+Infinity") return std::numeric_limits<double>::infinity();
  if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  if (s.size() > 2 && s[0] == '0' && (s[1] | 0x20) != 'e' && !(s[1] >= '0' && s[1] <= '9') &&
      s[1] != '.') {
    const int base = (s[1] | 0x20) == 'x'   ? 16
                     : (s[1] | 0x20) == 'o' ? 8
                     : (s[1] | 0x20) == 'b' ? 2
                                            : 0;
    if (base == 0) return kNaN;
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), v, base);
    if (ec != std::errc() || end != s.data() + s.size()) return kNaN;
    return static_cast<double>(v);
  }
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
    if (s.empty() || s[0] == '+' || s[0] == '-') return kNaN;
  }
  // from_chars would also take "inf" and "nan", which Number() does not.
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
      return kNaN;
    }
  }
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (end != s.data() + s.size() || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
    return kNaN;
  }
  if (ec == std::errc::result_out_of_range) v = std::numeric_limits<double>::infinity();
  return negative ? -v : v;
}

std::optional<std::string> ReadMembers(simdjson::dom::object args, MemberMask& mask) {
  simdjson::dom::element e;
  if (args["fields"].get(e)) return std::nullopt;
  // The reference only looks at a truthy `fields`.
  if (e.is_null() || (e.is_bool() && !e.get_bool().value_unsafe())) return std::nullopt;
  if (e.is_number() && JsNumber(e) == 0) return std::nullopt;
  std::optional<std::vector<std::string>> names = ReadList(e);
  if (!names) return "payload.fields: should be string";
  MemberMask include = 0;
  MemberMask exclude = 0;
  for (std::string_view name : *names) {
    if (!name.empty() && name[0] == '-') {
      exclude |= MemberBit(name.substr(1));
    } else {
      include |= MemberBit(name);
    }
  }
  if (include && exclude) {
    // MongoDB refuses such a projection (and the reference then never answers).
    return "payload.fields: cannot mix included and excluded fields";
  }
  // Unknown names are dropped; when nothing is left every member is returned.
  if (include) mask = include | kMemberId;
  if (exclude) mask = (kAllMembers & ~exclude) | kMemberId;
  return std::nullopt;
}

}  // namespace

double JsNumber(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::INT64:
      return static_cast<double>(value.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
      return static_cast<double>(value.get_uint64().value_unsafe());
    case simdjson::dom::element_type::DOUBLE:
      return value.get_double().value_unsafe();
    case simdjson::dom::element_type::STRING:
      return ParseJsNumberText(value.get_string().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return value.get_bool().value_unsafe() ? 1 : 0;
    case simdjson::dom::element_type::NULL_VALUE:
      return 0;
    case simdjson::dom::element_type::ARRAY:
    case simdjson::dom::element_type::OBJECT:
      break;
  }
  return kNaN;
}

std::optional<std::string> ReadListRequest(simdjson::dom::object args, ListRequest& out) {
  out = ListRequest{};
  for (const Filter& f : kFilters) {
    simdjson::dom::element e;
    if (args[f.argument].get(e)) continue;
    std::optional<std::vector<std::string>> values = ReadList(e);
    if (!values) return "payload." + std::string(f.argument) + ": should be string";
    if (values->size() > kMaxFilterValues) {
      return "payload." + std::string(f.argument) + ": should have at most " +
             std::to_string(kMaxFilterValues) + " values";
    }
    out.query.conditions.push_back(Condition{f.field, QueryOp::kIn, std::move(*values), 0});
  }

  // limit: `+limit || 10`, at most 100. MongoDB reads a negative limit as its
  // size; a fraction is cut to an integer, and one that cuts to 0 gives 10.
  simdjson::dom::element e;
  double limit = args["limit"].get(e) ? kNaN : JsNumber(e);
  if (std::isnan(limit)) limit = 0;
  limit = std::min(std::trunc(std::fabs(limit)), static_cast<double>(kMaxListLimit));
  out.query.limit = limit == 0 ? kDefaultListLimit : static_cast<int64_t>(limit);

  double skip = args["skip"].get(e) ? kNaN : JsNumber(e);
  if (std::isnan(skip)) skip = 0;
  if (skip < 0) return "payload.skip: should be >= 0";
  // Far past any real table; keeps the conversion defined.
  out.query.offset = static_cast<int64_t>(std::min(std::trunc(skip), 1e15));

  out.query.sort = SortOrder{QueryField::kCreatedAt, false};
  return ReadMembers(args, out.members);
}

}  // namespace gateway::microbase
