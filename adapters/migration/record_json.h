// Typed member reads for import records, with errors in the record's own
// terms ("addresses.0.city must be a string, got number"), plus the two facts
// both record formats share: MongoDB Extended JSON dates and the ids given to
// addresses that arrive without one.
//
// Thread-safety: pure functions.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gateway::migration {

// A record problem: `path` is the wire path of the member at fault.
Status RecordError(std::string_view path, std::string_view detail);
Status TypeError(std::string_view path, std::string_view expected, simdjson::dom::element got);

// Member `key` as a string: absent or JSON null → nullopt (`present` says
// which); any other non-string type is an error.
Result<std::optional<std::string>> ReadOptionalString(simdjson::dom::object o, std::string_view key,
                                                      std::string_view path,
                                                      bool* present = nullptr);
// Member `key` as a string that must be there; `allow_empty` false also
// rejects "" and whitespace-only text.
Result<std::string> ReadRequiredString(simdjson::dom::object o, std::string_view key,
                                       std::string_view path, bool allow_empty);

// A point in time as exports write it: {"$date": ISO text | epoch ms |
// {"$numberLong": "ms"}}, or plain ISO text / epoch ms. Returns UTC millis.
Result<int64_t> ReadTime(simdjson::dom::element e, std::string_view path);

// A stable id for the address at `index` of customer `customer_id` that
// arrived without one (MicroBase's customer.address.create stores addresses
// without ids). Re-importing the same record yields the same id, so imports
// stay idempotent: a name-based UUID (RFC 4122 version 5).
std::string DerivedAddressId(std::string_view customer_id, size_t index);

}  // namespace gateway::migration
