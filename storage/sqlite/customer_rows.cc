#include "storage/sqlite/customer_rows.h"

#include <simdjson.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_scalar.h"
#include "common/json_writer.h"
#include "storage/sql/where_clause.h"

namespace gateway::sqlite {
namespace {

// The customers table's columns, once: the fixed columns, then one per
// CustomerTextField named by the core (so a new text field needs only its
// schema migration here). The SELECT list, the INSERT and UPDATE statements
// and the named parameters (":" + column) all derive from it; ReadCustomerRow
// reads the selected columns by these positions.
enum FixedColumn {
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
  kCustom,
  kFixedColumnCount
};
constexpr std::array<std::string_view, kFixedColumnCount> kFixedColumns = {
    "id",     "email", "first_name", "last_name",  "display_name", "password_hash",
    "status", "tags",  "created_at", "updated_at", "custom"};
// Written, never read back: derived from email.
constexpr std::string_view kEmailKeyColumn = "email_key";

// What the SELECTs read, in order: the fixed columns, then the text fields.
const std::vector<std::string>& ReadColumns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c(kFixedColumns.begin(), kFixedColumns.end());
    for (CustomerTextField f : kAllCustomerTextFields) c.emplace_back(FieldName(f));
    return c;
  }();
  return columns;
}

std::string JoinColumns(const std::vector<std::string>& columns, std::string_view prefix) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) {
    out.append(i ? ", " : "").append(prefix).append(columns[i]);
  }
  return out;
}

const std::string kCustomerColumns = JoinColumns(ReadColumns(), "");

std::vector<std::string> WrittenColumns() {
  std::vector<std::string> columns = ReadColumns();
  columns.emplace_back(kEmailKeyColumn);
  return columns;
}

std::string InsertCustomerSql() {
  const std::vector<std::string> columns = WrittenColumns();
  return "INSERT INTO customers (" + JoinColumns(columns, "") + ") VALUES (" +
         JoinColumns(columns, ":") + ")";
}

std::string UpdateCustomerSql() {
  std::string set;
  for (const std::string& column : WrittenColumns()) {
    if (column == kFixedColumns[kId]) continue;
    set.append(set.empty() ? "" : ", ").append(column).append(" = :").append(column);
  }
  return "UPDATE customers SET " + set + " WHERE id = :id";
}

std::string AddressColumns() {
  std::string cols;
  for (AddressField f : kAllAddressFields) cols.append(FieldName(f)).append(", ");
  return cols + "id, created_at, updated_at, custom";
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
    for (size_t i = 1; i <= kAllAddressFields.size() + 6; ++i) {
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
  c.id = st.Text(kId);
  c.email = st.Text(kEmail);
  c.first_name = st.Text(kFirstName);
  c.last_name = st.Text(kLastName);
  c.display_name = st.Text(kDisplayName);
  c.password_hash = st.OptionalText(kPasswordHash);
  c.status = ParseStatus(st.Text(kStatus)).value_or(CustomerStatus::kActive);
  c.tags = ParseTags(st.Text(kTags));
  c.created_at = st.Int(kCreatedAt);
  c.updated_at = st.Int(kUpdatedAt);
  c.custom = DecodeJsonScalarMap(st.Text(kCustom)).value_or(CustomValues());
  int col = kFixedColumnCount;
  for (CustomerTextField f : kAllCustomerTextFields) c.Field(f) = st.OptionalText(col++);
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
    a.custom = DecodeJsonScalarMap(st->Text(col++)).value_or(CustomValues());
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
    st->Bind(p + 3, std::string_view(EncodeJsonScalarMap(a.custom)));
    st->Bind(p + 4, c.id).Bind(p + 5, static_cast<int64_t>(i));
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
  st.Bind(":id", c.id)
      .Bind(":email", c.email)
      .Bind(":email_key", EmailKey(c.email))
      .Bind(":first_name", c.first_name)
      .Bind(":last_name", c.last_name)
      .Bind(":display_name", c.display_name)
      .Bind(":password_hash", c.password_hash)
      .Bind(":status", StatusName(c.status))
      .Bind(":tags", JsonStringArray(c.tags))
      .Bind(":created_at", c.created_at)
      .Bind(":updated_at", c.updated_at)
      .Bind(":custom", std::string_view(EncodeJsonScalarMap(c.custom)));
  static const std::vector<std::string> text_params = [] {
    std::vector<std::string> params;
    for (CustomerTextField f : kAllCustomerTextFields)
      params.push_back(":" + std::string(FieldName(f)));
    return params;
  }();
  for (size_t i = 0; i < kAllCustomerTextFields.size(); ++i) {
    st.Bind(text_params[i].c_str(), c.Field(kAllCustomerTextFields[i]));
  }
}

// SQL pieces for CustomerQuery. Every operand is a bound parameter.
struct CompiledWhere {
  std::string sql;
  std::vector<std::string> text;                 // bound in order; int operands use `ints`
  std::vector<std::pair<size_t, int64_t>> ints;  // (parameter index, value)
  size_t next = 1;
  bool searched = false;  // a `like` condition reads the trigram index

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

// Characters as the trigram tokenizer counts them (SQLite's READ_UTF8: a lead
// byte takes the continuation bytes after it; any other byte is one
// character). The trigram index answers only for three or more.
size_t TrigramCharacters(std::string_view text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++count) {
    const auto lead = static_cast<unsigned char>(text[i++]);
    if (lead < 0xC0) continue;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return count;
}

// An FTS5 query for rows whose `column` contains `literal`: one quoted phrase
// (a '"' inside is doubled), so no character of the value is query syntax.
std::string TrigramMatch(const char* column, std::string_view literal) {
  std::string out = std::string(column) + " : \"";
  for (char ch : literal) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  return out + "\"";
}

// The values of an `in` as one JSON array, bound as a single parameter and
// read back with json_each: every list length shares one prepared statement,
// and an empty list naturally matches nothing.
std::string JsonList(QueryField field, const std::vector<std::string>& values) {
  std::vector<std::string> keys;
  keys.reserve(values.size());
  for (const std::string& v : values) keys.push_back(field == QueryField::kEmail ? EmailKey(v) : v);
  return JsonStringArray(keys);
}

// Name compares ASCII-case-insensitively (NOCASE), email through its folded
// key (EmailKey); LIKE is ASCII-case-insensitive in SQLite already.
class SqliteConditions final : public sql::ConditionWriter {
 public:
  SqliteConditions(CompiledWhere& w, bool use_search_index)
      : w_(w), use_search_index_(use_search_index) {}

  std::string Time(const char* column, QueryOp op, int64_t millis) override {
    return column + std::string(sql::Comparison(op)) + w_.Param(millis);
  }
  std::string AnyTag(const std::vector<std::string>& values) override {
    return "EXISTS (SELECT 1 FROM json_each(customers.tags) WHERE json_each.value IN "
           "(SELECT value FROM json_each(" +
           w_.Param(JsonStringArray(values)) + ")))";
  }
  std::string In(QueryField field, const char* column,
                 const std::vector<std::string>& values) override {
    return column + std::string(Collate(field)) + " IN (SELECT value FROM json_each(" +
           w_.Param(JsonList(field, values)) + "))";
  }
  std::string Like(QueryField field, const char* column, std::string_view value) override {
    const std::string operand = Operand(field, value);
    std::string out;
    // The trigram index narrows the rows to those containing the literal
    // under a case folding at least as wide as LIKE's (it folds Unicode case
    // too), so it never drops a match; LIKE then decides exactly. Shorter
    // literals scan, as the index cannot answer for them.
    const std::string_view literal = sql::LikeLiteral(operand);
    if (use_search_index_ && (field == QueryField::kName || field == QueryField::kEmail) &&
        TrigramCharacters(literal) >= 3) {
      w_.searched = true;
      out = "customers.rowid IN (SELECT rowid FROM customers_search WHERE customers_search MATCH " +
            w_.Param(TrigramMatch(column, literal)) + ") AND ";
    }
    return out + column + " LIKE " + w_.Param(sql::LikePattern(operand)) + " ESCAPE '\\'";
  }
  std::string Compare(QueryField field, const char* column, QueryOp op,
                      std::string_view value) override {
    return column + std::string(Collate(field)) + sql::Comparison(op) +
           w_.Param(Operand(field, value));
  }

 private:
  static const char* Collate(QueryField field) {
    return field == QueryField::kName ? " COLLATE NOCASE" : "";
  }
  static std::string Operand(QueryField field, std::string_view value) {
    return field == QueryField::kEmail ? EmailKey(value) : std::string(value);
  }

  CompiledWhere& w_;
  const bool use_search_index_;
};

// `conditions` passed ValidateQuery (CustomerService checks every query).
CompiledWhere CompileWhere(const std::vector<Condition>& conditions, bool use_search_index) {
  CompiledWhere w;
  SqliteConditions writer(w, use_search_index);
  w.sql = sql::WhereClause(conditions, "display_name", writer);
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
    static const std::string sql = InsertCustomerSql();
    Result<Statement> st = conn.Prepare(sql);
    if (!st.ok()) return st.status();
    BindCustomer(*st, c);
    if (st->Step() != SQLITE_DONE) return ConstraintStatus(conn, "insert customer");
  }
  return WriteAddresses(conn, c);
}

Status SaveCustomer(Connection& conn, const Customer& c) {
  {
    static const std::string sql = UpdateCustomerSql();
    Result<Statement> st = conn.Prepare(sql);
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

void BindPage(Statement& st, const CompiledWhere& where, const CustomerQuery& q) {
  BindWhere(st, where);
  const int limit_index = static_cast<int>(where.next);
  st.Bind(limit_index, q.limit).Bind(limit_index + 1, q.offset);
}

// Counts the matches of `q` into *total (when given) and returns the WHERE
// clause the page query should use. The count reads the trigram index for a
// `like`: it visits only the candidate rows, never more than a scan would.
// The page need not: with the index, every candidate is read and sorted
// before the first row is returned; without it, SQLite walks the sort key's
// index and stops once the page is full, which visits about
// (offset + limit) * rows / matches rows. A substring most customers share
// ("*son*") is paged faster by the walk, a rare one by the index; the page
// takes whichever visits fewer rows (rows estimated by the largest rowid).
Result<CompiledWhere> CountAndChoosePage(Connection& conn, const CustomerQuery& q, int64_t* total) {
  CompiledWhere where = CompileWhere(q.conditions, true);
  int64_t matches = 0;
  {
    Result<Statement> count = conn.Prepare("SELECT count(*) FROM customers" + where.sql);
    if (!count.ok()) return count.status();
    BindWhere(*count, where);
    if (count->Step() != SQLITE_ROW) return conn.Error("count customers");
    matches = count->Int(0);
  }
  if (total != nullptr) *total = matches;
  if (!where.searched || matches == 0) return where;
  Result<Statement> rows = conn.Prepare("SELECT coalesce(max(rowid), 0) FROM customers");
  if (!rows.ok()) return rows.status();
  if (rows->Step() != SQLITE_ROW) return conn.Error("count customers");
  const double walked = static_cast<double>(q.offset + q.limit) *
                        static_cast<double>(rows->Int(0)) / static_cast<double>(matches);
  if (walked >= static_cast<double>(matches)) return where;
  return CompileWhere(q.conditions, false);
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
  Result<CompiledWhere> where = CountAndChoosePage(conn, q, nullptr);
  if (!where.ok()) return where.status();
  Result<Statement> st = conn.Prepare("EXPLAIN QUERY PLAN " + PageSql(*where, q.sort));
  if (!st.ok()) return st.status();
  BindPage(*st, *where, q);
  std::string plan;
  int rc;
  while ((rc = st->Step()) == SQLITE_ROW) plan += st->Text(3) + "\n";
  if (rc != SQLITE_DONE) return conn.Error("explain customers");
  return plan;
}

Result<CustomerPage> QueryCustomers(Connection& conn, const CustomerQuery& q) {
  CustomerPage page;
  Result<CompiledWhere> where = CountAndChoosePage(conn, q, &page.total);
  if (!where.ok()) return where.status();
  if (page.total <= q.offset) return page;  // past the last match: nothing to read
  {
    Result<Statement> st = conn.Prepare(PageSql(*where, q.sort));
    if (!st.ok()) return st.status();
    BindPage(*st, *where, q);
    int rc;
    while ((rc = st->Step()) == SQLITE_ROW) page.customers.push_back(ReadCustomerRow(*st));
    if (rc != SQLITE_DONE) return conn.Error("list customers");
  }
  for (Customer& c : page.customers) {
    if (Status s = LoadAddresses(conn, c); !s.ok()) return s;
  }
  return page;
}

Status SyncSearchIndex(Connection& conn) {
  // The first note of a row within a transaction wins (INSERT OR IGNORE in
  // the triggers), so `indexed`/old_ describe what the index held before the
  // transaction: remove that, then add what the row holds now, if it still
  // exists. One statement each, so FTS5 writes its terms once.
  static constexpr const char* kSteps[] = {
      "INSERT INTO customers_search(customers_search, rowid, display_name, email_key) "
      "SELECT 'delete', customer_rowid, old_display_name, old_email_key "
      "FROM customers_search_pending WHERE indexed",
      "INSERT INTO customers_search(rowid, display_name, email_key) "
      "SELECT c.rowid, c.display_name, c.email_key FROM customers_search_pending p "
      "JOIN customers c ON c.rowid = p.customer_rowid",
      "DELETE FROM customers_search_pending",
  };
  {
    Result<Statement> any = conn.Prepare("SELECT 1 FROM customers_search_pending LIMIT 1");
    if (!any.ok()) return any.status();
    const int rc = any->Step();
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return conn.Error("read search index notes");
  }
  for (const char* sql : kSteps) {
    Result<Statement> st = conn.Prepare(sql);
    if (!st.ok()) return st.status();
    if (st->Step() != SQLITE_DONE) return conn.Error("update search index");
  }
  return Status::Ok();
}

Result<std::map<std::string, int64_t>> CountPasswordSchemes(Connection& conn) {
  // The same classification as PasswordSchemeOf, by exact (case-sensitive)
  // prefix; one pass over the table, grouped in SQLite.
  Result<Statement> st = conn.Prepare(
      "SELECT CASE"
      " WHEN password_hash IS NULL OR password_hash = '' THEN 'none'"
      " WHEN substr(password_hash, 1, 8) = '$scrypt$' THEN 'scrypt'"
      " WHEN substr(password_hash, 1, 4) IN ('$2a$', '$2b$', '$2y$') THEN 'bcrypt'"
      " ELSE 'other' END AS scheme, count(*) FROM customers GROUP BY scheme");
  if (!st.ok()) return st.status();
  std::map<std::string, int64_t> counts = {{"none", 0}, {"scrypt", 0}, {"bcrypt", 0}, {"other", 0}};
  int rc;
  while ((rc = st->Step()) == SQLITE_ROW) counts[st->Text(0)] = st->Int(1);
  if (rc != SQLITE_DONE) return conn.Error("count password schemes");
  return counts;
}

}  // namespace gateway::sqlite
