#include "adapters/elastic_path_v2/filter_parser.h"

#include <array>
#include <optional>

#include "common/iso_time.h"

namespace gateway::elastic_path {
namespace {

// A recursive-descent reader over the decoded filter text. Each Read* either
// consumes what it names or returns an error naming the position (1-based,
// as a person counts characters).
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::vector<FilterTerm>> Parse() {
    std::vector<FilterTerm> terms;
    while (true) {
      if (terms.size() == kMaxFilterTerms) {
        return Status::Invalid("filter", "at most " + std::to_string(kMaxFilterTerms) +
                                             " filters may be joined with ':'");
      }
      Result<FilterTerm> term = ReadTerm();
      if (!term.ok()) return term.status();
      terms.push_back(std::move(*term));
      SkipSpace();
      if (AtEnd()) return terms;
      if (Peek() != ':') return Error("expected ':' or the end of the filter");
      ++pos_;
    }
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t')) ++pos_;
  }
  Status Error(std::string_view what) const {
    return Status::Invalid("filter",
                           std::string(what) + " at character " + std::to_string(pos_ + 1));
  }

  // Operator and field names: lower-case letters, digits, '_' and '.'.
  Result<std::string> ReadName(std::string_view what) {
    SkipSpace();
    size_t start = pos_;
    while (!AtEnd()) {
      char c = Peek();
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) break;
      ++pos_;
    }
    if (pos_ == start) return Error("expected " + std::string(what));
    return std::string(text_.substr(start, pos_ - start));
  }

  Result<FilterTerm> ReadTerm() {
    FilterTerm term;
    Result<std::string> op = ReadName("an operator such as eq");
    if (!op.ok()) return op.status();
    term.op = std::move(*op);
    SkipSpace();
    if (AtEnd() || Peek() != '(') return Error("expected '(' after " + term.op);
    ++pos_;
    Result<std::string> field = ReadName("a field name");
    if (!field.ok()) return field.status();
    term.field = std::move(*field);
    SkipSpace();
    while (!AtEnd() && Peek() == ',') {
      ++pos_;
      Result<std::string> operand = ReadOperand();
      if (!operand.ok()) return operand.status();
      term.operands.push_back(std::move(*operand));
    }
    if (AtEnd() || Peek() != ')') return Error("expected ',' or ')'");
    ++pos_;
    return term;
  }

  Result<std::string> ReadOperand() {
    SkipSpace();
    if (AtEnd()) return Error("expected a value");
    Result<std::string> value = (Peek() == '"' || Peek() == '\'') ? ReadQuoted() : ReadBare();
    if (!value.ok()) return value;
    SkipSpace();
    return value;
  }

  Result<std::string> ReadQuoted() {
    const char quote = Peek();
    const size_t open = pos_++;
    std::string out;
    while (!AtEnd()) {
      char c = text_[pos_++];
      if (c == quote) return out;
      if (c == '\\') {
        if (AtEnd()) break;
        c = text_[pos_++];
      }
      out.push_back(c);
    }
    pos_ = open;
    return Error("unterminated quoted value starting");
  }

  Result<std::string> ReadBare() {
    size_t start = pos_;
    while (!AtEnd() && Peek() != ',' && Peek() != ')') {
      if (Peek() == '(') return Error("unexpected '(' in a value (quote the value)");
      ++pos_;
    }
    std::string_view value = text_.substr(start, pos_ - start);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (value.empty()) return Error("expected a value (quote an empty one)");
    return std::string(value);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

struct OperatorName {
  std::string_view wire;
  QueryOp op;
};

constexpr std::array<OperatorName, 6> kOperators = {{
    {"eq", QueryOp::kEq},
    {"like", QueryOp::kLike},
    {"gt", QueryOp::kGt},
    {"ge", QueryOp::kGe},
    {"lt", QueryOp::kLt},
    {"le", QueryOp::kLe},
}};

constexpr unsigned Bit(QueryOp op) { return 1u << static_cast<unsigned>(op); }
constexpr unsigned kText = Bit(QueryOp::kEq) | Bit(QueryOp::kLike);
constexpr unsigned kOrdered = Bit(QueryOp::kEq) | Bit(QueryOp::kGt) | Bit(QueryOp::kGe) |
                              Bit(QueryOp::kLt) | Bit(QueryOp::kLe);

// The filterable customer attributes and the operators each accepts.
struct FilterableField {
  std::string_view wire;
  QueryField field;
  unsigned ops;
  bool is_time;
};

constexpr std::array<FilterableField, 6> kFilterable = {{
    {"email", QueryField::kEmail, kText, false},
    {"name", QueryField::kName, kText, false},
    {"id", QueryField::kId, kOrdered, false},
    {"created_at", QueryField::kCreatedAt, kOrdered, true},
    {"updated_at", QueryField::kUpdatedAt, kOrdered, true},
    {"external_ref", QueryField::kExternalRef, Bit(QueryOp::kEq), false},
}};

Result<Condition> ToCondition(const FilterTerm& term) {
  const FilterableField* field = nullptr;
  for (const FilterableField& f : kFilterable) {
    if (f.wire == term.field) field = &f;
  }
  if (field == nullptr) {
    return Status::Invalid("filter", "customers cannot be filtered by '" + term.field + "'");
  }
  std::optional<QueryOp> op;
  for (const OperatorName& o : kOperators) {
    if (o.wire == term.op) op = o.op;
  }
  if (!op || (field->ops & Bit(*op)) == 0) {
    return Status::Invalid("filter",
                           "operator '" + term.op + "' is not supported on '" + term.field + "'");
  }
  if (term.operands.size() != 1) {
    return Status::Invalid("filter", term.op + "(" + term.field + ",...) takes exactly one value");
  }
  Condition c{field->field, *op, {term.operands[0]}, 0};
  if (field->is_time) {
    std::optional<int64_t> millis = ParseTimeToMillis(term.operands[0]);
    if (!millis) {
      return Status::Invalid("filter", term.field +
                                           " needs a date (YYYY-MM-DD), an ISO 8601 timestamp "
                                           "or epoch milliseconds");
    }
    c.millis = *millis;
  }
  return c;
}

}  // namespace

Result<std::vector<FilterTerm>> ParseFilter(std::string_view text) { return Parser(text).Parse(); }

Result<std::vector<Condition>> ToCustomerConditions(const std::vector<FilterTerm>& terms) {
  std::vector<Condition> out;
  out.reserve(terms.size());
  for (const FilterTerm& term : terms) {
    Result<Condition> c = ToCondition(term);
    if (!c.ok()) return c.status();
    out.push_back(std::move(*c));
  }
  return out;
}

Result<std::vector<Condition>> ParseCustomerFilter(std::string_view text) {
  Result<std::vector<FilterTerm>> terms = ParseFilter(text);
  if (!terms.ok()) return terms.status();
  return ToCustomerConditions(*terms);
}

}  // namespace gateway::elastic_path
