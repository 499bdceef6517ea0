#include "adapters/microbase_v1/microbase_dialect.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <utility>
#include <vector>

#include "adapters/http/json_body.h"
#include "adapters/http/request_util.h"
#include "adapters/microbase_v1/arguments.h"
#include "adapters/microbase_v1/errors.h"
#include "adapters/microbase_v1/list_request.h"
#include "adapters/microbase_v1/mapping.h"
#include "adapters/microbase_v1/schema.h"
#include "common/base64.h"
#include "common/iso_time.h"
#include "common/json_writer.h"
#include "common/secure_compare.h"
#include "common/uuid.h"
#include "core/validation.h"

namespace gateway::microbase {
namespace {

// The scope this dialect mints, as MicroBase's OAuth service does.
constexpr std::string_view kApiScope = "api";

// Scopes allowed on this back-office API: our own, and Elastic Path's
// client_credentials (a back-office grant too). Anything else is refused,
// shopper-level Elastic Path tokens (implicit, customer) included.
bool IsBackOfficeScope(std::string_view scope) {
  return scope == kApiScope || scope == "client_credentials";
}

constexpr std::string_view kPrefix = "/services/customer/v1/";
constexpr std::string_view kTokenPath = "/services/oauth/v2/token";
// MicroBase's health method (microbase src/modules/services: public, any
// HTTP method, answers {"answer":"pong"}).
constexpr std::string_view kPing = "micro.ping";

// Required strings that mongoose would refuse when empty.
constexpr std::array<std::string_view, 4> kRequiredCustomerFields = {"email", "password",
                                                                     "firstName", "lastName"};
constexpr std::array<std::string_view, 7> kRequiredAddressFields = {
    "name", "firstName", "address_1", "postCode", "city", "state", "country"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Express matches routes case-insensitively.
bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && Lower(s.substr(0, prefix.size())) == prefix;
}

void RenderOk(httplib::Response& res) {
  JsonWriter w;
  w.BeginObject().Field("ok", true).EndObject();
  http::SetJson(res, 200, w.Take());
}

void RenderCustomer(httplib::Response& res, const Customer& c) {
  JsonWriter w;
  w.BeginObject().Field("ok", true).Key("customer");
  WriteCustomer(w, c);
  w.EndObject();
  http::SetJson(res, 200, w.Take());
}

std::string_view StringMember(simdjson::dom::object o, std::string_view key) {
  std::string_view s;
  return o[key].get(s) ? std::string_view() : s;
}

// MicroBase stores with mongoose, which rejects empty required strings after
// the JSON schema passed; this reproduces those messages.
std::optional<std::string> RequiredEmpty(simdjson::dom::object o,
                                         std::span<const std::string_view> keys,
                                         std::string_view prefix) {
  for (std::string_view k : keys) {
    std::string_view v;
    if (!o[k].get(v) && v.empty()) {
      return std::string(prefix) + std::string(k) + ": Path `" + std::string(k) + "` is required.";
    }
  }
  return std::nullopt;
}

// mongoose's message for a status outside its enum.
std::string StatusEnumMessage(std::string_view status) {
  return "status: `" + std::string(status) + "` is not a valid enum value for path `status`.";
}

// The first address whose country is not an ISO 3166-1 alpha-2 code, checked
// before anything else as MicroBase does.
std::optional<std::string_view> InvalidCountry(simdjson::dom::array addresses) {
  for (simdjson::dom::element e : addresses) {
    std::string_view country = StringMember(e.get_object().value_unsafe(), "country");
    if (!IsIsoCountryCode(country)) return country;
  }
  return std::nullopt;
}

// Empty required address fields, which the reference would store and then
// trip over on the next save of that customer: refused up front instead.
std::optional<std::string> EmptyAddressField(simdjson::dom::array addresses) {
  size_t i = 0;
  for (simdjson::dom::element e : addresses) {
    std::string prefix = "addresses." + std::to_string(i++) + ".";
    if (auto err = RequiredEmpty(e.get_object().value_unsafe(), kRequiredAddressFields, prefix)) {
      return err;
    }
  }
  return std::nullopt;
}

std::vector<Address> ReadAddresses(simdjson::dom::array addresses) {
  std::vector<Address> out;
  for (simdjson::dom::element e : addresses)
    out.push_back(ReadAddress(e.get_object().value_unsafe()));
  return out;
}

}  // namespace

MicroBaseDialect::MicroBaseDialect(CustomerService& service, const TokenService& signer,
                                   Config config)
    : service_(service),
      signer_(signer),
      config_(std::move(config)),
      methods_{
          {"customer.create", &MicroBaseDialect::Create},
          {"customer.info", &MicroBaseDialect::Info},
          {"customer.update", &MicroBaseDialect::Update},
          {"customer.remove", &MicroBaseDialect::Remove},
          {"customer.list", &MicroBaseDialect::List},
          {"customer.checkcredentials", &MicroBaseDialect::CheckCredentials},
          {"customer.address.create", &MicroBaseDialect::AddressCreate},
          {"customer.address.info", &MicroBaseDialect::AddressInfo},
          {"customer.address.update", &MicroBaseDialect::AddressUpdate},
          {"customer.address.remove", &MicroBaseDialect::AddressRemove},
      } {}

bool MicroBaseDialect::Owns(std::string_view path) const {
  return StartsWithNoCase(path, kPrefix) || Lower(path) == kTokenPath;
}

http::RouteInfo MicroBaseDialect::Describe(const httplib::Request& req) const {
  http::RouteInfo info{"microbase", "", ""};
  std::string path = Lower(req.path);
  if (path == kTokenPath) {
    info.route = kTokenPath;
    return info;
  }
  std::string name = path.substr(std::min(path.size(), kPrefix.size()));
  if (!name.empty() && name.back() == '/') name.pop_back();
  const bool known = methods_.count(name) || name == kPing;
  info.route = std::string(kPrefix) + (known ? name : "{unknown}");
  return info;
}

std::optional<std::string> MicroBaseDialect::CredentialAccount(const httplib::Request& req) const {
  std::string path = Lower(req.path);
  if (path == kTokenPath) {
    auto basic = http::BasicCredentials(req);
    if (basic) return EmailKey(basic->first);
    return EmailKey(http::Find(http::ParseUrlEncoded(req.body), "client_id").value_or(""));
  }
  if (!path.empty() && path.back() == '/') path.pop_back();
  if (path != std::string(kPrefix) + "customer.checkcredentials") return std::nullopt;
  ArgumentsError arguments_error;
  std::optional<std::string> merged = MergeArguments(
      {req.body, req.get_header_value("Content-Type"), http::RawQuery(req)}, arguments_error);
  if (!merged) return "";
  std::string_view email;
  std::string error;
  auto root = http::ParseJson(*merged, error);
  if (!root || (*root)["email"].get(email)) return "";
  return EmailKey(email);
}

bool MicroBaseDialect::RefusesCredentials(const httplib::Response& res) const {
  // checkCredentials answers a wrong password with 200, as MicroBase does.
  return res.status == 401 || res.body.rfind(R"({"ok":false,"error":"bad_credentials")", 0) == 0;
}

void MicroBaseDialect::RenderHostError(int status, std::string_view detail,
                                       httplib::Response& res) const {
  RenderFailure(res, status == 413 ? "payload_too_large" : "request_error",
                DataText(std::string(detail)), status);
}

void MicroBaseDialect::Handle(const httplib::Request& req, httplib::Response& res) {
  // MicroBase answers OPTIONS for any path before routing (the host answers
  // browsers' CORS preflights, and adds the allow-origin headers, for both dialects).
  if (req.method == "OPTIONS") {
    res.status = 204;
    return;
  }
  if (Lower(req.path) == kTokenPath) return IssueToken(req, res);

  // The body is read before routing, so an unreadable one is a 400 even for
  // an unknown method or without a token, as in MicroBase.
  ArgumentsError bad;
  std::optional<std::string> merged =
      MergeArguments({req.body, req.get_header_value("Content-Type"), http::RawQuery(req)}, bad);
  if (!merged) return RenderFailure(res, bad.code, DataText(bad.detail), 400);

  std::string name = Lower(std::string_view(req.path).substr(kPrefix.size()));
  if (!name.empty() && name.back() == '/') name.pop_back();
  if (name == kPing) return http::SetJson(res, 200, R"({"answer":"pong"})");
  auto method = methods_.find(name);
  if (method == methods_.end()) {
    return RenderFailure(
        res, "method_not_found",
        DataText("No method " + req.path.substr(kPrefix.size()) + " in customer v1"), 404);
  }

  std::optional<std::string> bearer = http::BearerToken(req);
  if (!bearer) return RenderFailure(res, "invalid_token", {}, 401);
  Result<TokenClaims> claims = signer_.Verify(*bearer, NowMillis() / 1000);
  if (!claims.ok() || !IsBackOfficeScope(claims->scope)) {
    return RenderFailure(res, "invalid_token", {}, 401);
  }

  // The elements point into this thread's parser and stay valid while
  // `merged` lives, i.e. for the rest of this call.
  std::string error;
  std::optional<simdjson::dom::element> args = http::ParseJson(*merged, error);
  if (!args) return RenderFailure(res, "invalid_json", DataText(error), 400);
  simdjson::dom::object obj;
  if (args->get(obj)) return RenderValidation(res, "payload: should be object");
  (this->*(method->second))(obj, res);
}

void MicroBaseDialect::IssueToken(const httplib::Request& req, httplib::Response& res) {
  auto basic = http::BasicCredentials(req);
  http::Params form = http::ParseUrlEncoded(req.body);
  std::optional<std::string> id =
      basic ? std::optional(basic->first) : http::Find(form, "client_id");
  std::optional<std::string> secret =
      basic ? std::optional(basic->second) : http::Find(form, "client_secret");
  if (http::Find(form, "grant_type").value_or("") != "client_credentials") {
    return RenderFailure(res, "unsupported_grant_type",
                         DataText("grant_type must be client_credentials"), 400);
  }
  if (!id || !secret || !ConstantTimeEquals(*id, config_.client_id) ||
      !ConstantTimeEquals(*secret, config_.client_secret)) {
    return RenderFailure(res, "invalid_client", {}, 401);
  }
  TokenClaims claims;
  claims.scope = std::string(kApiScope);
  claims.issuer = "customer-gateway";
  claims.subject = *id;
  claims.token_id = NewUuid();
  claims.issued_at = NowMillis() / 1000;
  claims.expires_at = claims.issued_at + config_.token_seconds;
  JsonWriter w;
  w.BeginObject().Field("ok", true);
  w.Field("access_token", signer_.Sign(claims)).Field("token_type", "Bearer");
  w.Field("expires_in", config_.token_seconds).Field("scope", kApiScope);
  w.EndObject();
  http::SetJson(res, 200, w.Take());
}

void MicroBaseDialect::Create(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kCreate)) return RenderValidation(res, *err);
  NewCustomer in;
  in.email = std::string(StringMember(args, "email"));
  if (!IsValidEmail(in.email))
    return RenderStatus(res, ValidateEmail(in.email), {.email = in.email});

  simdjson::dom::array addresses;
  const bool has_addresses = !args["addresses"].get(addresses);
  if (has_addresses) {
    if (auto country = InvalidCountry(addresses)) {
      return RenderStatus(res, Status::InvalidCountry("country", "invalid country"),
                          {.country = *country});
    }
  }
  if (auto err = RequiredEmpty(args, kRequiredCustomerFields, "")) {
    return RenderValidation(res, *err);
  }
  if (has_addresses) {
    if (auto err = EmptyAddressField(addresses)) return RenderValidation(res, *err);
    in.addresses = ReadAddresses(addresses);
  }
  std::string_view status;
  if (!args["status"].get(status)) {
    in.status = ParseStatus(status);
    if (!in.status) return RenderValidation(res, StatusEnumMessage(status));
  }
  in.password = std::string(StringMember(args, "password"));
  in.first_name = std::string(StringMember(args, "firstName"));
  in.last_name = std::string(StringMember(args, "lastName"));
  in.text_fields = ReadTextFields(args);
  simdjson::dom::array tags;
  if (!args["tags"].get(tags)) {
    for (simdjson::dom::element t : tags) in.tags.emplace_back(t.get_string().value_unsafe());
  }
  Result<Customer> created = service_.Create(std::move(in));
  if (!created.ok()) return RenderStatus(res, created.status());
  RenderCustomer(res, *created);
}

void MicroBaseDialect::Info(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kInfo)) return RenderValidation(res, *err);
  std::string_view id = StringMember(args, "id");
  Result<Customer> c = service_.Get(id);
  if (!c.ok()) return RenderStatus(res, c.status(), {.id = id});
  RenderCustomer(res, *c);
}

void MicroBaseDialect::Update(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kUpdate)) return RenderValidation(res, *err);
  const std::string_view id = StringMember(args, "id");
  // MicroBase assigns `msg.field || current`: an empty string changes nothing,
  // while `tags: []` (an array is truthy) clears the tags. Password and
  // addresses are not this method's business.
  CustomerPatch patch;
  if (std::string_view v = StringMember(args, "firstName"); !v.empty()) patch.first_name = v;
  if (std::string_view v = StringMember(args, "lastName"); !v.empty()) patch.last_name = v;
  patch.text_fields = ReadTextFields(args);
  simdjson::dom::array tags;
  if (!args["tags"].get(tags)) {
    patch.tags.emplace();
    for (simdjson::dom::element t : tags) patch.tags->emplace_back(t.get_string().value_unsafe());
  }
  const std::string_view email = StringMember(args, "email");
  const std::string_view status = StringMember(args, "status");
  const bool bad_email = !email.empty() && !IsValidEmail(email);
  const std::optional<CustomerStatus> parsed = ParseStatus(status);
  const bool bad_status = !status.empty() && !parsed;
  if (bad_email || bad_status) {
    // MicroBase looks the customer up first, then checks the email, and the
    // status only when saving: answer in that order.
    Result<Customer> current = service_.Get(id);
    if (!current.ok()) return RenderStatus(res, current.status(), {.id = id});
    if (bad_email) return RenderStatus(res, ValidateEmail(email), {.email = email});
    return RenderValidation(res, StatusEnumMessage(status));
  }
  if (!email.empty()) patch.email = email;
  if (!status.empty()) patch.status = parsed;
  Result<Customer> updated = service_.Update(id, std::move(patch));
  if (!updated.ok()) return RenderStatus(res, updated.status(), {.id = id});
  RenderCustomer(res, *updated);
}

void MicroBaseDialect::Remove(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kInfo)) return RenderValidation(res, *err);
  std::string_view id = StringMember(args, "id");
  if (Status s = service_.Remove(id); !s.ok()) return RenderStatus(res, s, {.id = id});
  RenderOk(res);
}

void MicroBaseDialect::List(simdjson::dom::object args, httplib::Response& res) {
  ListRequest request;
  if (auto err = ReadListRequest(args, request)) return RenderValidation(res, *err);
  Result<CustomerPage> found = service_.List(request.query);
  if (!found.ok()) return RenderStatus(res, found.status());
  const CustomerPage& page = *found;
  JsonWriter w;
  w.BeginObject().Field("ok", true);
  w.Key("page").BeginObject();
  w.Field("limit", request.query.limit).Field("skip", request.query.offset);
  w.EndObject();
  w.Key("data").BeginArray();
  for (const Customer& c : page.customers) WriteCustomer(w, c, request.members);
  w.EndArray();
  w.EndObject();
  http::SetJson(res, 200, w.Take());
}

void MicroBaseDialect::CheckCredentials(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kCheckCredentials)) return RenderValidation(res, *err);
  std::string_view email = StringMember(args, "email");
  Result<Customer> c = service_.Authenticate(email, StringMember(args, "password"));
  if (!c.ok()) return RenderStatus(res, c.status(), {.email = email});
  RenderOk(res);
}

void MicroBaseDialect::AddressCreate(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kAddressCreate)) return RenderValidation(res, *err);
  const std::string_view customer_id = StringMember(args, "customerId");
  simdjson::dom::array addresses = args["addresses"].get_array().value_unsafe();
  // The country is checked before the customer is looked up, as in MicroBase.
  if (auto country = InvalidCountry(addresses)) {
    return RenderStatus(res, Status::InvalidCountry("country", "invalid country"),
                        {.country = *country});
  }
  if (auto err = EmptyAddressField(addresses)) return RenderValidation(res, *err);
  std::vector<Address> added = ReadAddresses(addresses);
  // Unlike the reference, every new address gets an id (see docs/microbase-v1.md).
  Result<Customer> c = added.empty() ? service_.Get(customer_id)
                                     : service_.AddAddresses(customer_id, std::move(added));
  if (!c.ok()) return RenderStatus(res, c.status(), {.customer_id = customer_id});
  RenderCustomer(res, *c);
}

void MicroBaseDialect::AddressInfo(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kAddressInfo)) return RenderValidation(res, *err);
  const std::string_view customer_id = StringMember(args, "customerId");
  const std::string_view address_id = StringMember(args, "addressId");
  Result<Address> a = service_.GetAddress(customer_id, address_id);
  if (!a.ok()) {
    return RenderStatus(res, a.status(), {.customer_id = customer_id, .address_id = address_id});
  }
  JsonWriter w;
  w.BeginObject().Field("ok", true).Key("address");
  WriteAddress(w, *a);
  w.EndObject();
  http::SetJson(res, 200, w.Take());
}

void MicroBaseDialect::AddressUpdate(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kAddressUpdate)) return RenderValidation(res, *err);
  const std::string_view customer_id = StringMember(args, "customerId");
  simdjson::dom::object address = args["address"].get_object().value_unsafe();
  const std::string_view address_id = StringMember(address, "id");
  const Subject subject{.customer_id = customer_id, .address_id = address_id};
  std::string_view country = StringMember(address, "country");
  if (!IsIsoCountryCode(country)) {
    return RenderStatus(res, Status::InvalidCountry("country", "invalid country"),
                        {.country = country});
  }
  if (auto err = RequiredEmpty(address, kRequiredAddressFields, "address.")) {
    return RenderValidation(res, *err);
  }
  // MicroBase replaces the whole address with the one sent.
  Result<Customer> c =
      service_.UpdateAddress(customer_id, address_id, ReadAddressReplacement(address));
  if (!c.ok()) return RenderStatus(res, c.status(), subject, NotFound::kCombined);
  RenderCustomer(res, *c);
}

void MicroBaseDialect::AddressRemove(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kAddressInfo)) return RenderValidation(res, *err);
  const std::string_view customer_id = StringMember(args, "customerId");
  const std::string_view address_id = StringMember(args, "addressId");
  const Subject subject{.customer_id = customer_id, .address_id = address_id};
  Result<Customer> c = service_.RemoveAddress(customer_id, address_id);
  // Removing an address the customer does not have succeeds, unchanged, as
  // MicroBase's `$pull` does.
  if (!c.ok() && c.status().code() == ErrorCode::kAddressNotFound) c = service_.Get(customer_id);
  if (!c.ok()) return RenderStatus(res, c.status(), subject, NotFound::kCombined);
  RenderCustomer(res, *c);
}

}  // namespace gateway::microbase
