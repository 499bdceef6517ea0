// Small HTTP helpers shared by the dialects: query and form decoding, bearer
// tokens, JSON responses. Stateless; safe from any thread.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gateway::http {

using Params = std::vector<std::pair<std::string, std::string>>;

// Decodes `a=1&b=x%20y` (with '+' as a space) in order, keeping duplicates.
Params ParseUrlEncoded(std::string_view text);
// The raw query string of a request target ("" when there is none).
std::string_view RawQuery(const httplib::Request& req);
// First value of `key` in `params`.
std::optional<std::string> Find(const Params& params, std::string_view key);

// The token of an `Authorization: Bearer <token>` header, if any.
std::optional<std::string> BearerToken(const httplib::Request& req);
// user and password of an `Authorization: Basic` header, if any.
std::optional<std::pair<std::string, std::string>> BasicCredentials(const httplib::Request& req);

bool IsFormBody(const httplib::Request& req);

void SetJson(httplib::Response& res, int status, std::string body);

// The standard reason phrase for an HTTP status ("Not Found").
const char* StatusTitle(int status);

}  // namespace gateway::http
