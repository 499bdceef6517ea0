// MicroBaseDialect: MicroBase v1's RPC customer service
// (`/services/customer/v1/<method>`) and its OAuth token endpoint
// (`/services/oauth/v2/token`) over the CustomerService.
//
// Arguments are merged from the JSON or form body and the query string
// (query wins; arguments.h), checked against the method's schema, then
// handled. Every answer is `{"ok": ...}`; application errors use HTTP 200 as
// MicroBase does. Checks run in MicroBase's order: unreadable body (400),
// unknown method (404), token (401), schema, then the method's own rules.
// Method names are matched case-insensitively, as Express routes are, and
// every answer allows any origin (CORS), as MicroBase's do.
// docs/microbase-v1.md describes each method and each departure from the
// reference service.
//
// Thread-safety: stateless beyond its immutable configuration.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "adapters/http/dialect.h"
#include "core/customer_service.h"
#include "core/ports/token_service.h"

namespace gateway::microbase {

struct Config {
  std::string client_id;
  std::string client_secret;
  int64_t token_seconds = 365 * 24 * 3600;  // MicroBase's default: a year
};

class MicroBaseDialect final : public http::Dialect {
 public:
  MicroBaseDialect(CustomerService& service, const TokenService& signer, Config config);

  bool Owns(std::string_view path) const override;
  void Handle(const httplib::Request& req, httplib::Response& res) override;
  http::RouteInfo Describe(const httplib::Request& req) const override;
  std::optional<std::string> CredentialAccount(const httplib::Request& req) const override;
  bool RefusesCredentials(const httplib::Response& res) const override;
  void RenderHostError(int status, std::string_view detail, httplib::Response& res) const override;

 private:
  using Method = void (MicroBaseDialect::*)(simdjson::dom::object args, httplib::Response& res);

  void IssueToken(const httplib::Request& req, httplib::Response& res);
  void Create(simdjson::dom::object args, httplib::Response& res);
  void Info(simdjson::dom::object args, httplib::Response& res);
  void Update(simdjson::dom::object args, httplib::Response& res);
  void Remove(simdjson::dom::object args, httplib::Response& res);
  void List(simdjson::dom::object args, httplib::Response& res);
  void CheckCredentials(simdjson::dom::object args, httplib::Response& res);
  void AddressCreate(simdjson::dom::object args, httplib::Response& res);
  void AddressInfo(simdjson::dom::object args, httplib::Response& res);
  void AddressUpdate(simdjson::dom::object args, httplib::Response& res);
  void AddressRemove(simdjson::dom::object args, httplib::Response& res);

  CustomerService& service_;
  const TokenService& signer_;
  const Config config_;
  const std::unordered_map<std::string_view, Method> methods_;  // keyed by lower-case name
};

}  // namespace gateway::microbase
