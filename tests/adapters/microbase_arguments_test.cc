// MicroBase argument merging: qs-style decoding of forms and query strings,
// JSON bodies, and the query winning over the body.
#include <doctest/doctest.h>

#include <string>

#include "adapters/microbase_v1/arguments.h"

namespace gateway::microbase {
namespace {

std::string Merge(std::string_view body, std::string_view content_type, std::string_view query) {
  ArgumentsError error;
  std::optional<std::string> out = MergeArguments({body, content_type, query}, error);
  return out ? *out : "error: " + error.detail;
}

std::string Qs(std::string_view text) {
  std::string error;
  std::optional<std::string> out = DecodeQueryString(text, error);
  return out ? *out : "error: " + error;
}

TEST_CASE("qs: plain pairs, '+' and percent escapes") {
  CHECK(Qs("") == "{}");
  CHECK(Qs("id=HkhhuXESl&limit=5") == R"({"id":"HkhhuXESl","limit":"5"})");
  CHECK(Qs("email=john%40doe.com&name=John+Doe") ==
        R"({"email":"john@doe.com","name":"John Doe"})");
  CHECK(Qs("flag&empty=") == R"({"flag":"","empty":""})");
  CHECK(Qs("a=%E2%82%AC") == "{\"a\":\"\xE2\x82\xAC\"}");
  // A stray '%' is kept as sent (decodeURIComponent would throw).
  CHECK(Qs("a=100%") == R"({"a":"100%"})");
  CHECK(Qs("=x&&b=1") == R"({"b":"1"})");
}

TEST_CASE("qs: keys and values that are not UTF-8 are refused, raw or percent-encoded") {
  for (std::string_view bad : {"a=%FF", "a=%C3", "a=%C0%AF", "a=%ED%A0%80", "%FF=x", "a=x&b=\xff",
                               "a=\xc3(", "a[\xfe]=1", "a=ok&a=%E2%82"}) {
    CHECK_MESSAGE(Qs(bad).rfind("error: parameter ", 0) == 0, std::string(bad));
  }
  // Two different invalid inputs no longer collide on one stored value.
  CHECK(Qs("a=%E2%82%AC%20") == "{\"a\":\"\xE2\x82\xAC \"}");
  ArgumentsError error;
  CHECK_FALSE(
      MergeArguments({"firstName=J\xf6rg", "application/x-www-form-urlencoded", ""}, error));
  CHECK(error.code == "invalid_encoding");
  CHECK(error.detail == "form body: parameter 1 is not valid UTF-8");
  CHECK_FALSE(MergeArguments({R"({"id":"x"})", "application/json", "id=%FE"}, error));
  CHECK(error.code == "invalid_encoding");
  CHECK(error.detail == "query string: parameter 1 is not valid UTF-8");
  CHECK_FALSE(MergeArguments({"{\"id\":\"\xff\"}", "application/json", ""}, error));
  CHECK(error.code == "invalid_json");
}

TEST_CASE("qs: repeated keys and [] build arrays") {
  CHECK(Qs("id=a&id=b") == R"({"id":["a","b"]})");
  CHECK(Qs("tags[]=VIP&tags[]=new") == R"({"tags":["VIP","new"]})");
  CHECK(Qs("tags[]=VIP") == R"({"tags":["VIP"]})");
  CHECK(Qs("tags%5B%5D=VIP") == R"({"tags":["VIP"]})");
}

TEST_CASE("qs: brackets build nested objects and indexed arrays") {
  CHECK(Qs("address[id]=x&address[city]=Pawnee") == R"({"address":{"id":"x","city":"Pawnee"}})");
  CHECK(Qs("addresses[0][name]=Home&addresses[0][city]=P&addresses[1][name]=Work") ==
        R"({"addresses":[{"name":"Home","city":"P"},{"name":"Work"}]})");
  // Sparse indices are compacted; an index past 20 is an object key.
  CHECK(Qs("a[1]=b&a[3]=c") == R"({"a":["b","c"]})");
  CHECK(Qs("a[21]=x") == R"({"a":{"21":"x"}})");
  CHECK(Qs("a[01]=x") == R"({"a":{"01":"x"}})");
  // An array meeting an object key becomes an object.
  CHECK(Qs("a[0]=x&a[k]=y") == R"({"a":{"0":"x","k":"y"}})");
  // A plain value merged with a nested one.
  CHECK(Qs("a=x&a[0]=y") == R"({"a":["x","y"]})");
}

TEST_CASE("qs: at most five levels of brackets; the rest is one literal key") {
  CHECK(Qs("a[b][c][d][e][f][g][h]=x") == R"({"a":{"b":{"c":{"d":{"e":{"f":{"[g][h]":"x"}}}}}}})");
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
