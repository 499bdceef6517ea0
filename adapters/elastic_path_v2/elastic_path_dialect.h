// ElasticPathDialect: Elastic Path Commerce Cloud v2's customer API
// (`/oauth/access_token`, `/v2/customers...`) over the CustomerService.
//
// Requests are matched against the route table first (unknown path → 404,
// known path with another method → 405 with `Allow`), then the bearer token
// is checked (401), then the caller's right to the resource (403).
//
// Access: client_credentials tokens have full access; implicit tokens may
// register customers, obtain customer tokens, and reach one customer's own
// records with a matching X-Moltin-Customer-Token. A customer token sent
// with either grant confines the request to that customer.
//
// Thread-safety: stateless beyond its immutable configuration; Handle is
// safe to call concurrently.
#pragma once

#include <string>

#include "adapters/elastic_path_v2/flows.h"
#include "adapters/elastic_path_v2/mapping.h"
#include "adapters/http/dialect.h"
#include "core/customer_service.h"
#include "core/ports/token_service.h"
#include "core/project_settings.h"

namespace gateway::elastic_path {

struct Config {
  std::string client_id;
  std::string client_secret;
  int64_t access_token_seconds = 3600;
  int64_t customer_token_seconds = 24 * 3600;
  // /v2/settings and the listings' default page size; without it /v2/settings
  // is an unknown path and listings use kDefaultPageLimit.
  ProjectSettings* settings = nullptr;
  // /v2/flows and /v2/fields, and the custom fields of customers and
  // addresses; without it those paths are unknown and no custom field shows.
  FlowCatalog* flows = nullptr;
};

class ElasticPathDialect final : public http::Dialect {
 public:
  ElasticPathDialect(CustomerService& service, const TokenService& signer, Config config);

  bool Owns(std::string_view path) const override;
  void Handle(const httplib::Request& req, httplib::Response& res) override;
  http::RouteInfo Describe(const httplib::Request& req) const override;
  std::optional<std::string> CredentialAccount(const httplib::Request& req) const override;
  bool RefusesCredentials(const httplib::Response& res) const override;
  void RenderHostError(int status, std::string_view detail, httplib::Response& res) const override;

 private:
  struct Caller;
  struct Route;

  void IssueAccessToken(const httplib::Request& req, httplib::Response& res);
  void IssueCustomerToken(const httplib::Request& req, httplib::Response& res);
  // True when `caller` may act on customer `id`; renders the 403 otherwise.
  bool MayAccessCustomer(const Caller& caller, const httplib::Request& req, std::string_view id,
                         httplib::Response& res) const;

  void ListCustomers(const Caller& caller, const httplib::Request& req, httplib::Response& res);
  void CreateCustomer(const httplib::Request& req, httplib::Response& res);
  void GetCustomer(std::string_view id, httplib::Response& res);
  void UpdateCustomer(const httplib::Request& req, std::string_view id, httplib::Response& res);
  void DeleteCustomer(std::string_view id, httplib::Response& res);

  // The enabled custom fields of core flow `slug` ("customers",
  // "addresses"), kept alive by `hold`; renders the error itself on failure.
  std::optional<CustomMembers> Extending(std::string_view slug,
                                         std::shared_ptr<const FlowSet>& hold,
                                         httplib::Response& res);
  void HandleFlows(const Route& route, const httplib::Request& req, httplib::Response& res);
  void HandleFields(const Route& route, const httplib::Request& req, httplib::Response& res);

  void GetSettings(httplib::Response& res);
  void UpdateSettings(const httplib::Request& req, httplib::Response& res);

  void ListAddresses(const httplib::Request& req, std::string_view customer_id,
                     httplib::Response& res);
  void CreateAddress(const httplib::Request& req, std::string_view customer_id,
                     httplib::Response& res);
  void GetAddress(const httplib::Request& req, std::string_view customer_id,
                  std::string_view address_id, httplib::Response& res);
  void UpdateAddress(const httplib::Request& req, std::string_view customer_id,
                     std::string_view address_id, httplib::Response& res);
  void DeleteAddress(std::string_view customer_id, std::string_view address_id,
                     httplib::Response& res);

  CustomerService& service_;
  const TokenService& signer_;
  const Config config_;
};

}  // namespace gateway::elastic_path
