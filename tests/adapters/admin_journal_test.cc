// The request journal's redaction rules.
#include <doctest/doctest.h>

#include "adapters/admin/request_journal.h"

namespace gateway::admin {
namespace {

TEST_CASE("secret names are any that mention a password, secret, token or hash") {
  for (const char* name : {"password", "Password", "new_password", "client_secret", "access_token",
                           "X-Moltin-Customer-Token", "password_hash", "HASH"}) {
    CHECK_MESSAGE(IsSecretName(name), name);
  }
  for (const char* name : {"email", "grant_type", "client_id", "id", "pass", ""}) {
    CHECK_MESSAGE(!IsSecretName(name), name);
  }
}

TEST_CASE("a query keeps its shape with secret values redacted, even percent-encoded names") {
  CHECK(RedactQuery("") == "");
  CHECK(RedactQuery("a=1&b=2") == "a=1&b=2");
  CHECK(RedactQuery("access_token=abc&id=7") == "access_token=[redacted]&id=7");
  CHECK(RedactQuery("pass%77ord=x") == "pass%77ord=[redacted]");
  CHECK(RedactQuery("token&x=1") == "token&x=1");  // no value, nothing to hide
  CHECK(RedactQuery("a=1&&password=2") == "a=1&&password=[redacted]");
}

TEST_CASE("admin paths are /__gateway and below, nothing else") {
  CHECK(IsAdminPath("/__gateway"));
  CHECK(IsAdminPath("/__gateway/reset"));
  CHECK_FALSE(IsAdminPath("/__gatewayx"));
  CHECK_FALSE(IsAdminPath("/v2/__gateway"));
}

}  // namespace
}  // namespace gateway::admin
