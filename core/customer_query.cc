#include "core/customer_query.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace gateway {
namespace {

constexpr unsigned Bit(QueryOp op) { return 1u << static_cast<unsigned>(op); }

constexpr unsigned kAllOps = Bit(QueryOp::kEq) | Bit(QueryOp::kLike) | Bit(QueryOp::kIn) |
                             Bit(QueryOp::kGt) | Bit(QueryOp::kGe) | Bit(QueryOp::kLt) |
                             Bit(QueryOp::kLe);

unsigned OpsOf(QueryField field) {
  switch (field) {
    case QueryField::kTag:
      return Bit(QueryOp::kEq) | Bit(QueryOp::kIn);
    case QueryField::kCreatedAt:
    case QueryField::kUpdatedAt:
      return kAllOps & ~(Bit(QueryOp::kLike) | Bit(QueryOp::kIn));
    case QueryField::kId:
    case QueryField::kEmail:
    case QueryField::kName:
    case QueryField::kExternalRef:
    case QueryField::kStatus:
      break;
  }
  return kAllOps;
}

}  // namespace

Status ValidateQuery(const CustomerQuery& query) {
  for (const Condition& c : query.conditions) {
    if ((OpsOf(c.field) & Bit(c.op)) == 0) {
      if (c.field == QueryField::kTag)
        return Status::Invalid("filter", "tags support only equality");
      if (c.field == QueryField::kCreatedAt || c.field == QueryField::kUpdatedAt) {
        return Status::Invalid("filter", "timestamps support eq, gt, ge, lt, le");
      }
      return Status::Invalid("filter", "this field does not take that operator");
    }
    const bool is_time = c.field == QueryField::kCreatedAt || c.field == QueryField::kUpdatedAt;
    if (c.op == QueryOp::kIn) {
      if (c.values.size() > kMaxInValues) {
        return Status::Invalid("filter",
                               "a list takes at most " + std::to_string(kMaxInValues) + " values");
      }
    } else if (!is_time && c.values.size() != 1) {
      return Status::Invalid("filter", "a condition needs exactly one value");
    }
  }
  if (query.limit < 0 || query.offset < 0) {
    return Status::Invalid("page", "limit and offset must not be negative");
  }
  return Status::Ok();
}

std::optional<CustomerQuery> WithoutNulOperands(CustomerQuery query) {
  const auto has_nul = [](std::string_view v) { return v.find('\0') != std::string_view::npos; };
  for (Condition& c : query.conditions) {
    switch (c.op) {
      case QueryOp::kEq:
      case QueryOp::kLike:
        if (std::any_of(c.values.begin(), c.values.end(), has_nul)) return std::nullopt;
        break;
      case QueryOp::kIn:
        std::erase_if(c.values, has_nul);
        break;
      case QueryOp::kGt:
      case QueryOp::kGe:
      case QueryOp::kLt:
      case QueryOp::kLe:
        for (std::string& v : c.values) {
          if (!has_nul(v)) continue;
          v.resize(v.find('\0'));
          c.op = (c.op == QueryOp::kGt || c.op == QueryOp::kGe) ? QueryOp::kGt : QueryOp::kLe;
        }
        break;
    }
  }
  return query;
}

}  // namespace gateway
