// Byte encodings: base64 (standard, padded) and base64url (unpadded, for
// JWTs). Decoders return nullopt on any invalid input, including a
// non-canonical final character (unused low bits set).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gateway {

std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace gateway
