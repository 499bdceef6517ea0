#include "adapters/microbase_v1/microbase_dialect.h"

#include <openssl/crypto.h>

#include "adapters/http/json_body.h"
#include "adapters/http/request_util.h"
#include "adapters/microbase_v1/errors.h"
#include "adapters/microbase_v1/mapping.h"
#include "adapters/microbase_v1/schema.h"
#include "core/clock.h"
#include "core/json_writer.h"
#include "core/validation.h"

namespace gateway::microbase {
namespace {

constexpr std::string_view kPrefix = "/services/customer/v1/";
constexpr std::string_view kTokenPath = "/services/oauth/v2/token";

bool SecretEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

// Merges body and query arguments into one JSON object text, query last so
// it wins. `a[]=x` query keys become arrays, as MicroBase's query parser does.
std::optional<std::string> MergeArguments(const httplib::Request& req, std::string& error) {
  std::vector<std::pair<std::string, std::string>> members;  // key, JSON value
  auto put = [&](std::string key, std::string json) {
    for (auto& m : members) {
      if (m.first == key) {
        m.second = std::move(json);
        return;
      }
    }
    members.emplace_back(std::move(key), std::move(json));
  };
  auto put_params = [&](const http::Params& params) {
    std::vector<std::pair<std::string, std::vector<std::string>>> arrays;
    for (const auto& [k, v] : params) {
      if (k.size() > 2 && k.compare(k.size() - 2, 2, "[]") == 0) {
        std::string base = k.substr(0, k.size() - 2);
        auto it = std::find_if(arrays.begin(), arrays.end(), [&](auto& a) { return a.first == base; });
        if (it == arrays.end()) {
          arrays.push_back({base, {v}});
        } else {
          it->second.push_back(v);
        }
      } else {
        put(k, Quoted(v));
      }
    }
    for (auto& [k, values] : arrays) put(k, JsonStringArray(values));
  };

  std::string_view body = req.body;
  size_t first = body.find_first_not_of(" \t\r\n");
  // A body that is plainly a JSON object is read as JSON whatever its
  // Content-Type says: `curl -d '{...}'` labels it as a form.
  const bool looks_json = first != std::string_view::npos && (body[first] == '{' || body[first] == '[');
  if (http::IsFormBody(req) && !looks_json) {
    put_params(http::ParseUrlEncoded(body));
  } else if (first != std::string_view::npos) {
    auto root = http::ParseJson(body, error);
    if (!root) return std::nullopt;
    simdjson::dom::object obj;
    if (root->get(obj)) {
      // A non-object body is passed through so the schema reports "should be object".
      if (!http::RawQuery(req).empty()) {
        error = "arguments must be a JSON object";
        return std::nullopt;
      }
      return std::string(body);
    }
    for (auto field : obj) put(std::string(field.key), simdjson::to_string(field.value));
  }
  put_params(http::ParseUrlEncoded(http::RawQuery(req)));

  std::string out = "{";
  for (size_t i = 0; i < members.size(); ++i) {
    if (i) out += ",";
    AppendJsonString(out, members[i].first);
    out += ":" + members[i].second;
  }
  return out + "}";
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
                                         std::initializer_list<std::string_view> keys,
                                         std::string_view prefix) {
  for (std::string_view k : keys) {
    std::string_view v;
    if (!o[k].get(v) && v.empty()) {
      return std::string(prefix) + std::string(k) + ": Path `" + std::string(k) + "` is required.";
    }
  }
  return std::nullopt;
}

}  // namespace

MicroBaseDialect::MicroBaseDialect(CustomerService& service, const TokenSigner& signer,
                                   Config config)
    : service_(service),
      signer_(signer),
      config_(std::move(config)),
      methods_{
          {"customer.create", &MicroBaseDialect::Create},
          {"customer.info", &MicroBaseDialect::Info},
      } {}

bool MicroBaseDialect::Owns(std::string_view path) const {
  return path.rfind(kPrefix, 0) == 0 || path == kTokenPath;
}

void MicroBaseDialect::RenderHostError(int status, std::string_view detail,
                                       httplib::Response& res) const {
  RenderFailure(res, status == 413 ? "payload_too_large" : "request_error", Quoted(detail), status);
}

void MicroBaseDialect::Handle(const httplib::Request& req, httplib::Response& res) {
  if (req.path == kTokenPath) return IssueToken(req, res);

  std::string_view name = std::string_view(req.path).substr(kPrefix.size());
  if (!name.empty() && name.back() == '/') name.remove_suffix(1);
  auto method = methods_.find(name);
  if (method == methods_.end()) {
    return RenderFailure(res, "method_not_found",
                         Quoted("No method " + std::string(name) + " in customer v1"), 404);
  }

  std::optional<std::string> bearer = http::BearerToken(req);
  if (!bearer) return RenderFailure(res, "invalid_token", {}, 401);
  Result<TokenClaims> claims = signer_.Verify(*bearer, NowMillis() / 1000);
  // Shopper-level tokens minted for Elastic Path never reach MicroBase's
  // back-office API.
  if (!claims.ok() || claims->scope == TokenScope::kImplicit ||
      claims->scope == TokenScope::kCustomer) {
    return RenderFailure(res, "invalid_token", {}, 401);
  }

  std::string error;
  std::optional<std::string> merged = MergeArguments(req, error);
  if (!merged) return RenderFailure(res, "invalid_json", Quoted(error), 400);
  // Parse into this thread's parser; the merged text outlives the request.
  std::optional<simdjson::dom::element> args = http::ParseJson(*merged, error);
  if (!args) return RenderFailure(res, "invalid_json", Quoted(error), 400);
  simdjson::dom::object obj;
  if (args->get(obj)) {
    return RenderFailure(res, "validation_error", JsonStringArray({"payload: should be object"}));
  }
  (this->*(method->second))(obj, res);
}

void MicroBaseDialect::IssueToken(const httplib::Request& req, httplib::Response& res) {
  auto basic = http::BasicCredentials(req);
  http::Params form = http::ParseUrlEncoded(req.body);
  std::optional<std::string> id = basic ? std::optional(basic->first) : http::Find(form, "client_id");
  std::optional<std::string> secret =
      basic ? std::optional(basic->second) : http::Find(form, "client_secret");
  if (http::Find(form, "grant_type").value_or("") != "client_credentials") {
    return RenderFailure(res, "unsupported_grant_type",
                         Quoted("grant_type must be client_credentials"), 400);
  }
  if (!id || !secret || !SecretEquals(*id, config_.client_id) ||
      !SecretEquals(*secret, config_.client_secret)) {
    return RenderFailure(res, "invalid_client", {}, 401);
  }
  TokenClaims claims;
  claims.scope = TokenScope::kApi;
  claims.issuer = "customer-gateway";
  claims.subject = *id;
  claims.token_id = NewUuid();
  claims.issued_at = NowMillis() / 1000;
  claims.expires_at = claims.issued_at + config_.token_seconds;
  JsonWriter w;
  w.BeginObject().Field("ok", true);
  w.Field("access_token", signer_.Sign(claims)).Field("token_type", "Bearer");
  w.Field("expires_in", config_.token_seconds).Field("scope", "api");
  w.EndObject();
  http::SetJson(res, 200, w.Take());
}

void MicroBaseDialect::Create(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kCreate)) {
    return RenderFailure(res, "validation_error", JsonStringArray({*err}));
  }
  NewCustomer in;
  in.email = std::string(StringMember(args, "email"));
  if (!IsValidEmail(in.email)) return RenderStatus(res, ValidateEmail(in.email), in.email);

  simdjson::dom::array addresses;
  if (!args["addresses"].get(addresses)) {
    for (simdjson::dom::element e : addresses) {
      std::string_view country = StringMember(e.get_object().value_unsafe(), "country");
      if (!IsIsoCountryCode(country)) {
        return RenderStatus(res, Status::InvalidCountry("country", "invalid country"), country);
      }
    }
  }
  if (auto err = RequiredEmpty(args, {"email", "password", "firstName", "lastName"}, "")) {
    return RenderFailure(res, "validation_error", JsonStringArray({*err}));
  }
  size_t i = 0;
  if (!args["addresses"].get(addresses)) {
    for (simdjson::dom::element e : addresses) {
      simdjson::dom::object a = e.get_object().value_unsafe();
      std::string prefix = "addresses." + std::to_string(i++) + ".";
      if (auto err = RequiredEmpty(a, {"name", "firstName", "address_1", "postCode", "city",
                                       "state", "country"},
                                   prefix)) {
        return RenderFailure(res, "validation_error", JsonStringArray({*err}));
      }
      in.addresses.push_back(ReadAddress(a));
    }
  }
  std::string_view status;
  if (!args["status"].get(status)) {
    in.status = ParseStatus(status);
    if (!in.status) {
      return RenderFailure(res, "validation_error",
                           JsonStringArray({"status: `" + std::string(status) +
                                            "` is not a valid enum value for path `status`."}));
    }
  }
  in.password = std::string(StringMember(args, "password"));
  in.first_name = std::string(StringMember(args, "firstName"));
  in.last_name = std::string(StringMember(args, "lastName"));
  simdjson::dom::array tags;
  if (!args["tags"].get(tags)) {
    for (simdjson::dom::element t : tags) in.tags.emplace_back(t.get_string().value_unsafe());
  }
  Result<Customer> created = service_.Create(std::move(in));
  if (!created.ok()) return RenderStatus(res, created.status());
  RenderCustomer(res, *created);
}

void MicroBaseDialect::Info(simdjson::dom::object args, httplib::Response& res) {
  if (auto err = Validate(args, schemas::kInfo)) {
    return RenderFailure(res, "validation_error", JsonStringArray({*err}));
  }
  std::string_view id = StringMember(args, "id");
  Result<Customer> c = service_.Get(id);
  if (!c.ok()) return RenderStatus(res, c.status(), id);
  RenderCustomer(res, *c);
}

}  // namespace gateway::microbase
