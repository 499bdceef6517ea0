// ElasticPathDialect: Elastic Path Commerce Cloud v2's customer API
// (`/oauth/access_token`, `/v2/customers...`) over the CustomerService.
//
// Access: client_credentials tokens have full access; implicit tokens may
// register customers, obtain customer tokens, and reach one customer's own
// records with a matching X-Moltin-Customer-Token.
//
// Thread-safety: stateless beyond its immutable configuration; Handle is
// safe to call concurrently.
#pragma once

#include <string>

#include "adapters/http/dialect.h"
#include "core/customer_service.h"
#include "core/token_signer.h"

namespace gateway::elastic_path {

struct Config {
  std::string client_id;
  std::string client_secret;
  int64_t access_token_seconds = 3600;
  int64_t customer_token_seconds = 24 * 3600;
};

class ElasticPathDialect final : public http::Dialect {
 public:
  ElasticPathDialect(CustomerService& service, const TokenSigner& signer, Config config);

  bool Owns(std::string_view path) const override;
  void Handle(const httplib::Request& req, httplib::Response& res) override;
  void RenderHostError(int status, std::string_view detail,
                       httplib::Response& res) const override;

 private:
  struct Caller;

  void IssueAccessToken(const httplib::Request& req, httplib::Response& res);
  void CreateCustomer(const httplib::Request& req, httplib::Response& res);
  void GetCustomer(const Caller& caller, std::string_view id, httplib::Response& res);

  CustomerService& service_;
  const TokenSigner& signer_;
  const Config config_;
};

}  // namespace gateway::elastic_path
