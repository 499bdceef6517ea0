// MicroBase's calling convention for arguments: one object merged from the
// request body and the query string, query members replacing body members of
// the same name (the framework's `Object.assign(body, query)`).
//
// Form bodies and query strings are decoded the way Express's "extended"
// parser (qs) does, so `tags[]=VIP`, `addresses[0][city]=Valencia` and
// `address[id]=x` build arrays and objects and a repeated key becomes an
// array. A JSON body must be an object or an array (body-parser's strict
// mode); an array is passed through so the method's schema can answer
// "payload: should be object".
//
// Pure functions of their inputs; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gateway::microbase {

struct RawArguments {
  std::string_view body;
  std::string_view content_type;
  std::string_view query;  // the raw query string, without '?'
};

// Why arguments could not be read, as a MicroBase error code and its detail.
struct ArgumentsError {
  std::string code;  // "invalid_json", or "invalid_encoding" for form or query text not UTF-8
  std::string detail;
};

// The merged arguments as JSON text, or nullopt with `error` saying why they
// could not be read.
std::optional<std::string> MergeArguments(const RawArguments& raw, ArgumentsError& error);

// Decodes form or query text as qs does, into a JSON object text; nullopt
// when a key or value is not UTF-8.
std::optional<std::string> DecodeQueryString(std::string_view text, std::string& error);

}  // namespace gateway::microbase
