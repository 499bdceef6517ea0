#pragma once

// The engine-neutral half of compiling a CustomerQuery into SQL: the column
// each field compares, the comparison operators, `like` values as LIKE
// patterns, and the walk over the conditions. Each engine supplies what is
// its own (placeholders, how a list, a tag set or a time is bound, indexes it
// can use) through a ConditionWriter.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer_query.h"

namespace gateway::sql {

// " = ", " > ", " >= ", " < " or " <= " (eq for anything else).
const char* Comparison(QueryOp op);

// A `like` value as a pattern for `LIKE ... ESCAPE '\'`: a '*' at either end
// becomes '%', every other character is literal.
std::string LikePattern(std::string_view value);

// What a `like` value must contain: the value without its end wildcards.
std::string_view LikeLiteral(std::string_view value);

// The column a condition on `field` reads. The engines differ only in the
// column that names compare on (`name_column`).
const char* Column(QueryField field, const char* name_column);

// One engine's SQL for each kind of condition; every operand must be bound.
class ConditionWriter {
 public:
  virtual ~ConditionWriter() = default;
  // created_at / updated_at against a millisecond time.
  virtual std::string Time(const char* column, QueryOp op, int64_t millis) = 0;
  // Any of the customer's tags equals any of `values`.
  virtual std::string AnyTag(const std::vector<std::string>& values) = 0;
  virtual std::string In(QueryField field, const char* column,
                         const std::vector<std::string>& values) = 0;
  virtual std::string Like(QueryField field, const char* column, std::string_view value) = 0;
  // eq and the ordered comparisons on text.
  virtual std::string Compare(QueryField field, const char* column, QueryOp op,
                              std::string_view value) = 0;
};

// " WHERE a AND b ..." for `conditions` (which passed ValidateQuery), or ""
// when there are none.
std::string WhereClause(const std::vector<Condition>& conditions, const char* name_column,
                        ConditionWriter& writer);

}  // namespace gateway::sql
