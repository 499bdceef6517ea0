// JSON request bodies, parsed with simdjson's DOM API.
//
// Each worker thread reuses one parser; the returned elements stay valid
// until that thread parses the next body, i.e. for the rest of the request.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

namespace gateway::http {

// Parses `body`; nullopt (with `error` set) when it is not valid JSON.
std::optional<simdjson::dom::element> ParseJson(std::string_view body, std::string& error);

// Frees this thread's parser if a large body grew it, so per-thread memory
// returns to its normal size; called by the host after each request, when no
// element of the last parse is in use any more.
void ReleaseLargeJsonBuffers();

// The JSON type name of an element as a validator would say it ("string", "number").
std::string_view JsonTypeName(simdjson::dom::element e);

}  // namespace gateway::http
