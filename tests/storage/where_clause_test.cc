// The engine-neutral half of query compilation (storage/sql): LIKE patterns
// and the walk that hands each kind of condition to the engine's writer.
#include "storage/sql/where_clause.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace gateway::sql {
namespace {

// Writes each condition as a readable tag, so a test sees which hook ran with
// which column and operand.
class Recorder final : public ConditionWriter {
 public:
  std::string Time(const char* column, QueryOp op, int64_t millis) override {
    return std::string("time(") + column + Comparison(op) + std::to_string(millis) + ")";
  }
  std::string AnyTag(const std::vector<std::string>& values) override {
    return "tags(" + std::to_string(values.size()) + ")";
  }
  std::string In(QueryField, const char* column, const std::vector<std::string>& values) override {
    return std::string("in(") + column + "," + std::to_string(values.size()) + ")";
  }
  std::string Like(QueryField, const char* column, std::string_view value) override {
    return std::string("like(") + column + "," + LikePattern(value) + ")";
  }
  std::string Compare(QueryField, const char* column, QueryOp op, std::string_view value) override {
    return std::string("cmp(") + column + Comparison(op) + std::string(value) + ")";
  }
};

TEST_CASE("LikePattern turns only the end stars into wildcards and escapes the rest") {
  CHECK(LikePattern("*ann*") == "%ann%");
  CHECK(LikePattern("ann*") == "ann%");
  CHECK(LikePattern("*ann") == "%ann");
  CHECK(LikePattern("ann") == "ann");
  CHECK(LikePattern("a*n") == "a*n");
  CHECK(LikePattern("*50%_off\\*") == "%50\\%\\_off\\\\%");
  CHECK(LikePattern("*") == "%");
  CHECK(LikePattern("**") == "%%");
  CHECK(LikePattern("") == "");
}

TEST_CASE("LikeLiteral is the value without its end stars") {
  CHECK(LikeLiteral("*ann*") == "ann");
  CHECK(LikeLiteral("a*n") == "a*n");
  CHECK(LikeLiteral("*") == "");
  CHECK(LikeLiteral("**") == "");
}

TEST_CASE("Column names the engine's name column and fixed columns otherwise") {
  CHECK(std::string(Column(QueryField::kName, "name_key")) == "name_key");
  CHECK(std::string(Column(QueryField::kName, "display_name")) == "display_name");
  CHECK(std::string(Column(QueryField::kEmail, "x")) == "email_key");
  CHECK(std::string(Column(QueryField::kUpdatedAt, "x")) == "updated_at");
}

TEST_CASE("WhereClause hands each condition to its hook and joins them with AND") {
  Recorder recorder;
  CHECK(WhereClause({}, "n", recorder).empty());
  const std::vector<Condition> conditions = {
      {QueryField::kCreatedAt, QueryOp::kGe, {}, 1000},
      {QueryField::kTag, QueryOp::kEq, {"vip"}},
      {QueryField::kTag, QueryOp::kIn, {"a", "b"}},
      {QueryField::kEmail, QueryOp::kIn, {"a@x", "b@x", "c@x"}},
      {QueryField::kName, QueryOp::kLike, {"*ann*"}},
      {QueryField::kStatus, QueryOp::kEq, {"live"}},
      {QueryField::kId, QueryOp::kLt, {"m"}},
  };
  CHECK(WhereClause(conditions, "n", recorder) ==
        " WHERE time(created_at >= 1000) AND tags(1) AND tags(2) AND in(email_key,3) AND "
        "like(n,%ann%) AND cmp(status = live) AND cmp(id < m)");
}

}  // namespace
}  // namespace gateway::sql
