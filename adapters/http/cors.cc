#include "adapters/http/cors.h"

#include <algorithm>

#include "common/text.h"

namespace gateway::http {
namespace {

constexpr const char* kMethods = "GET, HEAD, POST, PUT, PATCH, DELETE";
// What the Elastic Path SDKs and MicroBase clients send; used when a
// preflight asks for headers that are not a plain list of names.
constexpr const char* kHeaders =
    "Authorization, Content-Type, X-Moltin-Customer-Token, X-Moltin-Currency, "
    "X-Moltin-Language, X-Moltin-Locale, X-Moltin-Channel, X-Moltin-Settings-Page-Length, "
    "X-Moltin-SDK-Language, X-Moltin-SDK-Version, X-Request-Id";
constexpr const char* kExposed = "Retry-After, X-Request-Id";

bool IsHeaderList(std::string_view s) { return IsAsciiToken(s, 1024, "-_, "); }

bool IsOrigin(std::string_view s) {
  if (s.rfind("http://", 0) != 0 && s.rfind("https://", 0) != 0) return false;
  return IsAsciiToken(s.substr(s.find("://") + 3), std::string_view::npos, "-.:[]");
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {
  any_ = std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
}

std::vector<std::string> CorsPolicy::Parse(std::string_view text, std::string& error) {
  error.clear();
  if (text == "none") return {};
  if (text == "*") return {"*"};
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view one = text.substr(0, comma);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
    if (!IsOrigin(one)) {
      error = "'" + std::string(one) + "' is not an origin like https://shop.example.com";
      return {};
    }
    out.emplace_back(one);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (out.empty()) error = "no origin given";
  return out;
}

bool CorsPolicy::IsPreflight(const httplib::Request& req) {
  return req.method == "OPTIONS" && req.has_header("Origin") &&
         req.has_header("Access-Control-Request-Method");
}

std::string CorsPolicy::AllowedOrigin(std::string_view origin) const {
  if (any_) return "*";
  for (const std::string& o : origins_) {
    if (o == origin) return o;
  }
  return "";
}

void CorsPolicy::AnswerPreflight(const httplib::Request& req, httplib::Response& res) const {
  res.status = 204;
  res.set_header("Vary", "Origin, Access-Control-Request-Headers");
  std::string allowed = AllowedOrigin(req.get_header_value("Origin"));
  if (allowed.empty()) return;
  res.set_header("Access-Control-Allow-Origin", allowed);
  res.set_header("Access-Control-Allow-Methods", kMethods);
  std::string asked = req.get_header_value("Access-Control-Request-Headers");
  res.set_header("Access-Control-Allow-Headers", IsHeaderList(asked) ? asked : kHeaders);
  res.set_header("Access-Control-Max-Age", "600");
}

void CorsPolicy::Decorate(const httplib::Request& req, httplib::Response& res) const {
  if (origins_.empty() || res.has_header("Access-Control-Allow-Origin")) return;
  if (!any_) res.set_header("Vary", "Origin");
  std::string allowed = AllowedOrigin(req.get_header_value("Origin"));
  if (allowed.empty()) return;
  res.set_header("Access-Control-Allow-Origin", allowed);
  res.set_header("Access-Control-Expose-Headers", kExposed);
}

void CorsPolicy::DecorateUnparsed(httplib::Response& res) const {
  if (any_ && !res.has_header("Access-Control-Allow-Origin")) {
    res.set_header("Access-Control-Allow-Origin", "*");
  }
}

}  // namespace gateway::http
