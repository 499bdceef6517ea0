#include "adapters/elastic_path_v2/elastic_path_dialect.h"

#include <openssl/crypto.h>

#include <vector>

#include "adapters/elastic_path_v2/errors.h"
#include "adapters/elastic_path_v2/mapping.h"
#include "adapters/http/json_body.h"
#include "adapters/http/request_util.h"
#include "core/clock.h"
#include "core/json_writer.h"

namespace gateway::elastic_path {
namespace {

constexpr std::string_view kUnauthorizedDetail = "Unable to validate access token";

bool SecretEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > pos) out.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

int64_t NowSeconds() { return NowMillis() / 1000; }

// Parses `{"data": {"type": <type>, ...}}`; renders the 400 itself on failure.
std::optional<simdjson::dom::object> ReadData(const httplib::Request& req, std::string_view type,
                                              httplib::Response& res) {
  std::string error;
  auto root = http::ParseJson(req.body, error);
  if (!root) {
    RenderError(res, 400, "Bad Request", "The request body is not valid JSON: " + error);
    return std::nullopt;
  }
  simdjson::dom::object data;
  if ((*root)["data"].get(data)) {
    RenderError(res, 400, "Bad Request", "The request body must be an object with a data object",
                "data");
    return std::nullopt;
  }
  std::string_view got;
  if (data["type"].get(got) || got != type) {
    RenderError(res, 400, "Bad Request", "data.type must be \"" + std::string(type) + "\"",
                "data.type");
    return std::nullopt;
  }
  return data;
}

void RenderCustomer(httplib::Response& res, int status, const Customer& c) {
  JsonWriter w;
  w.BeginObject().Key("data");
  WriteCustomer(w, c);
  w.EndObject();
  http::SetJson(res, status, w.Take());
}

}  // namespace

struct ElasticPathDialect::Caller {
  TokenScope scope = TokenScope::kForeign;
};

ElasticPathDialect::ElasticPathDialect(CustomerService& service, const TokenSigner& signer,
                                       Config config)
    : service_(service), signer_(signer), config_(std::move(config)) {}

bool ElasticPathDialect::Owns(std::string_view path) const {
  return path == "/v2" || path.rfind("/v2/", 0) == 0 || path == "/oauth/access_token";
}

void ElasticPathDialect::RenderHostError(int status, std::string_view detail,
                                         httplib::Response& res) const {
  RenderError(res, status, http::StatusTitle(status), detail);
}

void ElasticPathDialect::Handle(const httplib::Request& req, httplib::Response& res) {
  if (req.path == "/oauth/access_token") {
    if (req.method != "POST") {
      res.set_header("Allow", "POST");
      RenderError(res, 405, "Method Not Allowed", "Use POST to obtain an access token");
      return;
    }
    IssueAccessToken(req, res);
    return;
  }

  std::optional<std::string> bearer = http::BearerToken(req);
  if (!bearer) {
    RenderError(res, 401, "Unauthorized", kUnauthorizedDetail);
    return;
  }
  Result<TokenClaims> claims = signer_.Verify(*bearer, NowSeconds());
  if (!claims.ok() || (claims->scope != TokenScope::kClientCredentials &&
                       claims->scope != TokenScope::kImplicit)) {
    RenderError(res, 401, "Unauthorized", kUnauthorizedDetail);
    return;
  }
  Caller caller{claims->scope};

  std::vector<std::string_view> seg = Segments(req.path);
  if (seg.size() == 2 && seg[1] == "customers") {
    if (req.method == "POST") return CreateCustomer(req, res);
    res.set_header("Allow", "POST");
    RenderError(res, 405, "Method Not Allowed", req.method + " is not supported on this path");
    return;
  }
  if (seg.size() == 3 && seg[1] == "customers") {
    if (req.method == "GET") return GetCustomer(caller, seg[2], res);
    res.set_header("Allow", "GET");
    RenderError(res, 405, "Method Not Allowed", req.method + " is not supported on this path");
    return;
  }
  RenderError(res, 404, "Not Found", "No route matches " + req.method + " " + req.path);
}

void ElasticPathDialect::IssueAccessToken(const httplib::Request& req, httplib::Response& res) {
  http::Params form = http::ParseUrlEncoded(req.body);
  std::optional<std::string> grant = http::Find(form, "grant_type");
  std::optional<std::string> client_id = http::Find(form, "client_id");
  if (!grant || (*grant != "client_credentials" && *grant != "implicit")) {
    RenderError(res, 400, "Bad Request",
                "grant_type must be client_credentials or implicit", "grant_type");
    return;
  }
  if (!client_id || !SecretEquals(*client_id, config_.client_id)) {
    RenderError(res, 401, "Unauthorized", "The client credentials are not valid");
    return;
  }
  TokenClaims claims;
  claims.scope = TokenScope::kImplicit;
  if (*grant == "client_credentials") {
    std::optional<std::string> secret = http::Find(form, "client_secret");
    if (!secret || !SecretEquals(*secret, config_.client_secret)) {
      RenderError(res, 401, "Unauthorized", "The client credentials are not valid");
      return;
    }
    claims.scope = TokenScope::kClientCredentials;
  }
  claims.issued_at = NowSeconds();
  claims.expires_at = claims.issued_at + config_.access_token_seconds;
  claims.token_id = NewUuid();
  JsonWriter w;
  w.BeginObject();
  w.Field("expires", *claims.expires_at).Field("identifier", *grant);
  w.Field("expires_in", config_.access_token_seconds);
  w.Field("access_token", signer_.Sign(claims)).Field("token_type", "Bearer");
  w.EndObject();
  http::SetJson(res, 200, w.Take());
}

void ElasticPathDialect::CreateCustomer(const httplib::Request& req, httplib::Response& res) {
  std::optional<simdjson::dom::object> data = ReadData(req, "customer", res);
  if (!data) return;
  Result<NewCustomer> in = ReadNewCustomer(*data);
  if (!in.ok()) return RenderStatus(res, in.status());
  Result<Customer> created = service_.Create(std::move(*in));
  if (!created.ok()) return RenderStatus(res, created.status());
  RenderCustomer(res, 201, *created);
}

void ElasticPathDialect::GetCustomer(const Caller& caller, std::string_view id,
                                     httplib::Response& res) {
  if (caller.scope != TokenScope::kClientCredentials) {
    RenderError(res, 403, "Forbidden", "This token cannot read customers");
    return;
  }
  Result<Customer> c = service_.Get(id);
  if (!c.ok()) return RenderStatus(res, c.status());
  RenderCustomer(res, 200, *c);
}

}  // namespace gateway::elastic_path
