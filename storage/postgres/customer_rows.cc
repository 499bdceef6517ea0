#include "storage/postgres/customer_rows.h"

#include <simdjson.h>

#include <array>
#include <string>
#include <vector>

#include "common/json_scalar.h"
#include "common/json_writer.h"
#include "storage/sql/where_clause.h"

namespace gateway::postgres {
namespace {

// What every customer SELECT reads, by these positions: the row, its tags as
// a JSON array, its addresses as one JSON array of arrays in position order
// (AddressColumns), so a customer is one row read in one statement; then one
// column per CustomerTextField named by the core (a new text field needs
// only its schema migration here).
enum CustomerColumn {
  kId,
  kEmail,
  kFirstName,
  kLastName,
  kDisplayName,
  kPasswordHash,
  kStatus,
  kTags,
  kCreatedAt,
  kUpdatedAt,
  kAddresses,
  kFirstTextField,
  // then the custom field values, after the text fields
};

// The columns a write sets, in CustomerParams order, with their SQL types.
struct WrittenColumn {
  std::string name;
  const char* type;
};
const std::vector<WrittenColumn>& WrittenColumns() {
  static const std::vector<WrittenColumn> columns = [] {
    std::vector<WrittenColumn> c = {
        {"id", "text"},         {"email", "text"},         {"email_key", "text"},
        {"first_name", "text"}, {"last_name", "text"},     {"display_name", "text"},
        {"name_key", "text"},   {"password_hash", "text"}, {"status", "text"},
        {"tags", "text[]"},     {"created_at", "bigint"},  {"updated_at", "bigint"}};
    for (CustomerTextField f : kAllCustomerTextFields)
      c.push_back({std::string(FieldName(f)), "text"});
    c.push_back({"custom", "text"});
    return c;
  }();
  return columns;
}

std::string ColumnList(std::string_view prefix = "") {
  std::string out;
  for (const WrittenColumn& c : WrittenColumns()) {
    out.append(out.empty() ? "" : ", ").append(prefix).append(c.name);
  }
  return out;
}

std::string AddressColumns() {
  std::string cols;
  for (AddressField f : kAllAddressFields) cols.append("a.").append(FieldName(f)).append(", ");
  return cols + "a.id, a.created_at, a.updated_at, a.custom";
}

const std::string& CustomerSelect() {
  static const std::string sql = [] {
    std::string s =
        "SELECT c.id, c.email, c.first_name, c.last_name, c.display_name, c.password_hash, "
        "c.status, array_to_json(c.tags), c.created_at, c.updated_at, "
        "(SELECT json_agg(json_build_array(" +
        AddressColumns() + ") ORDER BY a.position) FROM addresses a WHERE a.customer_id = c.id)";
    for (CustomerTextField f : kAllCustomerTextFields) s.append(", c.").append(FieldName(f));
    return s + ", c.custom FROM customers c";
  }();
  return sql;
}

// ASCII letters lower-cased, nothing else: the folding of email and name.
std::string Fold(std::string_view text) { return EmailKey(text); }

// An array literal of any element type: elements quoted, NULLs bare.
std::string ArrayLiteral(const std::vector<Param>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    if (!items[i]) {
      out += "NULL";
      continue;
    }
    out.push_back('"');
    for (char ch : *items[i]) {
      if (ch == '"' || ch == '\\') out.push_back('\\');
      out.push_back(ch);
    }
    out.push_back('"');
  }
  return out + "}";
}

std::string TextArray(const std::vector<std::string>& items) {
  return ArrayLiteral(std::vector<Param>(items.begin(), items.end()));
}

// Rows of parameters as one array parameter per column, for unnest().
Params Columns(const std::vector<Params>& rows, size_t width) {
  std::vector<std::vector<Param>> columns(width);
  for (const Params& row : rows) {
    for (size_t c = 0; c < width; ++c) columns[c].push_back(row[c]);
  }
  Params out;
  for (const std::vector<Param>& column : columns) out.emplace_back(ArrayLiteral(column));
  return out;
}

Status ParseTags(const std::string& json, std::vector<std::string>& tags) {
  simdjson::dom::parser parser;
  simdjson::dom::array arr;
  if (parser.parse(json).get(arr)) return Status::Internal("stored tags are not a JSON array");
  for (auto v : arr) {
    std::string_view s;
    if (v.get(s)) return Status::Internal("a stored tag is not text");
    tags.emplace_back(s);
  }
  return Status::Ok();
}

Status ParseAddresses(const std::string& json, std::vector<Address>& out) {
  simdjson::dom::parser parser;
  simdjson::dom::array rows;
  if (parser.parse(json).get(rows)) return Status::Internal("stored addresses are unreadable");
  for (auto row : rows) {
    simdjson::dom::array cols;
    if (row.get(cols) || cols.size() != kAllAddressFields.size() + 4) {
      return Status::Internal("a stored address is unreadable");
    }
    Address a;
    size_t i = 0;
    for (auto v : cols) {
      std::string_view text;
      if (i < kAllAddressFields.size()) {
        if (!v.is_null()) {
          if (v.get(text)) return Status::Internal("a stored address field is not text");
          a.Field(kAllAddressFields[i]) = std::string(text);
        }
      } else if (i == kAllAddressFields.size()) {
        if (v.get(text)) return Status::Internal("a stored address id is not text");
        a.id = std::string(text);
      } else if (i == kAllAddressFields.size() + 3) {
        std::optional<CustomValues> custom;
        if (v.get(text) || !(custom = DecodeJsonScalarMap(text))) {
          return Status::Internal("stored address custom fields are unreadable");
        }
        a.custom = std::move(*custom);
      } else {
        int64_t millis = 0;
        if (v.get(millis)) return Status::Internal("a stored address time is not a number");
        (i == kAllAddressFields.size() + 1 ? a.created_at : a.updated_at) = millis;
      }
      ++i;
    }
    out.push_back(std::move(a));
  }
  return Status::Ok();
}

Result<Customer> ReadCustomerRow(const PgResult& r, int row) {
  Customer c;
  c.id = r.Text(row, kId);
  c.email = r.Text(row, kEmail);
  c.first_name = r.Text(row, kFirstName);
  c.last_name = r.Text(row, kLastName);
  c.display_name = r.Text(row, kDisplayName);
  c.password_hash = r.OptionalText(row, kPasswordHash);
  int column = kFirstTextField;
  for (CustomerTextField f : kAllCustomerTextFields) c.Field(f) = r.OptionalText(row, column++);
  std::optional<CustomValues> custom = DecodeJsonScalarMap(r.Text(row, column));
  if (!custom) return Status::Internal("stored custom fields are unreadable");
  c.custom = std::move(*custom);
  c.status = ParseStatus(r.Text(row, kStatus)).value_or(CustomerStatus::kActive);
  if (Status s = ParseTags(r.Text(row, kTags), c.tags); !s.ok()) return s;
  c.created_at = r.Int(row, kCreatedAt);
  c.updated_at = r.Int(row, kUpdatedAt);
  if (auto addresses = r.OptionalText(row, kAddresses)) {
    if (Status s = ParseAddresses(*addresses, c.addresses); !s.ok()) return s;
  }
  return c;
}

Result<std::vector<Customer>> ReadCustomers(const PgResult& r) {
  std::vector<Customer> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    Result<Customer> c = ReadCustomerRow(r, row);
    if (!c.ok()) return c.status();
    out.push_back(std::move(*c));
  }
  return out;
}

// The customer row's values, in WrittenColumns order.
Params CustomerParams(const Customer& c) {
  Params p = {c.id,
              c.email,
              Fold(c.email),
              c.first_name,
              c.last_name,
              c.display_name,
              Fold(c.display_name),
              c.password_hash,
              std::string(StatusName(c.status)),
              TextArray(c.tags),
              std::to_string(c.created_at),
              std::to_string(c.updated_at)};
  for (CustomerTextField f : kAllCustomerTextFields) p.push_back(c.Field(f));
  p.push_back(EncodeJsonScalarMap(c.custom));
  return p;
}

Status ConstraintStatus(const Connection& conn, const Status& error) {
  if (conn.sqlstate() == "23505") {
    if (conn.constraint() == "customers_email_key") {
      return Status::DuplicateEmail("A customer with this email already exists");
    }
    if (conn.constraint() == "customers_pkey") {
      return Status::Invalid("id", "a customer with this id already exists");
    }
  }
  return error;
}

std::string AddressColumnNames() {
  std::string cols;
  for (AddressField f : kAllAddressFields) cols.append(FieldName(f)).append(", ");
  return cols + "id, created_at, updated_at, customer_id, position, custom";
}
constexpr size_t kAddressWidth = kAllAddressFields.size() + 6;

// Address `i` of `c`, in AddressColumnNames order.
Params AddressParams(const Customer& c, size_t i) {
  const Address& a = c.addresses[i];
  Params params;
  for (AddressField f : kAllAddressFields) params.push_back(a.Field(f));
  params.insert(params.end(), {a.id, std::to_string(a.created_at), std::to_string(a.updated_at),
                               c.id, std::to_string(i), EncodeJsonScalarMap(a.custom)});
  return params;
}

Status WriteAddresses(Connection& conn, const Customer& c) {
  static const std::string sql = [] {
    std::string s = "INSERT INTO addresses (" + AddressColumnNames() + ") VALUES (";
    for (size_t i = 1; i <= kAddressWidth; ++i) {
      s += (i > 1 ? ", $" : "$") + std::to_string(i);
    }
    return s + ")";
  }();
  for (size_t i = 0; i < c.addresses.size(); ++i) {
    const Address& a = c.addresses[i];
    Result<PgResult> r = conn.Exec(sql, AddressParams(c, i));
    if (!r.ok()) {
      if (conn.sqlstate() == "23505" && conn.constraint() == "addresses_pkey") {
        return Status::Invalid("addresses[" + std::to_string(i) + "].id",
                               "address id " + a.id + " is already used by another customer");
      }
      return r.status();
    }
  }
  return Status::Ok();
}

// PostgreSQL text cannot hold a NUL byte, so no stored id or email holds
// one: a lookup naming one finds nothing, as it does on SQLite, without
// asking the server (which cannot be sent the key).
bool HasNul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

Result<Customer> LoadOne(Connection& conn, const std::string& sql, const std::string& key,
                         std::string_view shown) {
  if (HasNul(key)) return Status::CustomerNotFound("No customer found with " + std::string(shown));
  Result<PgResult> r = conn.Exec(sql, {key});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) {
    return Status::CustomerNotFound("No customer found with " + std::string(shown));
  }
  return ReadCustomerRow(*r, 0);
}

// SQL pieces for CustomerQuery. Every operand is a bound parameter.
struct CompiledWhere {
  std::string sql;
  Params params;

  std::string Param(std::string value) {
    params.emplace_back(std::move(value));
    return "$" + std::to_string(params.size());
  }
};

bool Folded(QueryField f) { return f == QueryField::kEmail || f == QueryField::kName; }

// Email and name compare through their folded keys, so eq, in, ranges and
// sorts fold as the contract says.
class PostgresConditions final : public sql::ConditionWriter {
 public:
  explicit PostgresConditions(CompiledWhere& w) : w_(w) {}

  std::string Time(const char* column, QueryOp op, int64_t millis) override {
    return column + std::string(sql::Comparison(op)) + w_.Param(std::to_string(millis)) +
           "::bigint";
  }
  std::string AnyTag(const std::vector<std::string>& values) override {
    return "tags && " + w_.Param(TextArray(values)) + "::text[]";
  }
  std::string In(QueryField field, const char* column,
                 const std::vector<std::string>& values) override {
    std::vector<std::string> keys;
    keys.reserve(values.size());
    for (const std::string& v : values) keys.push_back(Folded(field) ? Fold(v) : v);
    return column + std::string(" = ANY(") + w_.Param(TextArray(keys)) + "::text[])";
  }
  std::string Like(QueryField field, const char* column, std::string_view value) override {
    // ASCII-case-insensitive on every field: the folded keys already are,
    // the others are folded by lower(), which under "C" folds ASCII only.
    const std::string subject = Folded(field) ? column : "lower(" + std::string(column) + ")";
    return subject + " LIKE " + w_.Param(sql::LikePattern(Fold(value))) + " ESCAPE '\\'";
  }
  std::string Compare(QueryField field, const char* column, QueryOp op,
                      std::string_view value) override {
    return column + std::string(sql::Comparison(op)) +
           w_.Param(Folded(field) ? Fold(value) : std::string(value));
  }

 private:
  CompiledWhere& w_;
};

// `conditions` passed ValidateQuery (CustomerService checks every query).
CompiledWhere CompileWhere(const std::vector<Condition>& conditions) {
  CompiledWhere w;
  PostgresConditions writer(w);
  w.sql = sql::WhereClause(conditions, "name_key", writer);
  return w;
}

std::string OrderBy(const SortOrder& sort) {
  const char* dir = sort.descending ? " DESC" : " ASC";
  if (sort.field == QueryField::kId) return std::string(" ORDER BY c.id") + dir;
  std::string key;
  switch (sort.field) {
    case QueryField::kName:
      key = "c.name_key";
      break;
    case QueryField::kEmail:
      key = "c.email_key";
      break;
    case QueryField::kUpdatedAt:
      key = "c.updated_at";
      break;
    default:
      key = "c.created_at";
  }
  return " ORDER BY " + key + dir + ", c.id" + dir;
}

// The page query: conditions, order, then LIMIT/OFFSET as the two
// parameters after the conditions' own.
std::string PageSql(CompiledWhere& where, const CustomerQuery& q) {
  std::string sql = CustomerSelect() + where.sql + OrderBy(q.sort);
  sql += " LIMIT " + where.Param(std::to_string(q.limit)) + "::bigint";
  sql += " OFFSET " + where.Param(std::to_string(q.offset)) + "::bigint";
  return sql;
}

}  // namespace

Result<Customer> LoadCustomer(Connection& conn, std::string_view id, bool lock) {
  static const std::string plain = CustomerSelect() + " WHERE c.id = $1";
  static const std::string locked = plain + " FOR UPDATE OF c";
  return LoadOne(conn, lock ? locked : plain, std::string(id), "id " + std::string(id));
}

Result<Customer> LoadCustomerByEmail(Connection& conn, std::string_view email) {
  static const std::string sql = CustomerSelect() + " WHERE c.email_key = $1";
  return LoadOne(conn, sql, Fold(email), std::string(email));
}

Status InsertCustomer(Connection& conn, const Customer& c) {
  static const std::string sql = [] {
    std::string values;
    for (size_t i = 0; i < WrittenColumns().size(); ++i) {
      values.append(i ? ", $" : "$").append(std::to_string(i + 1));
      values.append("::").append(WrittenColumns()[i].type);
    }
    return "INSERT INTO customers (" + ColumnList() + ") VALUES (" + values + ")";
  }();
  if (Result<PgResult> r = conn.Exec(sql, CustomerParams(c)); !r.ok()) {
    return ConstraintStatus(conn, r.status());
  }
  return WriteAddresses(conn, c);
}

Status SaveCustomer(Connection& conn, const Customer& c) {
  static const std::string sql = [] {
    std::string set;
    for (size_t i = 1; i < WrittenColumns().size(); ++i) {
      const WrittenColumn& column = WrittenColumns()[i];
      set.append(i > 1 ? ", " : "").append(column.name).append(" = $");
      set.append(std::to_string(i + 1)).append("::").append(column.type);
    }
    return "UPDATE customers SET " + set + " WHERE id = $1";
  }();
  if (Result<PgResult> r = conn.Exec(sql, CustomerParams(c)); !r.ok()) {
    return ConstraintStatus(conn, r.status());
  }
  if (Result<PgResult> r = conn.Exec("DELETE FROM addresses WHERE customer_id = $1", {c.id});
      !r.ok()) {
    return r.status();
  }
  return WriteAddresses(conn, c);
}

Result<std::map<std::string, Customer>> LoadCustomersForUpdate(
    Connection& conn, const std::vector<std::string>& ids) {
  static const std::string sql = CustomerSelect() + " WHERE c.id = ANY($1::text[]) FOR UPDATE OF c";
  Result<PgResult> r = conn.Exec(sql, {TextArray(ids)});
  if (!r.ok()) return r.status();
  Result<std::vector<Customer>> rows = ReadCustomers(*r);
  if (!rows.ok()) return rows.status();
  std::map<std::string, Customer> out;
  for (Customer& c : *rows) out.emplace(c.id, std::move(c));
  return out;
}

Status InsertCustomers(Connection& conn, const std::vector<const Customer*>& customers) {
  if (customers.empty()) return Status::Ok();
  // One array per column; tags, an array per row, travel as the text of
  // each row's array literal and are cast back.
  static const std::string customers_sql = [] {
    std::string arrays;
    std::string names;
    for (size_t i = 0; i < WrittenColumns().size(); ++i) {
      const WrittenColumn& column = WrittenColumns()[i];
      const bool tags = column.name == "tags";
      arrays.append(i ? ", $" : "$").append(std::to_string(i + 1));
      arrays.append(tags ? "::text" : "::").append(tags ? "" : column.type).append("[]");
      names.append(i ? ", " : "").append(tags ? "tag_list" : column.name);
    }
    return "INSERT INTO customers (" + ColumnList() + ") SELECT " + ColumnList() + " FROM unnest(" +
           arrays + ") AS u(" + names +
           ") CROSS JOIN LATERAL (SELECT tag_list::text[] AS tags) AS t";
  }();
  static const std::string addresses_sql = [] {
    std::string s = "INSERT INTO addresses (" + AddressColumnNames() + ") SELECT * FROM unnest(";
    for (size_t i = 1; i <= kAddressWidth; ++i) {
      const bool integer = i > kAllAddressFields.size() + 1 && i != kAllAddressFields.size() + 4 &&
                           i != kAllAddressFields.size() + 6;
      s += (i > 1 ? ", $" : "$") + std::to_string(i) + (integer ? "::bigint[]" : "::text[]");
    }
    return s + ")";
  }();
  std::vector<Params> rows;
  std::vector<Params> addresses;
  for (const Customer* c : customers) {
    rows.push_back(CustomerParams(*c));
    for (size_t i = 0; i < c->addresses.size(); ++i) addresses.push_back(AddressParams(*c, i));
  }
  if (Result<PgResult> r = conn.Exec(customers_sql, Columns(rows, rows.front().size())); !r.ok()) {
    return ConstraintStatus(conn, r.status());
  }
  if (addresses.empty()) return Status::Ok();
  if (Result<PgResult> r = conn.Exec(addresses_sql, Columns(addresses, kAddressWidth)); !r.ok()) {
    return r.status();
  }
  return Status::Ok();
}

Status DeleteCustomer(Connection& conn, std::string_view id) {
  if (HasNul(id)) return Status::CustomerNotFound("No customer found with id " + std::string(id));
  Result<PgResult> r = conn.Exec("DELETE FROM customers WHERE id = $1", {std::string(id)});
  if (!r.ok()) return r.status();
  if (r->affected() == 0) {
    return Status::CustomerNotFound("No customer found with id " + std::string(id));
  }
  return Status::Ok();
}

Result<CustomerPage> QueryCustomers(Connection& conn, const CustomerQuery& q) {
  CompiledWhere where = CompileWhere(q.conditions);
  CustomerPage page;
  Result<PgResult> count =
      conn.ExecOnce("SELECT count(*) FROM customers" + where.sql, where.params);
  if (!count.ok()) return count.status();
  page.total = count->Int(0, 0);
  // The WHERE clause names bare columns; in the page query they are c's.
  const std::string sql = PageSql(where, q);
  Result<PgResult> rows = conn.ExecOnce(sql, where.params);
  if (!rows.ok()) return rows.status();
  Result<std::vector<Customer>> customers = ReadCustomers(*rows);
  if (!customers.ok()) return customers.status();
  page.customers = std::move(*customers);
  return page;
}

Result<std::string> ExplainCustomerQuery(Connection& conn, const CustomerQuery& q) {
  if (Status s = ValidateQuery(q); !s.ok()) return s;
  CompiledWhere where = CompileWhere(q.conditions);
  const std::string sql = PageSql(where, q);
  Result<PgResult> r = conn.ExecOnce("EXPLAIN " + sql, where.params);
  if (!r.ok()) return r.status();
  std::string plan;
  for (int row = 0; row < r->rows(); ++row) plan += r->Text(row, 0) + "\n";
  return plan;
}

Status VisitAllCustomers(Connection& conn, const std::function<void(const Customer&)>& visit,
                         int batch) {
  const std::string declare = "DECLARE gateway_visit NO SCROLL CURSOR FOR " + CustomerSelect() +
                              " ORDER BY c.created_at, c.id";
  if (Result<PgResult> r = conn.ExecOnce(declare); !r.ok()) return r.status();
  const std::string fetch = "FETCH " + std::to_string(batch) + " FROM gateway_visit";
  while (true) {
    Result<PgResult> r = conn.ExecOnce(fetch);
    if (!r.ok()) return r.status();
    if (r->rows() == 0) break;
    for (int row = 0; row < r->rows(); ++row) {
      Result<Customer> c = ReadCustomerRow(*r, row);
      if (!c.ok()) return c.status();
      visit(*c);
    }
  }
  return conn.ExecOnce("CLOSE gateway_visit").status();
}

Result<std::map<std::string, int64_t>> CountPasswordSchemes(Connection& conn) {
  // The same classification as PasswordSchemeOf, by exact (case-sensitive)
  // prefix, grouped by the server in one pass.
  Result<PgResult> r = conn.Exec(
      "SELECT CASE"
      " WHEN password_hash IS NULL OR password_hash = '' THEN 'none'"
      " WHEN left(password_hash, 8) = '$scrypt$' THEN 'scrypt'"
      " WHEN left(password_hash, 4) IN ('$2a$', '$2b$', '$2y$') THEN 'bcrypt'"
      " ELSE 'other' END AS scheme, count(*) FROM customers GROUP BY scheme");
  if (!r.ok()) return r.status();
  std::map<std::string, int64_t> counts = {{"none", 0}, {"scrypt", 0}, {"bcrypt", 0}, {"other", 0}};
  for (int row = 0; row < r->rows(); ++row) counts[r->Text(row, 0)] = r->Int(row, 1);
  return counts;
}

}  // namespace gateway::postgres
