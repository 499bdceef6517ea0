// CustomerQuery: a protocol-neutral description of a customer listing.
//
// Dialects parse their own filter syntax (Elastic Path's `eq(email,...)`,
// MicroBase's comma lists) into these conditions; storage compiles them into
// parameterised SQL. Values are always data, never SQL text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/customer.h"

namespace gateway {

enum class QueryField { kId, kEmail, kName, kExternalRef, kStatus, kTag, kCreatedAt, kUpdatedAt };

enum class QueryOp {
  kEq,    // text or time equality (email and name compare case-insensitively)
  kLike,  // text pattern: '*' at the start and/or end is a wildcard
  kGt,
  kGe,
  kLt,
  kLe,
  kIn,  // any of `values`
};

struct Condition {
  QueryField field;
  QueryOp op;
  std::vector<std::string> values;  // one value except for kIn
  int64_t millis = 0;               // the operand for created_at / updated_at
};

struct SortOrder {
  QueryField field = QueryField::kCreatedAt;
  bool descending = true;
};

struct CustomerQuery {
  std::vector<Condition> conditions;  // all must hold
  SortOrder sort;
  int64_t limit = 25;
  int64_t offset = 0;
};

struct CustomerPage {
  std::vector<Customer> customers;
  int64_t total = 0;  // matches ignoring limit/offset
};

}  // namespace gateway
