#include "storage/sqlite/bulk_load.h"

#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "common/json_writer.h"
#include "storage/sqlite/customer_rows.h"

namespace gateway::sqlite {
namespace {

// Indexes only listings read, and the substring index's change notes.
constexpr const char* kDeferrable =
    "SELECT type, name, sql FROM sqlite_master WHERE "
    "(type = 'index' AND name IN ('customers_external_ref', 'customers_created_at', "
    "'customers_updated_at', 'customers_display_name')) OR "
    "(type = 'trigger' AND name IN ('customers_search_insert', 'customers_search_delete', "
    "'customers_search_update')) ORDER BY type, name";

Result<std::optional<std::string>> Recorded(Connection& conn) {
  Result<Statement> st = conn.Prepare("SELECT value FROM settings WHERE key = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, kDeferredSchemaKey);
  const int rc = st->Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return conn.Error("read deferred schema");
  return std::optional<std::string>(st->Text(0));
}

}  // namespace

Result<bool> DeferIndexes(Connection& conn) {
  if (Status s = conn.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  auto fail = [&](Status s) -> Result<bool> { return conn.Rollback(std::move(s)); };
  Result<std::optional<std::string>> recorded = Recorded(conn);
  if (!recorded.ok()) return fail(recorded.status());
  if (*recorded) {
    if (Status s = conn.Exec("COMMIT"); !s.ok()) return fail(s);
    return true;
  }
  bool empty = false;
  {
    Result<Statement> any = conn.Prepare("SELECT 1 FROM customers LIMIT 1");
    if (!any.ok()) return fail(any.status());
    const int rc = any->Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(conn.Error("check for customers"));
    empty = rc == SQLITE_DONE;
  }
  if (!empty) {
    if (Status s = conn.Exec("COMMIT"); !s.ok()) return fail(s);
    return false;
  }
  std::vector<std::string> creates;
  std::vector<std::string> drops;
  {
    Result<Statement> st = conn.Prepare(kDeferrable);
    if (!st.ok()) return fail(st.status());
    int rc;
    while ((rc = st->Step()) == SQLITE_ROW) {
      creates.push_back(st->Text(2));
      drops.push_back("DROP " + std::string(st->Text(0) == "index" ? "INDEX " : "TRIGGER ") +
                      st->Text(1));
    }
    if (rc != SQLITE_DONE) return fail(conn.Error("read the schema"));
  }
  {
    Result<Statement> put = conn.Prepare("INSERT INTO settings (key, value) VALUES (?1, ?2)");
    if (!put.ok()) return fail(put.status());
    put->Bind(1, kDeferredSchemaKey).Bind(2, JsonStringArray(creates));
    if (put->Step() != SQLITE_DONE) return fail(conn.Error("record deferred schema"));
  }
  for (const std::string& drop : drops) {
    if (Status s = conn.Exec(drop.c_str()); !s.ok()) return fail(s);
  }
  if (Status s = conn.Exec("COMMIT"); !s.ok()) return fail(s);
  return true;
}

Result<bool> RestoreIndexes(Connection& conn) {
  Result<std::optional<std::string>> recorded = Recorded(conn);
  if (!recorded.ok()) return recorded.status();
  if (!*recorded) return false;
  simdjson::dom::parser parser;
  simdjson::dom::array creates;
  if (parser.parse(**recorded).get(creates)) {
    return Status::Internal("the deferred schema record is unreadable");
  }
  for (simdjson::dom::element e : creates) {
    std::string_view sql;
    if (e.get(sql)) return Status::Internal("the deferred schema record is unreadable");
    if (Status s = conn.Exec(std::string(sql).c_str()); !s.ok()) return s;
  }
  // The triggers were gone while rows arrived: the index is rebuilt from the
  // table, and notes made before the load are moot.
  if (Status s = conn.Exec("DELETE FROM customers_search_pending"); !s.ok()) return s;
  if (Status s = conn.Exec("INSERT INTO customers_search(customers_search) VALUES ('rebuild')");
      !s.ok()) {
    return s;
  }
  Result<Statement> forget = conn.Prepare("DELETE FROM settings WHERE key = ?1");
  if (!forget.ok()) return forget.status();
  forget->Bind(1, kDeferredSchemaKey);
  if (forget->Step() != SQLITE_DONE) return conn.Error("forget deferred schema");
  return true;
}

}  // namespace gateway::sqlite
