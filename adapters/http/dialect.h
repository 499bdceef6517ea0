// Dialect: one platform's API, mounted by the HTTP host under its own paths.
//
// A new dialect is added by implementing this interface and handing it to
// GatewayServer; the host never switches on dialect names.
//
// Thread-safety: Handle is called concurrently from the server's workers.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

namespace gateway::http {

// How a request is named in the request log: never with ids or arguments.
struct RouteInfo {
  std::string_view dialect;  // "elastic_path", "microbase"
  std::string route;         // the path with ids replaced: "/v2/customers/{id}"
  std::string customer_id;   // the customer the path names, if it names one
};

class Dialect {
 public:
  virtual ~Dialect() = default;

  // True when this dialect answers requests for `path`.
  virtual bool Owns(std::string_view path) const = 0;
  virtual void Handle(const httplib::Request& req, httplib::Response& res) = 0;
  // The dialect's name and the route template of a request it owns; a
  // dialect that does not say is logged as "other" with no route.
  virtual RouteInfo Describe(const httplib::Request&) const { return {"other", "{unmatched}", ""}; }
  // For a request that presents credentials (a password, a client secret):
  // the account it names, lower-cased ("" when it names none), so the host can
  // limit attempts per client address and failures per account. nullopt
  // for every other request, and for every request of a dialect that takes
  // no credentials.
  virtual std::optional<std::string> CredentialAccount(const httplib::Request&) const {
    return std::nullopt;
  }
  // Whether `res`, the answer to such a request, refuses the credentials.
  virtual bool RefusesCredentials(const httplib::Response&) const { return false; }
  // Renders a failure the host found before the dialect ran (413 body too
  // large, 400 unreadable request, 429 too many attempts, 500 internal), in this dialect's format.
  virtual void RenderHostError(int status, std::string_view detail,
                               httplib::Response& res) const = 0;
};

}  // namespace gateway::http
