// Constant-time comparison of secrets.
#include "common/secure_compare.h"

#include <doctest/doctest.h>

#include <string_view>

TEST_CASE("ConstantTimeEquals compares whole secrets") {
  CHECK(gateway::ConstantTimeEquals("client-secret", "client-secret"));
  CHECK(gateway::ConstantTimeEquals("", ""));
  CHECK_FALSE(gateway::ConstantTimeEquals("client-secret", "client-secreT"));
  CHECK_FALSE(gateway::ConstantTimeEquals("client-secret", "client-secret-longer"));
  CHECK_FALSE(gateway::ConstantTimeEquals("client-secret", ""));
  CHECK_FALSE(
      gateway::ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}
