// Whitespace in ASCII text. Stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace gateway {

// Space, tab, line feed, carriage return, form feed, vertical tab: C's
// isspace in the "C" locale, without depending on the locale.
bool IsAsciiSpace(char c);

// `s` without leading and trailing ASCII space.
std::string_view TrimAsciiSpace(std::string_view s);

// True when `s` holds nothing but JSON's insignificant whitespace (space,
// tab, line feed, carriage return), or nothing at all.
bool IsBlank(std::string_view s);

// True when `s` has 1 to `max_size` characters, each an ASCII letter, digit
// or one of `punctuation`: the shape of client-chosen tokens (request ids,
// header lists, origins) that are safe to echo in headers, JSON and logs.
bool IsAsciiToken(std::string_view s, size_t max_size, std::string_view punctuation);

}  // namespace gateway
