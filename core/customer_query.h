// CustomerQuery: a protocol-neutral description of a customer listing, and
// the rules every storage engine implements for it.
//
// Dialects parse their own filter syntax (Elastic Path's `eq(email,...)`,
// MicroBase's comma lists) into these conditions; CustomerService checks them
// with ValidateQuery, so every engine receives only valid queries and both
// dialects get the same answers. Values are always data, never query text.
//
// Semantics (what an engine must implement, whatever its native collation):
// - Operators per field:
//     id, email, name, external_ref, status   eq, like, in, gt, ge, lt, le
//     tag                                      eq, in
//     created_at, updated_at                   eq, gt, ge, lt, le  (on `millis`)
// - Case: `email` compares by EmailKey (ASCII letters lower-cased), for every
//   operator. `name` compares ASCII-case-insensitively (A-Z equal a-z; other
//   characters byte for byte). `like` is ASCII-case-insensitive on every
//   field. Every other comparison is byte for byte.
// - `like`: a '*' at the start and/or end of the value is a wildcard for any
//   run of characters; every other character, '%', '_' and '\' included, is
//   literal.
// - `in` with an empty list matches nothing. A `tag` condition holds when any
//   of the customer's tags equals any value.
// - Ordered comparisons on text use the same folding as eq, in byte order.
// - Conditions all hold (AND). Sort is by `sort.field` then by id, both in
//   the sort's direction; name sorts ASCII-case-insensitively, email by EmailKey.
// - `total` counts every match, ignoring limit and offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/customer.h"
#include "core/status.h"

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

// At most this many values in one `in`: larger lists are refused by the
// dialects in their own words, and by ValidateQuery.
inline constexpr size_t kMaxInValues = 1000;

// OK when every condition uses an operator its field takes (table above),
// with exactly one value (none for timestamps, which use `millis`; any number
// up to kMaxInValues for `in`), and limit and offset are not negative.
Status ValidateQuery(const CustomerQuery& query);

// The query with every operand that holds a NUL byte decided, or nothing when
// some condition can then match no customer. No stored text holds NUL
// (validation refuses control characters), so eq and like on such an operand
// match nothing and `in` drops it; for an operand p + NUL + rest and a stored
// s without NUL, s > operand exactly when s > p, s < operand when s <= p.
// CustomerService applies it after ValidateQuery: engines never see a NUL
// (an engine may be unable to bind one, or stop its pattern matching at it).
std::optional<CustomerQuery> WithoutNulOperands(CustomerQuery query);

struct CustomerPage {
  std::vector<Customer> customers;
  int64_t total = 0;  // matches ignoring limit/offset
};

}  // namespace gateway
