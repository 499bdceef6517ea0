// MicroBase argument merging: qs-style decoding of forms and query strings,
// JSON bodies, and the query winning over the body.
#include <doctest/doctest.h>

#include <string>

#include "adapters/microbase_v1/arguments.h"

namespace gateway::microbase {
namespace {

std::string Merge(std::string_view body, std::string_view content_type, std::string_view query) {
  std::string error;
  std::optional<std::string> out = MergeArguments({body, content_type, query}, error);
  return out ? *out : "error: " + error;
}

TEST_CASE("qs: plain pairs, '+' and percent escapes") {
  CHECK(DecodeQueryString("") == "{}");
  CHECK(DecodeQueryString("id=HkhhuXESl&limit=5") == R"({"id":"HkhhuXESl","limit":"5"})");
  CHECK(DecodeQueryString("email=john%40doe.com&name=John+Doe") ==
        R"({"email":"john@doe.com","name":"John Doe"})");
  CHECK(DecodeQueryString("flag&empty=") == R"({"flag":"","empty":""})");
  CHECK(DecodeQueryString("a=%E2%82%AC") == "{\"a\":\"\xE2\x82\xAC\"}");
  // What does not decode is kept as sent (decodeURIComponent would throw).
  CHECK(DecodeQueryString("a=100%") == R"({"a":"100%"})");
  CHECK(DecodeQueryString("a=%FF") == R"({"a":"%FF"})");
  CHECK(DecodeQueryString("=x&&b=1") == R"({"b":"1"})");
}

TEST_CASE("qs: repeated keys and [] build arrays") {
  CHECK(DecodeQueryString("id=a&id=b") == R"({"id":["a","b"]})");
  CHECK(DecodeQueryString("tags[]=VIP&tags[]=new") == R"({"tags":["VIP","new"]})");
  CHECK(DecodeQueryString("tags[]=VIP") == R"({"tags":["VIP"]})");
  CHECK(DecodeQueryString("tags%5B%5D=VIP") == R"({"tags":["VIP"]})");
}

TEST_CASE("qs: brackets build nested objects and indexed arrays") {
  CHECK(DecodeQueryString("address[id]=x&address[city]=Pawnee") ==
        R"({"address":{"id":"x","city":"Pawnee"}})");
  CHECK(DecodeQueryString("addresses[0][name]=Home&addresses[0][city]=P&addresses[1][name]=Work") ==
        R"({"addresses":[{"name":"Home","city":"P"},{"name":"Work"}]})");
  // Sparse indices are compacted; an index past 20 is an object key.
  CHECK(DecodeQueryString("a[1]=b&a[3]=c") == R"({"a":["b","c"]})");
  CHECK(DecodeQueryString("a[21]=x") == R"({"a":{"21":"x"}})");
  CHECK(DecodeQueryString("a[01]=x") == R"({"a":{"01":"x"}})");
  // An array meeting an object key becomes an object.
  CHECK(DecodeQueryString("a[0]=x&a[k]=y") == R"({"a":{"0":"x","k":"y"}})");
  // A plain value merged with a nested one.
  CHECK(DecodeQueryString("a=x&a[0]=y") == R"({"a":["x","y"]})");
}

TEST_CASE("qs: at most five levels of brackets; the rest is one literal key") {
  CHECK(DecodeQueryString("a[b][c][d][e][f][g][h]=x") ==
        R"({"a":{"b":{"c":{"d":{"e":{"f":{"[g][h]":"x"}}}}}}})");
}

TEST_CASE("merge: JSON bodies, with the query winning member by member") {
  CHECK(Merge(R"({"id":"body","limit":5})", "application/json", "") ==
        R"({"id":"body","limit":5})");
  CHECK(Merge(R"({"id":"body","limit":5})", "application/json", "id=query") ==
        R"({"id":"query","limit":5})");
  CHECK(Merge(R"({"tags":["a"]})", "application/json", "tags=b") == R"({"tags":"b"})");
  // The last of duplicate JSON keys counts, as JSON.parse.
  CHECK(Merge(R"({"id":"a","id":"b"})", "application/json", "") == R"({"id":"b"})");
  CHECK(Merge("", "application/json", "id=q") == R"({"id":"q"})");
  CHECK(Merge("  \n", "application/json", "") == "{}");
}

TEST_CASE("merge: forms, and JSON sent with a form content type") {
  CHECK(Merge("id=form&tags[]=x", "application/x-www-form-urlencoded", "") ==
        R"({"id":"form","tags":["x"]})");
  CHECK(Merge("id=form", "application/x-www-form-urlencoded; charset=utf-8", "id=query") ==
        R"({"id":"query"})");
  CHECK(Merge(R"({"id":"json"})", "application/x-www-form-urlencoded", "") == R"({"id":"json"})");
}

TEST_CASE("merge: other bodies are read only when they are plainly JSON") {
  CHECK(Merge(R"({"id":"json"})", "text/plain", "") == R"({"id":"json"})");
  CHECK(Merge(R"({"id":"json"})", "", "") == R"({"id":"json"})");
  CHECK(Merge("id=x", "text/plain", "") == "{}");
  CHECK(Merge("hello", "", "id=q") == R"({"id":"q"})");
}

TEST_CASE("merge: malformed or non-object JSON") {
  CHECK(Merge(R"({"id":)", "application/json", "").rfind("error: ", 0) == 0);
  CHECK(Merge("nope", "application/json", "").rfind("error: ", 0) == 0);
  CHECK(Merge(R"("abc")", "application/json", "") == "error: a JSON body must be an object");
  CHECK(Merge("42", "application/json", "") == "error: a JSON body must be an object");
  // An array is passed through for the schema to answer "payload: should be object".
  CHECK(Merge("[1]", "application/json", "id=q") == "[1]");
}

}  // namespace
}  // namespace gateway::microbase
