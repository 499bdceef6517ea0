// JsonWriter: compact JSON with commas placed by the writer, and string
// escaping that any JSON parser reads back to the same bytes.
#include "common/json_writer.h"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace gateway {
namespace {

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

// Parses `json` as a one-string array and returns the string.
std::string ParseBack(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::array arr;
  REQUIRE_FALSE(parser.parse(json).get(arr));
  std::string_view s;
  REQUIRE_FALSE(arr.at(0).get(s));
  return std::string(s);
}

TEST_CASE("AppendJsonString escapes quotes, backslashes and control characters") {
  CHECK(Quoted("") == R"("")");
  CHECK(Quoted("plain") == R"("plain")");
  CHECK(Quoted("say \"hi\"") == R"("say \"hi\"")");
  CHECK(Quoted("C:\\path") == R"("C:\\path")");
  CHECK(Quoted("a\nb\rc\td") == R"("a\nb\rc\td")");
  CHECK(Quoted("\b\f") == R"("\b\f")");
  CHECK(Quoted(std::string("\0", 1)) == R"("\u0000")");
  CHECK(Quoted("\x01") == R"("\u0001")");
  CHECK(Quoted("\x1f") == R"("\u001f")");
  CHECK(Quoted("\x1b[0m") == R"("\u001b[0m")");
  // Characters that JSON does not require escaping pass through.
  CHECK(Quoted("/") == R"("/")");
  CHECK(Quoted("\x7f") == "\"\x7f\"");
  CHECK(Quoted("<script>") == R"("<script>")");
}

TEST_CASE("AppendJsonString passes UTF-8 through unchanged") {
  CHECK(Quoted("José") == "\"José\"");
  CHECK(Quoted("山田 太郎") == "\"山田 太郎\"");
  CHECK(Quoted("😀") == "\"😀\"");
  CHECK(Quoted("\u2028") == "\"\u2028\"");
}

TEST_CASE("AppendJsonString output parses back to the original bytes") {
  std::string every_ascii;
  for (int c = 0; c < 128; ++c) every_ascii.push_back(static_cast<char>(c));
  for (const std::string& s : {every_ascii, std::string("José \"山田\" \\ 😀\n"), std::string()}) {
    CHECK(ParseBack("[" + Quoted(s) + "]") == s);
  }
}

TEST_CASE("AppendJsonString appends to what is already there") {
  std::string out = "x=";
  AppendJsonString(out, "y");
  CHECK(out == "x=\"y\"");
}

TEST_CASE("JsonWriter places commas between members and elements") {
  JsonWriter w;
  w.BeginObject();
  w.Field("a", 1);
  w.Key("b").BeginArray().Int(1).Int(2).BeginObject().Key("c").Null().EndObject().EndArray();
  w.Field("d", true);
  w.Key("e").BeginObject().EndObject();
  w.Key("f").BeginArray().EndArray();
  w.Field("g", "text");
  w.EndObject();
  CHECK(w.str() == R"({"a":1,"b":[1,2,{"c":null}],"d":true,"e":{},"f":[],"g":"text"})");
}

TEST_CASE("JsonWriter: empty containers and nesting at the top level") {
  CHECK(JsonWriter().BeginObject().EndObject().str() == "{}");
  CHECK(JsonWriter().BeginArray().EndArray().str() == "[]");
  JsonWriter w;
  w.BeginArray().BeginArray().EndArray().BeginArray().Int(0).EndArray().BeginObject().EndObject();
  w.EndArray();
  CHECK(w.str() == "[[],[0],{}]");
}

TEST_CASE("JsonWriter writes every value kind") {
  JsonWriter w;
  w.BeginArray();
  w.String("s").Int(-42).Int(std::numeric_limits<int64_t>::max()).Bool(false).Null();
  w.OptionalString(std::nullopt).OptionalString(std::string("opt"));
  w.Raw(R"({"pre":"built"})").Int(7);
  w.EndArray();
  CHECK(w.str() == R"(["s",-42,9223372036854775807,false,null,null,"opt",{"pre":"built"},7])");
}

TEST_CASE("JsonWriter Field overloads pick the right JSON type") {
  JsonWriter w;
  const std::string str = "s";
  const std::optional<std::string> none;
  const std::optional<std::string> some = "x";
  w.BeginObject();
  w.Field("cstr", "c").Field("str", str).Field("view", std::string_view("v"));
  w.Field("int", 1).Field("int64", int64_t{1} << 40).Field("bool", true);
  w.Field("none", none).Field("some", some);
  w.EndObject();
  CHECK(w.str() == R"({"cstr":"c","str":"s","view":"v","int":1,"int64":1099511627776,"bool":true,)"
                   R"("none":null,"some":"x"})");
}

TEST_CASE("JsonWriter escapes keys too") {
  JsonWriter w;
  w.BeginObject().Field("we\"ird\n", "v").EndObject();
  CHECK(w.str() == R"({"we\"ird\n":"v"})");
}

TEST_CASE("JsonWriter::Take hands over the text") {
  JsonWriter w;
  w.BeginArray().Int(1).EndArray();
  CHECK(w.Take() == "[1]");
}

TEST_CASE("JsonStringArray renders a list of strings") {
  CHECK(JsonStringArray({}) == "[]");
  CHECK(JsonStringArray({"VIP"}) == R"(["VIP"])");
  CHECK(JsonStringArray({"a", "b\"c", ""}) == R"(["a","b\"c",""])");
}

}  // namespace
}  // namespace gateway

TEST_CASE("AppendJsonString replaces bytes that are not well-formed UTF-8 with U+FFFD") {
  std::string out;
  gateway::AppendJsonString(out, std::string_view("a\xFF"
                                                  "b",
                                                  3));
  CHECK(out ==
        "\"a\xEF\xBF\xBD"
        "b\"");
  out.clear();
  // A truncated sequence, an overlong encoding and a surrogate are each replaced byte by byte.
  gateway::AppendJsonString(out, std::string_view("\xE2\x82", 2));
  CHECK(out == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  out.clear();
  gateway::AppendJsonString(out, std::string_view("\xC0\xAF", 2));
  CHECK(out == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  out.clear();
  gateway::AppendJsonString(out, std::string_view("\xED\xA0\x80", 3));
  CHECK(out == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  out.clear();
  // Well-formed multi-byte text passes through unchanged, escapes still apply.
  gateway::AppendJsonString(out, "Zoë \xF0\x9F\x98\x80 \"q\"");
  CHECK(out == "\"Zoë \xF0\x9F\x98\x80 \\\"q\\\"\"");
}
