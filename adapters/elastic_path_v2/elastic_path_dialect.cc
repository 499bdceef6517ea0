#include "adapters/elastic_path_v2/elastic_path_dialect.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

#include "adapters/elastic_path_v2/errors.h"
#include "adapters/elastic_path_v2/listing.h"
#include "adapters/elastic_path_v2/mapping.h"
#include "adapters/elastic_path_v2/settings.h"
#include "adapters/http/json_body.h"
#include "adapters/http/request_util.h"
#include "common/base64.h"
#include "common/iso_time.h"
#include "common/json_writer.h"
#include "common/secure_compare.h"
#include "common/uuid.h"
#include "core/validation.h"

namespace gateway::elastic_path {
namespace {

// The scopes this dialect mints. A bearer is accepted only with one of these;
// any other scope (another dialect's, or none) is refused.
constexpr std::string_view kClientCredentialsScope = "client_credentials";
constexpr std::string_view kImplicitScope = "implicit";
constexpr std::string_view kCustomerScope = "customer";

constexpr std::string_view kUnauthorizedDetail = "Unable to validate access token";
constexpr const char* kCustomerTokenHeader = "X-Moltin-Customer-Token";

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

enum class Resource {
  kAccessToken,
  kCustomers,
  kCustomerTokens,
  kCustomer,
  kAddresses,
  kAddress,
  kSettings,
  kFlows,
  kFlow,
  kFlowFields,
  kFlowField,
  kFields,
  kField,
};

// The methods each resource answers, as the `Allow` header lists them.
std::string_view AllowedMethods(Resource r) {
  switch (r) {
    case Resource::kAccessToken:
    case Resource::kCustomerTokens:
      return "POST";
    case Resource::kCustomers:
    case Resource::kAddresses:
    case Resource::kFlows:
    case Resource::kFields:
      return "GET, POST";
    case Resource::kFlowFields:
    case Resource::kFlowField:
      return "GET";
    case Resource::kSettings:
      return "GET, PUT";
    case Resource::kCustomer:
    case Resource::kAddress:
    case Resource::kFlow:
    case Resource::kField:
      break;
  }
  return "GET, PUT, DELETE";
}

bool Allows(std::string_view allow, std::string_view method) {
  size_t pos = 0;
  while (pos < allow.size()) {
    size_t comma = allow.find(", ", pos);
    if (comma == std::string_view::npos) comma = allow.size();
    if (allow.substr(pos, comma - pos) == method) return true;
    pos = comma + 2;
  }
  return false;
}

// Path text is echoed in error details only when it is printable UTF-8: the
// host has already percent-decoded it, and a reply must stay valid JSON.
bool IsPrintableUtf8(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return simdjson::validate_utf8(s.data(), s.size());
}

// Ids are opaque (UUIDs the gateway made, or imported ids such as MicroBase's
// short ids); one that could never have been stored is simply not found.
bool IsPlausibleId(std::string_view id) {
  return !id.empty() && id.size() <= limits::kId && IsPrintableUtf8(id);
}

// "scheme://host" for absolute links, from the Host header the client used
// (X-Forwarded-Proto: https when a TLS proxy sits in front).
std::string BaseUrl(const httplib::Request& req) {
  std::string scheme = req.get_header_value("X-Forwarded-Proto") == "https" ? "https" : "http";
  std::string host = req.get_header_value("Host");
  bool usable = !host.empty();
  for (char c : host) {
    usable = usable && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                        c == ':' || c == '[' || c == ']');
  }
  if (!usable) {
    host =
        req.local_addr.find(':') == std::string::npos ? req.local_addr : "[" + req.local_addr + "]";
    host += ":" + std::to_string(req.local_port);
  }
  return scheme + "://" + host;
}

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

void RenderCustomer(httplib::Response& res, int status, const Customer& c,
                    const CustomMembers& custom) {
  JsonWriter w;
  w.BeginObject().Key("data");
  WriteCustomer(w, c, custom);
  w.EndObject();
  http::SetJson(res, status, w.Take());
}

void RenderAddress(httplib::Response& res, int status, const httplib::Request& req,
                   std::string_view customer_id, const Address& a, const CustomMembers& custom) {
  JsonWriter w;
  w.BeginObject().Key("data");
  WriteAddress(w, a, customer_id, BaseUrl(req), UnsetAddressMember::kEmptyString, custom);
  w.EndObject();
  http::SetJson(res, status, w.Take());
}

void RenderNoContent(httplib::Response& res) { http::SetJson(res, 204, ""); }

void RenderCustomerNotFound(httplib::Response& res) {
  RenderError(res, 404, "Not Found", "No customer found with that id");
}

}  // namespace

struct ElasticPathDialect::Caller {
  std::string scope;
};

struct ElasticPathDialect::Route {
  Resource resource;
  std::string_view customer_id;
  std::string_view address_id;
};

ElasticPathDialect::ElasticPathDialect(CustomerService& service, const TokenService& signer,
                                       Config config)
    : service_(service), signer_(signer), config_(std::move(config)) {}

bool ElasticPathDialect::Owns(std::string_view path) const {
  return path == "/v2" || path.rfind("/v2/", 0) == 0 || path == "/oauth/access_token";
}

http::RouteInfo ElasticPathDialect::Describe(const httplib::Request& req) const {
  http::RouteInfo info{"elastic_path", "", ""};
  std::vector<std::string_view> seg = Segments(req.path);
  if (req.path == "/oauth/access_token" ||
      (config_.settings != nullptr && seg.size() == 2 && seg[0] == "v2" && seg[1] == "settings")) {
    info.route = req.path;
  } else if (config_.flows != nullptr && seg.size() >= 2 && seg.size() <= 5 && seg[0] == "v2" &&
             (seg[1] == "flows" || seg[1] == "fields")) {
    static constexpr std::string_view kFlowRoutes[] = {
        "/v2/flows", "/v2/flows/{id}", "/v2/flows/{slug}/fields", "/v2/flows/{id}/fields/{id}"};
    static constexpr std::string_view kFieldRoutes[] = {"/v2/fields", "/v2/fields/{id}"};
    if (seg[1] == "flows") {
      info.route = kFlowRoutes[std::min<size_t>(seg.size() - 2, 3)];
    } else {
      info.route = seg.size() <= 3 ? kFieldRoutes[seg.size() - 2] : "/v2/{unmatched}";
    }
  } else if (seg.size() < 2 || seg.size() > 5 || seg[0] != "v2" || seg[1] != "customers" ||
             (seg.size() >= 4 && seg[3] != "addresses")) {
    info.route = "/v2/{unmatched}";
  } else if (seg.size() == 2) {
    info.route = "/v2/customers";
  } else if (seg.size() == 3 && seg[2] == "tokens") {
    info.route = "/v2/customers/tokens";
  } else {
    static constexpr std::string_view kRoutes[] = {
        "/v2/customers/{id}", "/v2/customers/{id}/addresses", "/v2/customers/{id}/addresses/{id}"};
    info.route = kRoutes[seg.size() - 3];
    info.customer_id = std::string(seg[2].substr(0, 64));
  }
  return info;
}

std::optional<std::string> ElasticPathDialect::CredentialAccount(
    const httplib::Request& req) const {
  if (req.method != "POST") return std::nullopt;
  if (req.path == "/oauth/access_token") {
    return EmailKey(http::Find(http::ParseUrlEncoded(req.body), "client_id").value_or(""));
  }
  std::vector<std::string_view> seg = Segments(req.path);
  if (seg.size() != 3 || seg[0] != "v2" || seg[1] != "customers" || seg[2] != "tokens") {
    return std::nullopt;
  }
  std::string error;
  std::string_view email;
  auto root = http::ParseJson(req.body, error);
  if (!root || (*root)["data"]["email"].get(email)) return "";
  return EmailKey(email);
}

bool ElasticPathDialect::RefusesCredentials(const httplib::Response& res) const {
  return res.status == 401;
}

void ElasticPathDialect::RenderHostError(int status, std::string_view detail,
                                         httplib::Response& res) const {
  RenderError(res, status, http::StatusTitle(status), detail);
}

void ElasticPathDialect::Handle(const httplib::Request& req, httplib::Response& res) {
  std::optional<Route> route;
  std::vector<std::string_view> seg = Segments(req.path);
  if (req.path == "/oauth/access_token") {
    route = Route{Resource::kAccessToken, {}, {}};
  } else if (config_.settings != nullptr && seg.size() == 2 && seg[0] == "v2" &&
             seg[1] == "settings") {
    route = Route{Resource::kSettings, {}, {}};
  } else if (config_.flows != nullptr && seg.size() >= 2 && seg[0] == "v2" && seg[1] == "flows") {
    if (seg.size() == 2) route = Route{Resource::kFlows, {}, {}};
    if (seg.size() == 3) route = Route{Resource::kFlow, seg[2], {}};
    if (seg.size() == 4 && seg[3] == "fields") route = Route{Resource::kFlowFields, seg[2], {}};
    if (seg.size() == 5 && seg[3] == "fields") route = Route{Resource::kFlowField, seg[2], seg[4]};
  } else if (config_.flows != nullptr && seg.size() >= 2 && seg[0] == "v2" && seg[1] == "fields") {
    if (seg.size() == 2) route = Route{Resource::kFields, {}, {}};
    if (seg.size() == 3) route = Route{Resource::kField, seg[2], {}};
  } else if (seg.size() >= 2 && seg[0] == "v2" && seg[1] == "customers") {
    if (seg.size() == 2) route = Route{Resource::kCustomers, {}, {}};
    if (seg.size() == 3 && seg[2] == "tokens") route = Route{Resource::kCustomerTokens, {}, {}};
    if (seg.size() == 3 && seg[2] != "tokens") route = Route{Resource::kCustomer, seg[2], {}};
    if (seg.size() == 4 && seg[3] == "addresses") {
      route = Route{Resource::kAddresses, seg[2], {}};
    }
    if (seg.size() == 5 && seg[3] == "addresses") {
      route = Route{Resource::kAddress, seg[2], seg[4]};
    }
  }
  if (!route) {
    RenderError(res, 404, "Not Found",
                "No route matches " + req.method +
                    (IsPrintableUtf8(req.path) ? " " + req.path : " this path"));
    return;
  }
  std::string_view allow = AllowedMethods(route->resource);
  if (!Allows(allow, req.method)) {
    res.set_header("Allow", std::string(allow));
    RenderError(res, 405, "Method Not Allowed",
                req.method + " is not supported on this path; use " + std::string(allow));
    return;
  }
  if (route->resource == Resource::kAccessToken) return IssueAccessToken(req, res);

  std::optional<std::string> bearer = http::BearerToken(req);
  if (!bearer) {
    RenderError(res, 401, "Unauthorized", kUnauthorizedDetail);
    return;
  }
  Result<TokenClaims> claims = signer_.Verify(*bearer, NowSeconds());
  if (!claims.ok() ||
      (claims->scope != kClientCredentialsScope && claims->scope != kImplicitScope)) {
    RenderError(res, 401, "Unauthorized", kUnauthorizedDetail);
    return;
  }
  const Caller caller{claims->scope};
  const std::string& m = req.method;

  if (route->resource == Resource::kCustomers) {
    if (m == "GET") return ListCustomers(caller, req, res);
    return CreateCustomer(req, res);
  }
  if (route->resource == Resource::kCustomerTokens) return IssueCustomerToken(req, res);
  if (route->resource == Resource::kSettings) {
    if (caller.scope != kClientCredentialsScope) {
      RenderError(res, 403, "Forbidden", "Project settings need a client_credentials token");
      return;
    }
    if (m == "GET") return GetSettings(res);
    return UpdateSettings(req, res);
  }
  const Resource r = route->resource;
  if (r == Resource::kFlows || r == Resource::kFlow || r == Resource::kFlowFields ||
      r == Resource::kFlowField || r == Resource::kFields || r == Resource::kField) {
    if (caller.scope != kClientCredentialsScope) {
      RenderError(res, 403, "Forbidden", "Flows and fields need a client_credentials token");
      return;
    }
    if (r == Resource::kFields || r == Resource::kField) return HandleFields(*route, req, res);
    return HandleFlows(*route, req, res);
  }

  // Everything else addresses one customer.
  const std::string_view id = route->customer_id;
  if (!MayAccessCustomer(caller, req, id, res)) return;
  if (!IsPlausibleId(id)) return RenderCustomerNotFound(res);
  if (route->resource == Resource::kCustomer) {
    if (m == "GET") return GetCustomer(id, res);
    if (m == "PUT") return UpdateCustomer(req, id, res);
    return DeleteCustomer(id, res);
  }
  if (route->resource == Resource::kAddresses) {
    if (m == "GET") return ListAddresses(req, id, res);
    return CreateAddress(req, id, res);
  }
  const std::string_view address_id = route->address_id;
  if (!IsPlausibleId(address_id)) {
    RenderError(res, 404, "Not Found", "No address found with that id");
    return;
  }
  if (m == "GET") return GetAddress(req, id, address_id, res);
  if (m == "PUT") return UpdateAddress(req, id, address_id, res);
  DeleteAddress(id, address_id, res);
}

void ElasticPathDialect::IssueAccessToken(const httplib::Request& req, httplib::Response& res) {
  http::Params form = http::ParseUrlEncoded(req.body);
  std::optional<std::string> grant = http::Find(form, "grant_type");
  std::optional<std::string> client_id = http::Find(form, "client_id");
  if (!grant || (*grant != "client_credentials" && *grant != "implicit")) {
    RenderError(res, 400, "Bad Request", "grant_type must be client_credentials or implicit",
                "grant_type");
    return;
  }
  if (!client_id || !ConstantTimeEquals(*client_id, config_.client_id)) {
    RenderError(res, 401, "Unauthorized", "The client credentials are not valid");
    return;
  }
  TokenClaims claims;
  claims.scope = kImplicitScope;
  if (*grant == "client_credentials") {
    std::optional<std::string> secret = http::Find(form, "client_secret");
    if (!secret || !ConstantTimeEquals(*secret, config_.client_secret)) {
      RenderError(res, 401, "Unauthorized", "The client credentials are not valid");
      return;
    }
    claims.scope = kClientCredentialsScope;
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

void ElasticPathDialect::IssueCustomerToken(const httplib::Request& req, httplib::Response& res) {
  std::optional<simdjson::dom::object> data = ReadData(req, "token", res);
  if (!data) return;
  // Optional in the customer-tokens reference; older SDKs and docs send only
  // type, email and password, which means a password login.
  std::string_view mechanism = "password";
  simdjson::dom::element given;
  if (!(*data)["authentication_mechanism"].get(given) && given.get(mechanism)) {
    RenderError(res, 400, "Bad Request", "authentication_mechanism must be \"password\"",
                "data.authentication_mechanism");
    return;
  }
  if (mechanism == "oidc") {
    RenderError(res, 501, "Not Implemented",
                "authentication_mechanism \"oidc\" is not supported by this gateway; "
                "use \"password\"",
                "data.authentication_mechanism");
    return;
  }
  if (mechanism != "password") {
    RenderError(res, 400, "Bad Request", "authentication_mechanism must be \"password\"",
                "data.authentication_mechanism");
    return;
  }
  std::string_view email;
  std::string_view password;
  for (auto [key, value] : {std::pair{"email", &email}, std::pair{"password", &password}}) {
    if ((*data)[key].get(*value) || value->empty()) {
      RenderError(res, 400, "Bad Request", std::string(key) + " must be a non-empty string",
                  "data." + std::string(key));
      return;
    }
  }
  Result<Customer> customer = service_.Authenticate(email, password);
  if (!customer.ok()) return RenderStatus(res, customer.status());

  TokenClaims claims;
  claims.scope = kCustomerScope;
  claims.subject = customer->id;
  // The customer-tokens reference's sample token carries the customer's name.
  claims.name = customer->display_name;
  claims.token_id = NewUuid();
  claims.issued_at = NowSeconds();
  claims.expires_at = claims.issued_at + config_.customer_token_seconds;
  JsonWriter w;
  w.BeginObject().Key("data").BeginObject();
  w.Field("type", "token").Field("id", claims.token_id).Field("customer_id", customer->id);
  w.Field("token", signer_.Sign(claims)).Field("expires", *claims.expires_at);
  w.EndObject().EndObject();
  http::SetJson(res, 200, w.Take());
}

bool ElasticPathDialect::MayAccessCustomer(const Caller& caller, const httplib::Request& req,
                                           std::string_view id, httplib::Response& res) const {
  // An empty header is no token, as if it were absent.
  const std::string customer_token = req.get_header_value(kCustomerTokenHeader);
  if (!customer_token.empty()) {
    // 403 rather than 401: the SDK answers a 401 by fetching a new access
    // token and retrying, which cannot mend a customer token.
    Result<TokenClaims> claims = signer_.Verify(customer_token, NowSeconds());
    if (!claims.ok() || claims->scope != kCustomerScope) {
      RenderError(res, 403, "Forbidden", "The customer token is not valid or has expired");
      return false;
    }
    if (claims->subject != id) {
      RenderError(res, 403, "Forbidden",
                  "The customer token does not grant access to this customer");
      return false;
    }
    return true;
  }
  if (caller.scope == kClientCredentialsScope) return true;
  RenderError(res, 403, "Forbidden",
              "An implicit token reaches a customer only with that customer's "
              "X-Moltin-Customer-Token");
  return false;
}

void ElasticPathDialect::ListCustomers(const Caller& caller, const httplib::Request& req,
                                       httplib::Response& res) {
  if (caller.scope != kClientCredentialsScope) {
    RenderError(res, 403, "Forbidden", "Listing customers needs a client_credentials token");
    return;
  }
  int64_t page_length = kDefaultPageLimit;
  if (config_.settings != nullptr) {
    Result<int64_t> stored = config_.settings->PageLength();
    if (!stored.ok()) return RenderStatus(res, stored.status());
    page_length = *stored;
  }
  Result<ListingRequest> listing = ParseListingQuery(http::RawQuery(req), page_length);
  if (!listing.ok()) return RenderQueryError(res, listing.status());
  std::shared_ptr<const FlowSet> hold;
  std::optional<CustomMembers> custom = Extending("customers", hold, res);
  if (!custom) return;
  Result<CustomerPage> page = service_.List(listing->query);
  if (!page.ok()) return RenderStatus(res, page.status());
  JsonWriter w;
  WriteListing(w, *page, *listing, *custom, BaseUrl(req));
  http::SetJson(res, 200, w.Take());
}

void ElasticPathDialect::GetSettings(httplib::Response& res) {
  Result<int64_t> page_length = config_.settings->PageLength();
  if (!page_length.ok()) return RenderStatus(res, page_length.status());
  JsonWriter w;
  WriteSettings(w, *page_length);
  http::SetJson(res, 200, w.Take());
}

void ElasticPathDialect::UpdateSettings(const httplib::Request& req, httplib::Response& res) {
  std::optional<simdjson::dom::object> data = ReadData(req, "settings", res);
  if (!data) return;
  Result<std::optional<int64_t>> update = ReadSettingsUpdate(*data);
  if (!update.ok()) return RenderStatus(res, update.status());
  if (*update) {
    if (Status s = config_.settings->SetPageLength(**update); !s.ok()) return RenderStatus(res, s);
  }
  GetSettings(res);
}

void ElasticPathDialect::CreateCustomer(const httplib::Request& req, httplib::Response& res) {
  std::optional<simdjson::dom::object> data = ReadData(req, "customer", res);
  if (!data) return;
  Result<NewCustomer> in = ReadNewCustomer(*data);
  if (!in.ok()) return RenderStatus(res, in.status());
  std::shared_ptr<const FlowSet> hold;
  std::optional<CustomMembers> custom = Extending("customers", hold, res);
  if (!custom) return;
  Result<CustomValues> given = ReadCustomValues(*data, custom->fields);
  if (!given.ok()) return RenderStatus(res, given.status());
  if (Status s = ApplyCustomValues(CoreFields(custom->fields), *given, true, in->custom); !s.ok()) {
    return RenderStatus(res, s);
  }
  Result<Customer> created = service_.Create(std::move(*in));
  if (!created.ok()) return RenderStatus(res, created.status());
  RenderCustomer(res, 201, *created, *custom);
}

void ElasticPathDialect::GetCustomer(std::string_view id, httplib::Response& res) {
  std::shared_ptr<const FlowSet> hold;
  std::optional<CustomMembers> custom = Extending("customers", hold, res);
  if (!custom) return;
  Result<Customer> c = service_.Get(id);
  if (!c.ok()) return RenderStatus(res, c.status());
  RenderCustomer(res, 200, *c, *custom);
}

void ElasticPathDialect::UpdateCustomer(const httplib::Request& req, std::string_view id,
                                        httplib::Response& res) {
  std::optional<simdjson::dom::object> data = ReadData(req, "customer", res);
  if (!data) return;
  Result<CustomerPatch> patch = ReadCustomerPatch(*data);
  if (!patch.ok()) return RenderStatus(res, patch.status());
  std::shared_ptr<const FlowSet> hold;
  std::optional<CustomMembers> custom = Extending("customers", hold, res);
  if (!custom) return;
  Result<CustomValues> given = ReadCustomValues(*data, custom->fields);
  if (!given.ok()) return RenderStatus(res, given.status());
  if (Status s = ApplyCustomValues(CoreFields(custom->fields), *given, false, patch->custom);
      !s.ok()) {
    return RenderStatus(res, s);
  }
  Result<Customer> updated = service_.Update(id, std::move(*patch));
  if (!updated.ok()) return RenderStatus(res, updated.status());
  RenderCustomer(res, 200, *updated, *custom);
}

void ElasticPathDialect::DeleteCustomer(std::string_view id, httplib::Response& res) {
  Status s = service_.Remove(id);
  if (!s.ok()) return RenderStatus(res, s);
  RenderNoContent(res);
}

void ElasticPathDialect::ListAddresses(const httplib::Request& req, std::string_view customer_id,
                                       httplib::Response& res) {
  std::shared_ptr<const FlowSet> hold;
  std::optional<CustomMembers> custom = Extending("addresses", hold, res);
  if (!custom) return;
  Result<Customer> c = service_.Get(customer_id);
  if (!c.ok()) return RenderStatus(res, c.status());
  const std::string base = BaseUrl(req);
  JsonWriter w;
  w.BeginObject().Key("data").BeginArray();
  for (const Address& a : c->addresses) {
    WriteAddress(w, a, c->id, base, UnsetAddressMember::kEmptyString, *custom);
  }
  w.EndArray().EndObject();
  http::SetJson(res, 200, w.Take());
}

void ElasticPathDialect::CreateAddress(const httplib::Request& req, std::string_view customer_id,
                                       httplib::Response& res) {
  std::optional<simdjson::dom::object> data = ReadData(req, "address", res);
  if (!data) return;
  Result<AddressPatch> in = ReadAddress(*data, false);
  if (!in.ok()) return RenderStatus(res, in.status());
  std::shared_ptr<const FlowSet> hold;
  std::optional<CustomMembers> custom = Extending("addresses", hold, res);
  if (!custom) return;
  Result<CustomValues> given = ReadCustomValues(*data, custom->fields);
  if (!given.ok()) return RenderStatus(res, given.status());
  Address address;
  for (const auto& [field, value] : in->fields) address.Field(field) = value;
  if (Status s = ApplyCustomValues(CoreFields(custom->fields), *given, true, address.custom);
      !s.ok()) {
    return RenderStatus(res, s);
  }
  Result<Customer> c = service_.AddAddresses(customer_id, {std::move(address)});
  if (!c.ok()) return RenderStatus(res, c.status());
  // AddAddresses appends, so the new address is the last one.
  RenderAddress(res, 201, req, c->id, c->addresses.back(), *custom);
}

void ElasticPathDialect::GetAddress(const httplib::Request& req, std::string_view customer_id,
                                    std::string_view address_id, httplib::Response& res) {
  std::shared_ptr<const FlowSet> hold;
  std::optional<CustomMembers> custom = Extending("addresses", hold, res);
  if (!custom) return;
  Result<Address> a = service_.GetAddress(customer_id, address_id);
  if (!a.ok()) return RenderStatus(res, a.status());
  RenderAddress(res, 200, req, customer_id, *a, *custom);
}

void ElasticPathDialect::UpdateAddress(const httplib::Request& req, std::string_view customer_id,
                                       std::string_view address_id, httplib::Response& res) {
  std::optional<simdjson::dom::object> data = ReadData(req, "address", res);
  if (!data) return;
  Result<AddressPatch> patch = ReadAddress(*data, true);
  if (!patch.ok()) return RenderStatus(res, patch.status());
  std::shared_ptr<const FlowSet> hold;
  std::optional<CustomMembers> custom = Extending("addresses", hold, res);
  if (!custom) return;
  Result<CustomValues> given = ReadCustomValues(*data, custom->fields);
  if (!given.ok()) return RenderStatus(res, given.status());
  if (Status s = ApplyCustomValues(CoreFields(custom->fields), *given, false, patch->custom);
      !s.ok()) {
    return RenderStatus(res, s);
  }
  Result<Customer> c = service_.UpdateAddress(customer_id, address_id, *patch);
  if (!c.ok()) return RenderStatus(res, c.status());
  RenderAddress(res, 200, req, customer_id, *c->FindAddress(address_id), *custom);
}

void ElasticPathDialect::DeleteAddress(std::string_view customer_id, std::string_view address_id,
                                       httplib::Response& res) {
  Result<Customer> c = service_.RemoveAddress(customer_id, address_id);
  if (!c.ok()) return RenderStatus(res, c.status());
  RenderNoContent(res);
}

std::optional<CustomMembers> ElasticPathDialect::Extending(std::string_view slug,
                                                           std::shared_ptr<const FlowSet>& hold,
                                                           httplib::Response& res) {
  if (config_.flows == nullptr) return CustomMembers{};
  Result<std::shared_ptr<const FlowSet>> set = config_.flows->Current();
  if (!set.ok()) {
    RenderStatus(res, set.status());
    return std::nullopt;
  }
  hold = *set;
  return CustomMembers{hold->Extending(slug), false};
}

namespace {

template <typename Item, typename Write>
void RenderList(httplib::Response& res, const std::vector<const Item*>& items, Write write) {
  JsonWriter w;
  w.BeginObject().Key("data").BeginArray();
  for (const Item* item : items) write(w, *item);
  w.EndArray().EndObject();
  http::SetJson(res, 200, w.Take());
}

template <typename Item, typename Write>
void RenderOne(httplib::Response& res, int status, const Item& item, Write write) {
  JsonWriter w;
  w.BeginObject().Key("data");
  write(w, item);
  w.EndObject();
  http::SetJson(res, status, w.Take());
}

// A flow slug is unique in the store.
Status CheckFlowSlug(const FlowSet& set, const Flow& flow) {
  for (const Flow& other : set.flows) {
    if (other.id != flow.id && other.slug == flow.slug) {
      return Status::Invalid("slug", "a flow with slug " + flow.slug + " already exists");
    }
  }
  return Status::Ok();
}

// A field slug is unique in its flow and is not a built-in member of the
// resource a core flow extends.
Status CheckFieldSlug(const FlowSet& set, const FlowField& field) {
  const Flow* flow = set.FindFlow(field.flow_id);
  if (flow == nullptr) {
    return Status::Invalid("relationships.flow.data.id", "no flow has id " + field.flow_id);
  }
  if (IsBuiltInMember(flow->slug, field.field.slug)) {
    return Status::Invalid("slug", field.field.slug + " is a built-in member of " + flow->slug);
  }
  size_t in_flow = 0;
  for (const FlowField& other : set.fields) {
    if (other.flow_id != field.flow_id || other.id == field.id) continue;
    ++in_flow;
    if (other.field.slug == field.field.slug) {
      return Status::Invalid("slug", "the flow already has a field with slug " + field.field.slug);
    }
  }
  if (in_flow >= FlowCatalog::kMaxFieldsPerFlow) {
    return Status::Invalid("relationships.flow.data.id", "a flow holds at most 100 fields");
  }
  return Status::Ok();
}

}  // namespace

void ElasticPathDialect::HandleFlows(const Route& route, const httplib::Request& req,
                                     httplib::Response& res) {
  const std::string base = BaseUrl(req);
  auto write = [&](JsonWriter& w, const Flow& f) { WriteFlow(w, f, base); };
  auto write_field = [&](JsonWriter& w, const FlowField& f) { WriteFlowField(w, f, base); };
  auto not_found = [&] { RenderError(res, 404, "Not Found", "No flow found with that id"); };
  const std::string id(route.customer_id);
  const std::string& m = req.method;
  if (m == "GET") {
    Result<std::shared_ptr<const FlowSet>> set = config_.flows->Current();
    if (!set.ok()) return RenderStatus(res, set.status());
    if (route.resource == Resource::kFlows) {
      std::vector<const Flow*> all;
      for (const Flow& f : (*set)->flows) all.push_back(&f);
      return RenderList(res, all, write);
    }
    // /v2/flows/{slug}/fields names the flow by its slug; an id is accepted too.
    const Flow* flow = (*set)->FindFlow(id);
    if (flow == nullptr && route.resource != Resource::kFlow) flow = (*set)->FindFlowBySlug(id);
    if (flow == nullptr) return not_found();
    if (route.resource == Resource::kFlow) return RenderOne(res, 200, *flow, write);
    std::vector<const FlowField*> fields = (*set)->FieldsOf(flow->id);
    if (route.resource == Resource::kFlowFields) return RenderList(res, fields, write_field);
    for (const FlowField* f : fields) {
      if (f->id == route.address_id) return RenderOne(res, 200, *f, write_field);
    }
    RenderError(res, 404, "Not Found", "No field found with that id");
    return;
  }
  if (m == "DELETE") {
    bool missing = false;
    Result<std::shared_ptr<const FlowSet>> set = config_.flows->Change([&](FlowSet& s) {
      auto it =
          std::find_if(s.flows.begin(), s.flows.end(), [&](const Flow& f) { return f.id == id; });
      if (it == s.flows.end()) {
        missing = true;
        return Status::Invalid("id", "no such flow");
      }
      // The Flows reference: core flows cannot be deleted once created.
      if (it->slug == "customers" || it->slug == "addresses") {
        return Status::Invalid("slug", "the core flow " + it->slug + " cannot be deleted");
      }
      std::erase_if(s.fields, [&](const FlowField& f) { return f.flow_id == id; });
      s.flows.erase(it);
      return Status::Ok();
    });
    if (missing) return not_found();
    if (!set.ok()) return RenderStatus(res, set.status());
    return RenderNoContent(res);
  }
  std::optional<simdjson::dom::object> data = ReadData(req, "flow", res);
  if (!data) return;
  const bool creating = m == "POST";
  Flow read;
  if (creating) {
    if (Status s = ReadFlow(*data, false, read); !s.ok()) return RenderStatus(res, s);
    read.id = NewUuid();
  }
  bool missing = false;
  Flow result;
  Result<std::shared_ptr<const FlowSet>> set = config_.flows->Change([&](FlowSet& s) {
    const int64_t now = NowMillis();
    Flow flow = read;
    Flow* stored = nullptr;
    if (creating) {
      flow.created_at = now;
    } else {
      for (Flow& f : s.flows) {
        if (f.id == id) stored = &f;
      }
      if (stored == nullptr) {
        missing = true;
        return Status::Invalid("id", "no such flow");
      }
      flow = *stored;
      if (Status st = ReadFlow(*data, true, flow); !st.ok()) return st;
    }
    flow.updated_at = now;
    if (Status st = CheckFlowSlug(s, flow); !st.ok()) return st;
    if (stored != nullptr) {
      *stored = flow;
    } else {
      s.flows.push_back(flow);
    }
    result = flow;
    return Status::Ok();
  });
  if (missing) return not_found();
  if (!set.ok()) return RenderStatus(res, set.status());
  RenderOne(res, creating ? 201 : 200, result, write);
}

void ElasticPathDialect::HandleFields(const Route& route, const httplib::Request& req,
                                      httplib::Response& res) {
  const std::string base = BaseUrl(req);
  auto write = [&](JsonWriter& w, const FlowField& f) { WriteFlowField(w, f, base); };
  auto not_found = [&] { RenderError(res, 404, "Not Found", "No field found with that id"); };
  const std::string id(route.customer_id);
  const std::string& m = req.method;
  if (m == "GET") {
    Result<std::shared_ptr<const FlowSet>> set = config_.flows->Current();
    if (!set.ok()) return RenderStatus(res, set.status());
    if (route.resource == Resource::kFields) {
      std::vector<const FlowField*> all;
      for (const FlowField& f : (*set)->fields) all.push_back(&f);
      return RenderList(res, all, write);
    }
    const FlowField* field = (*set)->FindField(id);
    if (field == nullptr) return not_found();
    return RenderOne(res, 200, *field, write);
  }
  if (m == "DELETE") {
    bool missing = false;
    Result<std::shared_ptr<const FlowSet>> set = config_.flows->Change([&](FlowSet& s) {
      if (std::erase_if(s.fields, [&](const FlowField& f) { return f.id == id; }) == 0) {
        missing = true;
        return Status::Invalid("id", "no such field");
      }
      return Status::Ok();
    });
    if (missing) return not_found();
    if (!set.ok()) return RenderStatus(res, set.status());
    return RenderNoContent(res);
  }
  std::optional<simdjson::dom::object> data = ReadData(req, "field", res);
  if (!data) return;
  const bool creating = m == "POST";
  FlowField read;
  std::optional<std::string> flow_id;
  if (creating) {
    if (Status s = ReadFlowField(*data, false, read, flow_id); !s.ok()) return RenderStatus(res, s);
    if (!flow_id) {
      return RenderError(res, 400, "Bad Request", "relationships.flow.data.id is required",
                         "data.relationships.flow.data.id");
    }
    read.id = NewUuid();
    read.flow_id = *flow_id;
  }
  bool missing = false;
  FlowField result;
  Result<std::shared_ptr<const FlowSet>> set = config_.flows->Change([&](FlowSet& s) {
    const int64_t now = NowMillis();
    FlowField field = read;
    FlowField* stored = nullptr;
    if (creating) {
      field.created_at = now;
    } else {
      for (FlowField& f : s.fields) {
        if (f.id == id) stored = &f;
      }
      if (stored == nullptr) {
        missing = true;
        return Status::Invalid("id", "no such field");
      }
      field = *stored;
      std::optional<std::string> moved;
      if (Status st = ReadFlowField(*data, true, field, moved); !st.ok()) return st;
      if (moved && *moved != field.flow_id) {
        return Status::Invalid("relationships.flow.data.id", "a field cannot move to another flow");
      }
    }
    field.updated_at = now;
    if (Status st = CheckFieldSlug(s, field); !st.ok()) return st;
    if (stored != nullptr) {
      *stored = field;
    } else {
      s.fields.push_back(field);
    }
    result = field;
    return Status::Ok();
  });
  if (missing) return not_found();
  if (!set.ok()) return RenderStatus(res, set.status());
  RenderOne(res, creating ? 201 : 200, result, write);
}

}  // namespace gateway::elastic_path
