#include "storage/sqlite/bulk_load.h"

#include <string>
#include <utility>
#include <vector>

namespace gateway::sqlite {
namespace {

// What a bulk load defers: none of them is read by the import itself.
constexpr const char* kDeferred =
    "('customers_created_at', 'customers_updated_at', 'customers_display_name', "
    "'customers_external_ref', 'customers_search_insert', 'customers_search_delete', "
    "'customers_search_update')";

// Run last, once the triggers are back: the substring index is rebuilt from
// the table, and the notes the triggers may have left are no longer needed.
constexpr const char* kRebuildSearch =
    "DELETE FROM customers_search_pending; "
    "INSERT INTO customers_search(customers_search) VALUES ('rebuild')";

Result<bool> MarkerExists(Connection& conn) {
  Result<Statement> st = conn.Prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bulk_load_pending'");
  if (!st.ok()) return st.status();
  const int rc = st->Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return conn.Error("read schema");
  return rc == SQLITE_ROW;
}

}  // namespace

Result<bool> IndexesPending(Connection& conn) {
  Result<bool> exists = MarkerExists(conn);
  if (!exists.ok() || !*exists) return exists;
  Result<Statement> st = conn.Prepare("SELECT 1 FROM bulk_load_pending LIMIT 1");
  if (!st.ok()) return st.status();
  const int rc = st->Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return conn.Error("read bulk_load_pending");
  return rc == SQLITE_ROW;
}

Result<bool> NoCustomers(Connection& conn) {
  Result<Statement> st = conn.Prepare("SELECT 1 FROM customers LIMIT 1");
  if (!st.ok()) return st.status();
  const int rc = st->Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return conn.Error("read customers");
  return rc == SQLITE_DONE;
}

Status DeferIndexes(Connection& conn) {
  {
    if (Status s = conn.Exec("CREATE TABLE IF NOT EXISTS bulk_load_pending ("
                             "  seq  INTEGER PRIMARY KEY,"
                             "  name TEXT NOT NULL,"
                             "  sql  TEXT NOT NULL)");
        !s.ok()) {
      return s;
    }
    std::vector<std::pair<std::string, std::string>> objects;  // (type, name)
    {
      Result<Statement> list =
          conn.Prepare(std::string("SELECT type, name, sql FROM sqlite_master WHERE name IN ") +
                       kDeferred + " ORDER BY type, name");
      if (!list.ok()) return list.status();
      int rc;
      while ((rc = list->Step()) == SQLITE_ROW) {
        objects.emplace_back(list->Text(0), list->Text(1));
        Result<Statement> note =
            conn.Prepare("INSERT INTO bulk_load_pending (name, sql) VALUES (?1, ?2)");
        if (!note.ok()) return note.status();
        note->Bind(1, list->Text(1)).Bind(2, list->Text(2));
        if (note->Step() != SQLITE_DONE) return conn.Error("note a deferred index");
      }
      if (rc != SQLITE_DONE) return conn.Error("read schema");
    }
    if (objects.empty()) return Status::Ok();  // already deferred
    Result<Statement> rebuild =
        conn.Prepare("INSERT INTO bulk_load_pending (name, sql) VALUES ('customers_search', ?1)");
    if (!rebuild.ok()) return rebuild.status();
    rebuild->Bind(1, std::string_view(kRebuildSearch));
    if (rebuild->Step() != SQLITE_DONE) return conn.Error("note the search index rebuild");
    for (const auto& [type, name] : objects) {
      const std::string drop = "DROP " + type + " \"" + name + "\"";
      if (Status s = conn.Exec(drop.c_str()); !s.ok()) return s;
    }
    return Status::Ok();
  }
}

Status BuildPendingIndexes(Connection& conn) {
  {
    Result<bool> exists = MarkerExists(conn);
    if (!exists.ok()) return exists.status();
    if (!*exists) return Status::Ok();
    std::vector<std::string> steps;
    {
      Result<Statement> list = conn.Prepare("SELECT sql FROM bulk_load_pending ORDER BY seq");
      if (!list.ok()) return list.status();
      int rc;
      while ((rc = list->Step()) == SQLITE_ROW) steps.push_back(list->Text(0));
      if (rc != SQLITE_DONE) return conn.Error("read bulk_load_pending");
    }
    for (const std::string& sql : steps) {
      if (Status s = conn.Exec(sql.c_str()); !s.ok()) return s;
    }
    return conn.Exec("DROP TABLE bulk_load_pending");
  }
}

}  // namespace gateway::sqlite
