// Validation rules shared by every dialect: email syntax, ISO 3166-1 alpha-2
// country codes, well-formed text, and the length limits of each canonical
// field.
//
// Each function returns a Status naming the canonical field at fault; adapters
// translate field names into their own wire paths.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/customer.h"
#include "core/status.h"

namespace gateway {

namespace limits {
inline constexpr size_t kEmail = 254;  // RFC 5321 path limit
inline constexpr size_t kName = 255;
inline constexpr size_t kPassword = 1024;  // bounds the KDF's input
inline constexpr size_t kAddressText = 255;
inline constexpr size_t kInstructions = 2048;
inline constexpr size_t kTags = 100;
inline constexpr size_t kTag = 255;
inline constexpr size_t kAddresses = 100;
inline constexpr size_t kId = 128;
}  // namespace limits

bool IsValidEmail(std::string_view email);
bool IsIsoCountryCode(std::string_view code);  // upper-case alpha-2 only

Status ValidateEmail(std::string_view email);
Status ValidateLength(std::string_view field, std::string_view value, size_t max);
// ValidateLength, and the text must be well-formed UTF-8 without control
// characters (C0 but tab, DEL, C1); `line_breaks` also allows LF and CR, for
// free text.
Status ValidateText(std::string_view field, std::string_view value, size_t max,
                    bool line_breaks = false);
// Checks every dialect-independent rule on a whole customer (create, update
// and import all end here). Which fields are required is each dialect's own
// rule, checked by its adapter before the core is called.
Status ValidateCustomer(const Customer& c);
Status ValidateAddress(const Address& a);

}  // namespace gateway
