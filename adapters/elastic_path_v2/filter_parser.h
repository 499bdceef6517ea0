// Elastic Path's `filter` query grammar, parsed by hand and translated into
// core CustomerQuery conditions (never SQL text).
//
//   filter  := term (':' term)*                 at most kMaxFilterTerms terms
//   term    := name '(' name (',' operand)* ')'  operator(field, operands...)
//   operand := quoted | bare
//   quoted  := '"' ... '"' | '\'' ... '\''       '\' escapes the next character
//   bare    := characters up to the next ',' or ')'; no '(' and no leading quote
//
// Whitespace (space, tab) around names and operands is dropped; quote an
// operand whose edge whitespace matters. The text given here is already
// percent-decoded (see listing.h), so `,` `:` `(` `)` inside a value must be
// quoted whatever their URL encoding was.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer_query.h"
#include "core/status.h"

namespace gateway::elastic_path {

inline constexpr size_t kMaxFilterTerms = 10;

// One `op(field,operand...)` as written.
struct FilterTerm {
  std::string op;
  std::string field;
  std::vector<std::string> operands;
  bool operator==(const FilterTerm&) const = default;
};

// Parses decoded filter text. A failure is Status::Invalid("filter", reason)
// where reason says what was expected and at which character.
Result<std::vector<FilterTerm>> ParseFilter(std::string_view text);

// Translates terms into conditions under the customer listing's rules:
// email and name take eq and like; id, created_at and updated_at take eq, gt,
// ge, lt and le; external_ref takes eq; every operator takes one operand.
// Timestamps accept YYYY-MM-DD (midnight UTC), ISO 8601 or epoch milliseconds.
Result<std::vector<Condition>> ToCustomerConditions(const std::vector<FilterTerm>& terms);

// ParseFilter then ToCustomerConditions.
Result<std::vector<Condition>> ParseCustomerFilter(std::string_view text);

}  // namespace gateway::elastic_path
