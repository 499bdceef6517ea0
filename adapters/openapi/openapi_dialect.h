// OpenApiDialect: publishes each dialect's contract as an OpenAPI 3.1
// document, at GET /openapi/elastic-path-v2.json and
// GET /openapi/microbase-v1.json, and the dev mock's admin API at
// GET /openapi/dev-mock-admin.json. Always on and needs no token: the
// documents describe the API and hold no secrets. They allow any origin, so a
// browser-based viewer can load them from the gateway.
//
// The documents are the source (adapters/openapi/*.json), kept true by
// tests/blackbox/devmock_openapi.test.mjs, which validates real answers
// against them.
//
// Thread-safety: stateless.
#pragma once

#include <optional>
#include <string>

#include "adapters/http/dialect.h"

namespace gateway::openapi {

class OpenApiDialect final : public http::Dialect {
 public:
  bool Owns(std::string_view path) const override;
  void Handle(const httplib::Request& req, httplib::Response& res) override;
  // Never a credential attempt for the host's login rate limits: the documents are public.
  std::optional<std::string> CredentialAccount(const httplib::Request&) const override {
    return std::nullopt;
  }
  bool RefusesCredentials(const httplib::Response&) const override { return false; }
  void RenderHostError(int status, std::string_view detail, httplib::Response& res) const override;
};

}  // namespace gateway::openapi
