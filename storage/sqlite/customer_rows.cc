#include "storage/sqlite/customer_rows.h"

#include <simdjson.h>

#include <string>

#include "common/json_writer.h"

namespace gateway::sqlite {
namespace {

constexpr const char* kCustomerColumns =
    "id, email, first_name, last_name, display_name, password_hash, external_ref, status, "
    "tags, created_at, updated_at";

std::string AddressColumns() {
  std::string cols;
  for (AddressField f : kAllAddressFields) cols.append(FieldName(f)).append(", ");
  return cols + "id, created_at, updated_at";
}

const std::string& SelectAddresses() {
  static const std::string sql =
      "SELECT " + AddressColumns() + " FROM addresses WHERE customer_id = ?1 ORDER BY position";
  return sql;
}

const std::string& InsertAddress() {
  static const std::string sql = [] {
    std::string s =
        "INSERT INTO addresses (" + AddressColumns() + ", customer_id, position) VALUES (";
    for (size_t i = 1; i <= kAllAddressFields.size() + 5; ++i) {
      s += (i > 1 ? ", ?" : "?") + std::to_string(i);
    }
    return s + ")";
  }();
  return sql;
}

std::vector<std::string> ParseTags(const std::string& json) {
  std::vector<std::string> tags;
  simdjson::dom::parser parser;
  simdjson::dom::array arr;
  if (parser.parse(json).get(arr)) return tags;
  for (auto v : arr) {
    std::string_view s;
    if (!v.get(s)) tags.emplace_back(s);
  }
  return tags;
}

Customer ReadCustomerRow(const Statement& st) {
  Customer c;
  c.id = st.Text(0);
  c.email = st.Text(1);
  c.first_name = st.Text(2);
  c.last_name = st.Text(3);
  c.display_name = st.Text(4);
  c.password_hash = st.OptionalText(5);
  c.external_ref = st.OptionalText(6);
  c.status = ParseStatus(st.Text(7)).value_or(CustomerStatus::kActive);
  c.tags = ParseTags(st.Text(8));
  c.created_at = st.Int(9);
  c.updated_at = st.Int(10);
  return c;
}

Status LoadAddresses(Connection& conn, Customer& c) {
  Result<Statement> st = conn.Prepare(SelectAddresses());
  if (!st.ok()) return st.status();
  st->Bind(1, c.id);
  int rc;
  while ((rc = st->Step()) == SQLITE_ROW) {
    Address a;
    int col = 0;
    for (AddressField f : kAllAddressFields) a.Field(f) = st->OptionalText(col++);
    a.id = st->Text(col++);
    a.created_at = st->Int(col++);
    a.updated_at = st->Int(col++);
    c.addresses.push_back(std::move(a));
  }
  return rc == SQLITE_DONE ? Status::Ok() : conn.Error("load addresses");
}

Result<Customer> LoadOne(Connection& conn, const std::string& sql, std::string_view key) {
  Customer c;
  {
    Result<Statement> st = conn.Prepare(sql);
    if (!st.ok()) return st.status();
    st->Bind(1, key);
    int rc = st->Step();
    if (rc == SQLITE_DONE) {
      return Status::CustomerNotFound("No customer found with " + std::string(key));
    }
    if (rc != SQLITE_ROW) return conn.Error("load customer");
    c = ReadCustomerRow(*st);
  }
  if (Status s = LoadAddresses(conn, c); !s.ok()) return s;
  return c;
}

Status WriteAddresses(Connection& conn, const Customer& c) {
  for (size_t i = 0; i < c.addresses.size(); ++i) {
    const Address& a = c.addresses[i];
    Result<Statement> st = conn.Prepare(InsertAddress());
    if (!st.ok()) return st.status();
    int p = 1;
    for (AddressField f : kAllAddressFields) st->Bind(p++, a.Field(f));
    st->Bind(p, a.id).Bind(p + 1, a.created_at).Bind(p + 2, a.updated_at);
    st->Bind(p + 3, c.id).Bind(p + 4, static_cast<int64_t>(i));
    if (st->Step() != SQLITE_DONE) {
      if (conn.ExtendedErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status::Invalid("addresses[" + std::to_string(i) + "].id",
                               "address id " + a.id + " is already used by another customer");
      }
      return conn.Error("write address");
    }
  }
  return Status::Ok();
}

Status ConstraintStatus(Connection& conn, std::string_view what) {
  int code = conn.ExtendedErrorCode();
  if (code == SQLITE_CONSTRAINT_UNIQUE) {
    return Status::DuplicateEmail("A customer with this email already exists");
  }
  if (code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status::Invalid("id", "a customer with this id already exists");
  }
  return conn.Error(what);
}

void BindCustomer(Statement& st, const Customer& c) {
  st.Bind(1, c.id)
      .Bind(2, c.email)
      .Bind(3, EmailKey(c.email))
      .Bind(4, c.first_name)
      .Bind(5, c.last_name)
      .Bind(6, c.display_name)
      .Bind(7, c.password_hash)
      .Bind(8, c.external_ref)
      .Bind(9, StatusName(c.status))
      .Bind(10, JsonStringArray(c.tags))
      .Bind(11, c.created_at)
      .Bind(12, c.updated_at);
}

// SQL pieces for CustomerQuery. Every operand is a bound parameter.
struct CompiledWhere {
  std::string sql;
  std::vector<std::string> text;                 // bound in order; int operands use `ints`
  std::vector<std::pair<size_t, int64_t>> ints;  // (parameter index, value)
  size_t next = 1;

  std::string Param(std::string value) {
    text.push_back(std::move(value));
    return "?" + std::to_string(next++);
  }
  std::string Param(int64_t value) {
    ints.emplace_back(next, value);
    text.emplace_back();
    return "?" + std::to_string(next++);
  }
};

std::string LikePattern(std::string_view pattern) {
  bool lead = !pattern.empty() && pattern.front() == '*';
  if (lead) pattern.remove_prefix(1);
  bool trail = !pattern.empty() && pattern.back() == '*';
  if (trail) pattern.remove_suffix(1);
  std::string out = lead ? "%" : "";
  for (char ch : pattern) {
    if (ch == '%' || ch == '_' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  if (trail) out.push_back('%');
  return out;
}

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

const char* Column(QueryField f) {
  switch (f) {
    case QueryField::kId:
      return "id";
    case QueryField::kEmail:
      return "email_key";
    case QueryField::kName:
      return "display_name";
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

// The values of an `in` as one JSON array, bound as a single parameter and
// read back with json_each: every list length shares one prepared statement,
// and an empty list naturally matches nothing.
std::string JsonList(const Condition& c) {
  std::vector<std::string> values;
  values.reserve(c.values.size());
  for (const std::string& v : c.values) {
    values.push_back(c.field == QueryField::kEmail ? EmailKey(v) : v);
  }
  return JsonStringArray(values);
}

// `conditions` passed ValidateQuery (CustomerService checks every query).
CompiledWhere CompileWhere(const std::vector<Condition>& conditions) {
  CompiledWhere w;
  for (const Condition& c : conditions) {
    w.sql += w.sql.empty() ? " WHERE " : " AND ";
    const bool is_time = c.field == QueryField::kCreatedAt || c.field == QueryField::kUpdatedAt;
    if (c.field == QueryField::kTag) {
      w.sql +=
          "EXISTS (SELECT 1 FROM json_each(customers.tags) WHERE json_each.value IN "
          "(SELECT value FROM json_each(" +
          w.Param(c.op == QueryOp::kIn ? JsonList(c) : JsonStringArray({c.values[0]})) + ")))";
      continue;
    }
    const std::string col = Column(c.field);
    if (is_time) {
      w.sql += col + Comparison(c.op) + w.Param(c.millis);
      continue;
    }
    // Name compares ASCII-case-insensitively, email through its folded key
    // (EmailKey); LIKE is ASCII-case-insensitive in SQLite already.
    const char* collate = c.field == QueryField::kName ? " COLLATE NOCASE" : "";
    const std::string operand =
        c.op == QueryOp::kIn
            ? std::string()
            : (c.field == QueryField::kEmail ? EmailKey(c.values[0]) : c.values[0]);
    switch (c.op) {
      case QueryOp::kLike:
        w.sql += col + " LIKE " + w.Param(LikePattern(operand)) + " ESCAPE '\\'";
        break;
      case QueryOp::kIn:
        w.sql += col + collate + " IN (SELECT value FROM json_each(" + w.Param(JsonList(c)) + "))";
        break;
      default:
        w.sql += col + collate + Comparison(c.op) + w.Param(operand);
    }
  }
  return w;
}

void BindWhere(Statement& st, const CompiledWhere& w) {
  size_t next_int = 0;
  for (size_t i = 0; i < w.text.size(); ++i) {
    int index = static_cast<int>(i + 1);
    if (next_int < w.ints.size() && w.ints[next_int].first == i + 1) {
      st.Bind(index, w.ints[next_int++].second);
    } else {
      st.Bind(index, std::string_view(w.text[i]));
    }
  }
}

std::string OrderBy(const SortOrder& sort) {
  const char* dir = sort.descending ? " DESC" : " ASC";
  std::string key;
  switch (sort.field) {
    case QueryField::kName:
      key = "display_name COLLATE NOCASE";
      break;
    case QueryField::kEmail:
      key = "email_key";
      break;
    case QueryField::kId:
      return std::string(" ORDER BY id") + dir;
    case QueryField::kUpdatedAt:
      key = "updated_at";
      break;
    default:
      key = "created_at";
  }
  return " ORDER BY " + key + dir + ", id" + dir;
}

}  // namespace

Result<Customer> LoadCustomer(Connection& conn, std::string_view id) {
  static const std::string sql =
      std::string("SELECT ") + kCustomerColumns + " FROM customers WHERE id = ?1";
  Result<Customer> c = LoadOne(conn, sql, id);
  if (!c.ok() && c.status().code() == ErrorCode::kCustomerNotFound) {
    return Status::CustomerNotFound("No customer found with id " + std::string(id));
  }
  return c;
}

Result<Customer> LoadCustomerByEmail(Connection& conn, std::string_view email) {
  static const std::string sql =
      std::string("SELECT ") + kCustomerColumns + " FROM customers WHERE email_key = ?1";
  return LoadOne(conn, sql, EmailKey(email));
}

Status InsertCustomer(Connection& conn, const Customer& c) {
  {
    Result<Statement> st = conn.Prepare(
        "INSERT INTO customers (id, email, email_key, first_name, last_name, display_name, "
        "password_hash, external_ref, status, tags, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!st.ok()) return st.status();
    BindCustomer(*st, c);
    if (st->Step() != SQLITE_DONE) return ConstraintStatus(conn, "insert customer");
  }
  return WriteAddresses(conn, c);
}

Status SaveCustomer(Connection& conn, const Customer& c) {
  {
    Result<Statement> st = conn.Prepare(
        "UPDATE customers SET email = ?2, email_key = ?3, first_name = ?4, last_name = ?5, "
        "display_name = ?6, password_hash = ?7, external_ref = ?8, status = ?9, tags = ?10, "
        "created_at = ?11, updated_at = ?12 WHERE id = ?1");
    if (!st.ok()) return st.status();
    BindCustomer(*st, c);
    if (st->Step() != SQLITE_DONE) return ConstraintStatus(conn, "update customer");
  }
  {
    Result<Statement> del = conn.Prepare("DELETE FROM addresses WHERE customer_id = ?1");
    if (!del.ok()) return del.status();
    del->Bind(1, c.id);
    if (del->Step() != SQLITE_DONE) return conn.Error("replace addresses");
  }
  return WriteAddresses(conn, c);
}

Status DeleteCustomer(Connection& conn, std::string_view id) {
  Result<Statement> st = conn.Prepare("DELETE FROM customers WHERE id = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, id);
  if (st->Step() != SQLITE_DONE) return conn.Error("delete customer");
  if (sqlite3_changes(conn.raw()) == 0) {
    return Status::CustomerNotFound("No customer found with id " + std::string(id));
  }
  return Status::Ok();
}

namespace {

// The page query for `q`: conditions, order, then LIMIT/OFFSET as the two
// parameters after the conditions' own.
std::string PageSql(const CompiledWhere& where, const SortOrder& sort) {
  const int limit_index = static_cast<int>(where.next);
  return std::string("SELECT ") + kCustomerColumns + " FROM customers" + where.sql + OrderBy(sort) +
         " LIMIT ?" + std::to_string(limit_index) + " OFFSET ?" + std::to_string(limit_index + 1);
}

}  // namespace

Status VisitAllCustomers(Connection& conn, const std::function<void(const Customer&)>& visit) {
  Result<Statement> st = conn.Prepare(std::string("SELECT ") + kCustomerColumns +
                                      " FROM customers ORDER BY created_at, id");
  if (!st.ok()) return st.status();
  int rc;
  while ((rc = st->Step()) == SQLITE_ROW) {
    Customer c = ReadCustomerRow(*st);
    if (Status s = LoadAddresses(conn, c); !s.ok()) return s;
    visit(c);
  }
  return rc == SQLITE_DONE ? Status::Ok() : conn.Error("visit customers");
}

Result<std::string> ExplainCustomerQuery(Connection& conn, const CustomerQuery& q) {
  if (Status s = ValidateQuery(q); !s.ok()) return s;
  const CompiledWhere where = CompileWhere(q.conditions);
  Result<Statement> st = conn.Prepare("EXPLAIN QUERY PLAN " + PageSql(where, q.sort));
  if (!st.ok()) return st.status();
  BindWhere(*st, where);
  const int limit_index = static_cast<int>(where.next);
  st->Bind(limit_index, q.limit).Bind(limit_index + 1, q.offset);
  std::string plan;
  int rc;
  while ((rc = st->Step()) == SQLITE_ROW) plan += st->Text(3) + "\n";
  if (rc != SQLITE_DONE) return conn.Error("explain customers");
  return plan;
}

Result<CustomerPage> QueryCustomers(Connection& conn, const CustomerQuery& q) {
  const CompiledWhere where = CompileWhere(q.conditions);
  CustomerPage page;
  {
    Result<Statement> count = conn.Prepare("SELECT count(*) FROM customers" + where.sql);
    if (!count.ok()) return count.status();
    BindWhere(*count, where);
    if (count->Step() != SQLITE_ROW) return conn.Error("count customers");
    page.total = count->Int(0);
  }
  {
    const int limit_index = static_cast<int>(where.next);
    Result<Statement> st = conn.Prepare(PageSql(where, q.sort));
    if (!st.ok()) return st.status();
    BindWhere(*st, where);
    st->Bind(limit_index, q.limit).Bind(limit_index + 1, q.offset);
    int rc;
    while ((rc = st->Step()) == SQLITE_ROW) page.customers.push_back(ReadCustomerRow(*st));
    if (rc != SQLITE_DONE) return conn.Error("list customers");
  }
  for (Customer& c : page.customers) {
    if (Status s = LoadAddresses(conn, c); !s.ok()) return s;
  }
  return page;
}

}  // namespace gateway::sqlite
