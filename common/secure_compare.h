// Comparing secrets without leaking, through timing, where they differ.
// Stateless; safe from any thread.
#pragma once

#include <string_view>

namespace gateway {

// True when `a` and `b` are equal. The time taken depends on the length only
// (the length is not secret), never on where the first difference is.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gateway
