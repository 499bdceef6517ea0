// The Elastic Path filter grammar and its translation into CustomerQuery
// conditions, without a socket or a database.
#include <doctest/doctest.h>

#include "adapters/elastic_path_v2/filter_parser.h"

namespace gateway::elastic_path {
namespace {

std::vector<FilterTerm> Terms(std::string_view text) {
  Result<std::vector<FilterTerm>> terms = ParseFilter(text);
  REQUIRE_MESSAGE(terms.ok(), terms.status().message());
  return *terms;
}

std::string ParseError(std::string_view text) {
  Result<std::vector<FilterTerm>> terms = ParseFilter(text);
  REQUIRE_FALSE(terms.ok());
  CHECK(terms.status().field() == "filter");
  return terms.status().message();
}

std::string TranslateError(std::string_view text) {
  Result<std::vector<Condition>> conditions = ParseCustomerFilter(text);
  REQUIRE_FALSE(conditions.ok());
  CHECK(conditions.status().field() == "filter");
  return conditions.status().message();
}

}  // namespace

TEST_CASE("filter: one term, as the SDK writes it") {
  CHECK(Terms("eq(email,ron@swanson.com)") ==
        std::vector<FilterTerm>{{"eq", "email", {"ron@swanson.com"}}});
}

TEST_CASE("filter: terms joined with ':' keep their order") {
  auto terms = Terms("eq(email,ron 1@swanson.com):eq(name,Ron Swanson):like(name,*ron*)");
  REQUIRE(terms.size() == 3);
  CHECK(terms[0] == FilterTerm{"eq", "email", {"ron 1@swanson.com"}});
  CHECK(terms[1] == FilterTerm{"eq", "name", {"Ron Swanson"}});
  CHECK(terms[2] == FilterTerm{"like", "name", {"*ron*"}});
}

TEST_CASE("filter: colons inside an operand are data (ISO timestamps)") {
  CHECK(Terms("gt(updated_at,2018-04-16T10:11:59.715Z)") ==
        std::vector<FilterTerm>{{"gt", "updated_at", {"2018-04-16T10:11:59.715Z"}}});
}

TEST_CASE("filter: quoted operands with both quote characters and escapes") {
  CHECK(Terms(R"(eq(name,"Ron Swanson"))")[0].operands[0] == "Ron Swanson");
  CHECK(Terms(R"(eq(name,'Food \'n Stuff'))")[0].operands[0] == "Food 'n Stuff");
  CHECK(Terms(R"(eq(name,"say \"hi\" \\ bye"))")[0].operands[0] == R"(say "hi" \ bye)");
  CHECK(Terms(R"x(eq(name,"a,b:c(d)"))x")[0].operands[0] == "a,b:c(d)");
  CHECK(Terms(R"(eq(name,"  padded  "))")[0].operands[0] == "  padded  ");
  CHECK(Terms(R"(eq(external_ref,""))")[0].operands[0].empty());
  // A quote inside a bare operand is an ordinary character.
  CHECK(Terms("eq(name,O'Brien)")[0].operands[0] == "O'Brien");
}

TEST_CASE("filter: whitespace around names and bare operands is dropped") {
  CHECK(Terms(" eq ( email ,  ron@swanson.com  ) : like(name, *x )") ==
        std::vector<FilterTerm>{{"eq", "email", {"ron@swanson.com"}}, {"like", "name", {"*x"}}});
  CHECK(Terms("eq(name,Ron Swanson)")[0].operands[0] == "Ron Swanson");
}

TEST_CASE("filter: several operands are parsed, arity is checked on translation") {
  CHECK(Terms("in(id,a,b,c)") == std::vector<FilterTerm>{{"in", "id", {"a", "b", "c"}}});
  CHECK(TranslateError("eq(email)").find("exactly one value") != std::string::npos);
  CHECK(TranslateError("eq(email,a,b)").find("exactly one value") != std::string::npos);
}

TEST_CASE("filter: malformed text names what was expected and where") {
  CHECK(ParseError("").find("expected an operator") != std::string::npos);
  CHECK(ParseError("eq").find("expected '(' after eq at character 3") != std::string::npos);
  CHECK(ParseError("eq(email,x").find("expected ',' or ')'") != std::string::npos);
  CHECK(ParseError("eq(,x)").find("expected a field name at character 4") != std::string::npos);
  CHECK(ParseError("eq(email,)").find("expected a value") != std::string::npos);
  CHECK(ParseError("eq(email,x):").find("expected an operator") != std::string::npos);
  CHECK(ParseError("eq(email,x)eq(name,y)").find("expected ':'") != std::string::npos);
  CHECK(ParseError("eq(email,x)::eq(name,y)").find("expected an operator") != std::string::npos);
  CHECK(ParseError(R"(eq(name,"open)").find("unterminated quoted value starting at character 9") !=
        std::string::npos);
  CHECK(ParseError(R"(eq(name,"ends with backslash\)").find("unterminated") != std::string::npos);
  CHECK(ParseError(R"(eq(name,"Ron"x))").find("expected ',' or ')'") != std::string::npos);
  CHECK(ParseError("eq(name,Ron (Jr))").find("unexpected '('") != std::string::npos);
  CHECK(ParseError("EQ(email,x)").find("expected an operator") != std::string::npos);
  CHECK(ParseError("eq(Email,x)").find("expected a field name") != std::string::npos);
}

TEST_CASE("filter: at most ten terms") {
  std::string ten = "eq(id,1)";
  for (int i = 0; i < 9; ++i) ten += ":eq(id,1)";
  CHECK(Terms(ten).size() == 10);
  CHECK(ParseError(ten + ":eq(id,1)").find("at most 10") != std::string::npos);
}

TEST_CASE("filter: translation maps wire fields and operators onto conditions") {
  Result<std::vector<Condition>> c = ParseCustomerFilter(
      "eq(email,Ron@Swanson.com):like(name,*ron*):ge(id,abc):eq(external_ref,crm-1)");
  REQUIRE(c.ok());
  REQUIRE(c->size() == 4);
  CHECK((*c)[0].field == QueryField::kEmail);
  CHECK((*c)[0].op == QueryOp::kEq);
  CHECK((*c)[0].values == std::vector<std::string>{"Ron@Swanson.com"});
  CHECK((*c)[1].field == QueryField::kName);
  CHECK((*c)[1].op == QueryOp::kLike);
  CHECK((*c)[1].values == std::vector<std::string>{"*ron*"});
  CHECK((*c)[2].field == QueryField::kId);
  CHECK((*c)[2].op == QueryOp::kGe);
  CHECK((*c)[3].field == QueryField::kExternalRef);
  CHECK((*c)[3].op == QueryOp::kEq);
}

TEST_CASE("filter: timestamps as dates, ISO timestamps and epoch milliseconds") {
  Result<std::vector<Condition>> c = ParseCustomerFilter(
      "gt(created_at,2022-04-27):le(updated_at,2018-04-16T10:11:59.715Z):eq(created_at,"
      "640912546584)"
      ":lt(updated_at,2020-01-01T01:00:00+01:00)");
  REQUIRE(c.ok());
  REQUIRE(c->size() == 4);
  CHECK((*c)[0].field == QueryField::kCreatedAt);
  CHECK((*c)[0].op == QueryOp::kGt);
  CHECK((*c)[0].millis == 1651017600000);
  CHECK((*c)[1].field == QueryField::kUpdatedAt);
  CHECK((*c)[1].op == QueryOp::kLe);
  CHECK((*c)[1].millis == 1523873519715);
  CHECK((*c)[2].millis == 640912546584);
  CHECK((*c)[3].millis == 1577836800000);
  CHECK(TranslateError("gt(created_at,yesterday)").find("needs a date") != std::string::npos);
  CHECK(TranslateError("gt(created_at,2022-13-01)").find("needs a date") != std::string::npos);
}

TEST_CASE("filter: unsupported fields and operator pairs are refused") {
  CHECK(TranslateError("eq(password,x)").find("cannot be filtered by 'password'") !=
        std::string::npos);
  CHECK(TranslateError("eq(status,ACTIVE)").find("cannot be filtered") != std::string::npos);
  for (const char* text :
       {"like(id,a*)", "gt(email,a)", "le(name,a)", "like(external_ref,a*)", "gt(external_ref,a)",
        "like(created_at,2020-01-01)", "in(id,a,b)", "is_null(external_ref)", "ne(email,a)"}) {
    CAPTURE(text);
    CHECK(TranslateError(text).find("is not supported on") != std::string::npos);
  }
}

}  // namespace gateway::elastic_path
