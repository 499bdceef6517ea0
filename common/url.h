// Percent-coding (RFC 3986) and splitting of query strings and form bodies.
//
// One decoding policy for the whole gateway: text decodes only if every '%'
// is followed by two hex digits and the decoded bytes are valid UTF-8;
// anything else is not decodable and PercentDecode says so (nullopt). What a
// caller does then is its own wire rule: Elastic Path answers 400, the
// MicroBase qs reader keeps the text as it came (as qs does).
//
// Stateless; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gateway {

// Whether '+' means a space (application/x-www-form-urlencoded and query
// strings) or itself (paths).
enum class PlusIs { kSpace, kPlus };

std::optional<std::string> PercentDecode(std::string_view text, PlusIs plus);

// Keeps RFC 3986 unreserved characters and those in `also_keep`; every other
// byte becomes %XX with upper-case hex.
std::string PercentEncode(std::string_view text, std::string_view also_keep = {});

// One `key=value` part of a query string, still encoded. A part without '='
// has an empty value.
struct RawParameter {
  std::string_view key;
  std::string_view value;
};

// Splits `a=1&b=2` at '&', and each part at its first '='. Empty parts
// (`a=1&&b=2`) are skipped. The views point into `query`.
std::vector<RawParameter> SplitQuery(std::string_view query);

}  // namespace gateway
