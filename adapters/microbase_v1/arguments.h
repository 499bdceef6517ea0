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

// The merged arguments as JSON text, or nullopt with `error` saying why the
// body could not be read (malformed JSON).
std::optional<std::string> MergeArguments(const RawArguments& raw, std::string& error);

// Decodes form or query text as qs does, into a JSON object text.
std::string DecodeQueryString(std::string_view text);

}  // namespace gateway::microbase
