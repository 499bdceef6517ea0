#include "storage/sql/where_clause.h"

namespace gateway::sql {

const char* Comparison(QueryOp op) {
  switch (op) {
    case QueryOp::kGt:
      return " > ";
    case QueryOp::kGe:
      return " >= ";
    case QueryOp::kLt:
      return " < ";
    case QueryOp::kLe:
      return " <= ";
    default:
      return " = ";
  }
}

std::string LikePattern(std::string_view value) {
  const bool lead = !value.empty() && value.front() == '*';
  if (lead) value.remove_prefix(1);
  const bool trail = !value.empty() && value.back() == '*';
  if (trail) value.remove_suffix(1);
  std::string out = lead ? "%" : "";
  for (char ch : value) {
    if (ch == '%' || ch == '_' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  if (trail) out.push_back('%');
  return out;
}

std::string_view LikeLiteral(std::string_view value) {
  if (!value.empty() && value.front() == '*') value.remove_prefix(1);
  if (!value.empty() && value.back() == '*') value.remove_suffix(1);
  return value;
}

const char* Column(QueryField field, const char* name_column) {
  switch (field) {
    case QueryField::kId:
      return "id";
    case QueryField::kEmail:
      return "email_key";
    case QueryField::kName:
      return name_column;
    case QueryField::kExternalRef:
      return "external_ref";
    case QueryField::kStatus:
      return "status";
    case QueryField::kCreatedAt:
      return "created_at";
    case QueryField::kUpdatedAt:
      return "updated_at";
    case QueryField::kTag:
      break;
  }
  return "tags";
}

std::string WhereClause(const std::vector<Condition>& conditions, const char* name_column,
                        ConditionWriter& writer) {
  std::string sql;
  for (const Condition& c : conditions) {
    sql += sql.empty() ? " WHERE " : " AND ";
    const char* column = Column(c.field, name_column);
    if (c.field == QueryField::kCreatedAt || c.field == QueryField::kUpdatedAt) {
      sql += writer.Time(column, c.op, c.millis);
    } else if (c.field == QueryField::kTag) {  // eq holds one value, in several
      sql += writer.AnyTag(c.values);
    } else if (c.op == QueryOp::kIn) {
      sql += writer.In(c.field, column, c.values);
    } else if (c.op == QueryOp::kLike) {
      sql += writer.Like(c.field, column, c.values[0]);
    } else {
      sql += writer.Compare(c.field, column, c.op, c.values[0]);
    }
  }
  return sql;
}

}  // namespace gateway::sql
