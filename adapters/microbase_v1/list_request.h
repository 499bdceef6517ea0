// customer.list's arguments, read the way MicroBase's reference reads them:
// `id`, `email`, `status`, `tags` as comma-separated lists matched with IN and
// combined with AND; `limit` = `+limit || 10` capped at 100; `skip` =
// `+skip || 0`; `fields` a comma list of members to return (`-name` to leave
// one out). Results come in creation order, as MongoDB's natural order does.
//
// Where the reference crashes or hangs (a non-string filter, a negative skip,
// inclusion mixed with exclusion) this answers a validation message instead;
// docs/microbase-v1.md lists each case.
//
// Pure functions; safe from any thread.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>

#include "adapters/microbase_v1/mapping.h"
#include "core/customer_query.h"

namespace gateway::microbase {

inline constexpr int64_t kDefaultListLimit = 10;
inline constexpr int64_t kMaxListLimit = 100;

struct ListRequest {
  CustomerQuery query;  // conditions, creation order, limit, offset
  MemberMask members = kAllMembers;
};

// Fills `out`; on failure returns the validation message
// ("payload.skip: should be >= 0") and `out` is not to be used.
std::optional<std::string> ReadListRequest(simdjson::dom::object args, ListRequest& out);

// JavaScript's unary plus applied to a JSON value: numbers as they are,
// strings parsed as Number() does ("" is 0, " 12 " is 12, "0x10" is 16),
// true/false/null as 1/0/0, anything else NaN.
double JsNumber(simdjson::dom::element value);

}  // namespace gateway::microbase
