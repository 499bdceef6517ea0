// CorsPolicy: cross-origin access for browser clients of both dialects, from
// one list of allowed origins (--cors-origins).
//
// Storefronts call Elastic Path from the browser with implicit and customer
// tokens, and MicroBase has always answered any origin; the host applies one
// policy to every answer so the two dialects cannot disagree.
//
// Thread-safety: immutable after construction; safe from any thread.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>
#include <vector>

namespace gateway::http {

class CorsPolicy {
 public:
  // `origins`: exact origins ("https://shop.example.com"), "*" for any, or
  // empty for none (no CORS headers, preflights left to the dialects).
  explicit CorsPolicy(std::vector<std::string> origins);

  // Parses --cors-origins: "*", "none", or a comma-separated list of
  // origins; empty `error` when it is well-formed.
  static std::vector<std::string> Parse(std::string_view text, std::string& error);

  // A browser's preflight: OPTIONS with Origin and Access-Control-Request-Method.
  static bool IsPreflight(const httplib::Request& req);
  // Answers a preflight: 204 with what may be sent, or 204 without any
  // allowance for an origin not in the list (the browser then refuses).
  void AnswerPreflight(const httplib::Request& req, httplib::Response& res) const;
  // Adds the allow-origin headers to an actual answer.
  void Decorate(const httplib::Request& req, httplib::Response& res) const;
  // For answers made before the request was parsed: allows any origin when
  // the policy does, otherwise nothing (the Origin is not known).
  void DecorateUnparsed(httplib::Response& res) const;

 private:
  // The Access-Control-Allow-Origin value for `origin`, or "" when denied.
  std::string AllowedOrigin(std::string_view origin) const;

  std::vector<std::string> origins_;
  bool any_ = false;
};

}  // namespace gateway::http
