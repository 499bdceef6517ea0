#include "common/url.h"

#include <simdjson.h>

#include "common/hex.h"

namespace gateway {

std::optional<std::string> PercentDecode(std::string_view text, PlusIs plus) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus == PlusIs::kSpace) {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = HexDigitValue(text[i + 1]);
      const int lo = HexDigitValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  if (!simdjson::validate_utf8(out.data(), out.size())) return std::nullopt;
  return out;
}

std::string PercentEncode(std::string_view text, std::string_view also_keep) {
  static constexpr std::string_view kUnreserved = "-._~";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || kUnreserved.find(ch) != std::string_view::npos ||
        also_keep.find(ch) != std::string_view::npos) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      AppendHex(out, std::string_view(&ch, 1), HexCase::kUpper);
    }
  }
  return out;
}

std::vector<RawParameter> SplitQuery(std::string_view query) {
  std::vector<RawParameter> out;
  size_t pos = 0;
  while (pos < query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view part = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      out.push_back({part, {}});
    } else {
      out.push_back({part.substr(0, eq), part.substr(eq + 1)});
    }
  }
  return out;
}

}  // namespace gateway
