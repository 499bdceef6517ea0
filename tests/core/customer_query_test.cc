// ValidateQuery: the operators each field takes, value counts, paging.
#include "core/customer_query.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

namespace gateway {
namespace {

Status Check(std::vector<Condition> conditions) {
  CustomerQuery q;
  q.conditions = std::move(conditions);
  return ValidateQuery(q);
}

TEST_CASE("ValidateQuery: each field takes the operators in its table") {
  for (QueryField f : {QueryField::kId, QueryField::kEmail, QueryField::kName,
                       QueryField::kExternalRef, QueryField::kStatus}) {
    for (QueryOp op :
         {QueryOp::kEq, QueryOp::kLike, QueryOp::kGt, QueryOp::kGe, QueryOp::kLt, QueryOp::kLe}) {
      CHECK(Check({{f, op, {"x"}}}).ok());
    }
    CHECK(Check({{f, QueryOp::kIn, {"x", "y"}}}).ok());
  }
  CHECK(Check({{QueryField::kTag, QueryOp::kEq, {"VIP"}}}).ok());
  CHECK(Check({{QueryField::kTag, QueryOp::kIn, {"VIP", "new"}}}).ok());
  for (QueryOp op : {QueryOp::kEq, QueryOp::kGt, QueryOp::kGe, QueryOp::kLt, QueryOp::kLe}) {
    CHECK(Check({{QueryField::kCreatedAt, op, {}}}).ok());
    CHECK(Check({{QueryField::kUpdatedAt, op, {}}}).ok());
  }
}

TEST_CASE("ValidateQuery: unsupported operator combinations are refused with the filter at fault") {
  Status tag = Check({{QueryField::kTag, QueryOp::kLike, {"V*"}}});
  CHECK(tag.code() == ErrorCode::kInvalidArgument);
  CHECK(tag.field() == "filter");
  CHECK(tag.message() == "tags support only equality");
  for (QueryOp op : {QueryOp::kGt, QueryOp::kGe, QueryOp::kLt, QueryOp::kLe}) {
    CHECK(Check({{QueryField::kTag, op, {"V"}}}).code() == ErrorCode::kInvalidArgument);
  }
  Status time = Check({{QueryField::kCreatedAt, QueryOp::kLike, {"2020*"}}});
  CHECK(time.message() == "timestamps support eq, gt, ge, lt, le");
  CHECK(Check({{QueryField::kUpdatedAt, QueryOp::kIn, {"1", "2"}}}).code() ==
        ErrorCode::kInvalidArgument);
}

TEST_CASE(
    "ValidateQuery: one value per condition, up to the bound for in, none needed when empty") {
  CHECK(Check({{QueryField::kEmail, QueryOp::kEq, {}}}).code() == ErrorCode::kInvalidArgument);
  CHECK(Check({{QueryField::kEmail, QueryOp::kEq, {"a", "b"}}}).code() ==
        ErrorCode::kInvalidArgument);
  CHECK(Check({{QueryField::kId, QueryOp::kIn, {}}}).ok());  // matches nothing
  CHECK(Check({{QueryField::kId, QueryOp::kIn, std::vector<std::string>(kMaxInValues, "x")}}).ok());
  CHECK(Check({{QueryField::kId, QueryOp::kIn, std::vector<std::string>(kMaxInValues + 1, "x")}})
            .code() == ErrorCode::kInvalidArgument);
}

TEST_CASE("ValidateQuery: negative paging is refused") {
  CustomerQuery q;
  CHECK(ValidateQuery(q).ok());
  q.limit = -1;
  CHECK_FALSE(ValidateQuery(q).ok());
  q.limit = 0;
  q.offset = -1;
  CHECK_FALSE(ValidateQuery(q).ok());
}

TEST_CASE("WithoutNulOperands: a NUL operand matches what it can among texts without NUL") {
  const std::string nul("id-1\0x", 6);
  const auto decide = [](Condition c) {
    CustomerQuery q;
    q.conditions = {std::move(c)};
    return WithoutNulOperands(q);
  };
  CHECK_FALSE(decide({QueryField::kEmail, QueryOp::kEq, {nul}}).has_value());
  CHECK_FALSE(decide({QueryField::kName, QueryOp::kLike, {"*" + nul + "*"}}).has_value());
  std::optional<CustomerQuery> in = decide({QueryField::kId, QueryOp::kIn, {nul, "id-2"}});
  REQUIRE(in.has_value());
  CHECK(in->conditions[0].values == std::vector<std::string>{"id-2"});
  for (QueryOp op : {QueryOp::kGt, QueryOp::kGe}) {
    std::optional<CustomerQuery> q = decide({QueryField::kId, op, {nul}});
    REQUIRE(q.has_value());
    CHECK(q->conditions[0].op == QueryOp::kGt);
    CHECK(q->conditions[0].values[0] == "id-1");
  }
  for (QueryOp op : {QueryOp::kLt, QueryOp::kLe}) {
    std::optional<CustomerQuery> q = decide({QueryField::kId, op, {nul}});
    REQUIRE(q.has_value());
    CHECK(q->conditions[0].op == QueryOp::kLe);
    CHECK(q->conditions[0].values[0] == "id-1");
  }
  std::optional<CustomerQuery> plain = decide({QueryField::kId, QueryOp::kGe, {"id-1"}});
  REQUIRE(plain.has_value());
  CHECK(plain->conditions[0].op == QueryOp::kGe);
}

}  // namespace
}  // namespace gateway
