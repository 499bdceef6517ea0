// Hexadecimal digits: reading one, writing bytes as two digits each.
// Stateless; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace gateway {

// The value of one hex digit (either case), or -1.
int HexDigitValue(char c);

enum class HexCase { kLower, kUpper };

// Appends each byte of `bytes` as two hex digits.
void AppendHex(std::string& out, std::string_view bytes, HexCase letter_case = HexCase::kLower);

}  // namespace gateway
