#include "core/validation.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <string>

namespace gateway {
namespace {

// ISO 3166-1 alpha-2, officially assigned codes, sorted for binary search.
// clang-format off
constexpr std::array<std::string_view, 249> kCountries = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW",
    "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN",
    "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG",
    "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ",
    "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI",
    "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL",
    "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR",
    "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA",
    "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME",
    "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU",
    "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP",
    "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR",
    "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD",
    "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
    "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
    "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};
// clang-format on

bool IsLocalChar(unsigned char c) {
  if (c >= 0x80) return true;  // internationalised mailboxes (RFC 6531)
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~.").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

bool IsValidDomain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.find('.') == std::string_view::npos) return false;
  size_t start = 0;
  while (start <= d.size()) {
    size_t dot = d.find('.', start);
    std::string_view label = d.substr(start, dot == std::string_view::npos ? d.npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (unsigned char c : label) {
      bool ok = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

// C0 controls, DEL and C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F).
// A tab is whitespace to the name rule, so it is allowed everywhere;
// `line_breaks` also lets LF and CR through for free text.
bool HasControlCharacter(std::string_view s, bool line_breaks) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20) {
      if (c == '\t' || (line_breaks && (c == '\n' || c == '\r'))) continue;
      return true;
    }
    if (c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return true;
  }
  return false;
}

Status CheckText(const std::optional<std::string>& v, std::string_view field, size_t max,
                 bool line_breaks = false) {
  if (!v) return Status::Ok();
  return ValidateText(field, *v, max, line_breaks);
}

}  // namespace

bool IsValidEmail(std::string_view email) {
  if (email.empty() || email.size() > limits::kEmail) return false;
  if (!simdjson::validate_utf8(email.data(), email.size())) return false;
  if (HasControlCharacter(email, false)) return false;
  size_t at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  std::string_view local = email.substr(0, at);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return false;
  if (!std::all_of(local.begin(), local.end(),
                   [](char c) { return IsLocalChar(static_cast<unsigned char>(c)); }))
    return false;
  return IsValidDomain(email.substr(at + 1));
}

bool IsIsoCountryCode(std::string_view code) {
  return std::binary_search(kCountries.begin(), kCountries.end(), code);
}

Status ValidateEmail(std::string_view email) {
  if (!IsValidEmail(email)) {
    return Status::InvalidEmail("email", "email must be a valid email address");
  }
  return Status::Ok();
}

Status ValidateLength(std::string_view field, std::string_view value, size_t max) {
  // Limits are in characters, as the message says, so a non-Latin name is not
  // held to a third of the length: count UTF-8 lead bytes, not continuation
  // bytes (10xxxxxx).
  const auto characters = std::count_if(value.begin(), value.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (static_cast<size_t>(characters) > max) {
    return Status::Violated(std::string(field), Violation::kTooLong, max);
  }
  return Status::Ok();
}

Status ValidateText(std::string_view field, std::string_view value, size_t max, bool line_breaks) {
  // Stored text is what was sent: bytes that are not UTF-8 would be replaced
  // on output (two inputs colliding), and control characters, NUL above all,
  // break logs, exports and the other dialect's clients.
  if (!simdjson::validate_utf8(value.data(), value.size())) {
    return Status::Violated(std::string(field), Violation::kNotUtf8);
  }
  if (HasControlCharacter(value, line_breaks)) {
    return Status::Violated(std::string(field), Violation::kControlCharacter);
  }
  return ValidateLength(field, value, max);
}

Status ValidateCustomer(const Customer& c) {
  if (c.id.empty() || c.id.size() > limits::kId) {
    return Status::Invalid("id", "id must be 1 to 128 characters");
  }
  if (Status s = ValidateEmail(c.email); !s.ok()) return s;
  if (Status s = ValidateText("name", c.display_name, limits::kName); !s.ok()) return s;
  if (Status s = ValidateText("first_name", c.first_name, limits::kName); !s.ok()) return s;
  if (Status s = ValidateText("last_name", c.last_name, limits::kName); !s.ok()) return s;
  for (CustomerTextField f : kAllCustomerTextFields) {
    if (Status s = CheckText(c.Field(f), FieldName(f), MaxLength(f), AllowsLineBreaks(f)); !s.ok())
      return s;
  }
  if (c.tags.size() > limits::kTags) {
    return Status::Invalid("tags", "at most 100 tags");
  }
  for (const std::string& tag : c.tags) {
    if (Status s = ValidateText("tags", tag, limits::kTag); !s.ok()) return s;
  }
  if (c.addresses.size() > limits::kAddresses) {
    return Status::Invalid("addresses", "at most 100 addresses per customer");
  }
  for (size_t i = 0; i < c.addresses.size(); ++i) {
    if (Status s = ValidateAddress(c.addresses[i]); !s.ok()) {
      return s.WithField("addresses[" + std::to_string(i) + "]." + s.field());
    }
  }
  return Status::Ok();
}

Status ValidateAddress(const Address& a) {
  for (AddressField f : kAllAddressFields) {
    const bool free_text = f == AddressField::kInstructions;
    const size_t max = free_text ? limits::kInstructions : limits::kAddressText;
    if (Status s = CheckText(a.Field(f), FieldName(f), max, free_text); !s.ok()) return s;
  }
  if (a.country && !IsIsoCountryCode(*a.country)) {
    return Status::InvalidCountry("country",
                                  "country must be an ISO 3166-1 alpha-2 code such as GB");
  }
  return Status::Ok();
}

}  // namespace gateway
