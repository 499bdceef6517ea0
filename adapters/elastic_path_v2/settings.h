// Elastic Path's project settings resource (`GET`/`PUT /v2/settings`), as far
// as a customer API honours it: page_length, and the read-only limits the
// gateway enforces on customer listings. Sources and departures are in
// docs/elastic-path-v2.md, "Settings".
//
// Thread-safety: pure functions.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>

#include "common/json_writer.h"
#include "core/status.h"

namespace gateway::elastic_path {

// Writes `{"data":{"type":"settings",...},"meta":{"owner":"store"}}`.
void WriteSettings(JsonWriter& w, int64_t page_length);

// Reads the `data` object of a PUT: the page_length to store, or nullopt when
// the body does not change it. Read-only members are ignored, as Elastic
// Path does; settings this gateway does not implement are an Invalid error
// naming the member.
Result<std::optional<int64_t>> ReadSettingsUpdate(simdjson::dom::object data);

}  // namespace gateway::elastic_path
