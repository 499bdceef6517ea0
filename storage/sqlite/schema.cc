#include "storage/sqlite/schema.h"

#include <array>
#include <string>

namespace gateway::sqlite {
namespace {

// Index N holds the statements that take the schema from version N to N+1.
constexpr std::array kMigrations = {
    R"sql(
CREATE TABLE customers (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL,
  email_key     TEXT NOT NULL,
  first_name    TEXT NOT NULL DEFAULT '',
  last_name     TEXT NOT NULL DEFAULT '',
  display_name  TEXT NOT NULL DEFAULT '',
  password_hash TEXT,
  external_ref  TEXT,
  status        TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE')),
  tags          TEXT NOT NULL DEFAULT '[]',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX customers_email_key ON customers(email_key);
CREATE INDEX customers_external_ref ON customers(external_ref);
CREATE INDEX customers_created_at ON customers(created_at, id);
CREATE INDEX customers_updated_at ON customers(updated_at, id);
CREATE INDEX customers_display_name ON customers(display_name COLLATE NOCASE, id);
CREATE TABLE addresses (
  id           TEXT PRIMARY KEY,
  customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  label        TEXT,
  first_name   TEXT,
  last_name    TEXT,
  line_1       TEXT,
  line_2       TEXT,
  postcode     TEXT,
  city         TEXT,
  region       TEXT,
  county       TEXT,
  country      TEXT,
  company      TEXT,
  phone        TEXT,
  instructions TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX addresses_customer ON addresses(customer_id, position);
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
    // Substring search: a trigram index over the two fields `like` filters
    // on. External content keyed by customers.rowid, so it stores no second
    // copy of the text. Triggers only note which rows changed (and what the
    // index held for them) in customers_search_pending; the writer applies
    // the notes to the index in bulk just before each commit
    // (SyncSearchIndex), inside the same transaction. Writing the index from
    // the triggers directly would flush FTS5's pending terms at every
    // statement (SQLite opens a statement savepoint per INSERT), several
    // times slower. The rowid of customers is implicit (its key is the text
    // id): SQLite 3.40's VACUUM keeps it; should a rowid ever change,
    // INSERT INTO customers_search(customers_search) VALUES ('rebuild')
    // rebuilds the index from the table. The migration builds the index once
    // for existing rows.
    R"sql(
CREATE VIRTUAL TABLE customers_search USING fts5(
  display_name, email_key, content='customers', tokenize='trigram');
CREATE TABLE customers_search_pending (
  customer_rowid   INTEGER PRIMARY KEY,
  indexed          INTEGER NOT NULL,  -- 1: the index holds the old_ values for this row
  old_display_name TEXT,
  old_email_key    TEXT
);
CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
  INSERT OR IGNORE INTO customers_search_pending VALUES (new.rowid, 0, NULL, NULL);
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
  INSERT OR IGNORE INTO customers_search_pending
    VALUES (old.rowid, 1, old.display_name, old.email_key);
END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF display_name, email_key ON customers
  WHEN old.display_name IS NOT new.display_name OR old.email_key IS NOT new.email_key BEGIN
  INSERT OR IGNORE INTO customers_search_pending
    VALUES (old.rowid, 1, old.display_name, old.email_key);
END;
INSERT INTO customers_search(customers_search) VALUES ('rebuild');
)sql",
    // Custom field values (core/custom_fields.h): one JSON object per
    // customer and per address, by field slug.
    R"sql(
ALTER TABLE customers ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
ALTER TABLE addresses ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
)sql",
};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Status Migrate(Connection& conn) {
  if (Status s = conn.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  int current = 0;
  {
    Result<Statement> version = conn.Prepare("PRAGMA user_version");
    if (!version.ok()) return version.status();
    if (version->Step() == SQLITE_ROW) current = static_cast<int>(version->Int(0));
  }
  if (current > LatestSchemaVersion()) {
    return conn.Rollback(Status::Internal("database schema version " + std::to_string(current) +
                                          " is newer than this gateway understands (" +
                                          std::to_string(LatestSchemaVersion()) + ")"));
  }
  for (int v = current; v < LatestSchemaVersion(); ++v) {
    if (Status s = conn.Exec(kMigrations[static_cast<size_t>(v)]); !s.ok()) {
      return conn.Rollback(
          Status::Internal("migration " + std::to_string(v + 1) + " failed: " + s.message()));
    }
  }
  std::string set_version = "PRAGMA user_version=" + std::to_string(LatestSchemaVersion());
  if (Status s = conn.Exec(set_version.c_str()); !s.ok()) return conn.Rollback(s);
  if (Status s = conn.Exec("COMMIT"); !s.ok()) return conn.Rollback(s);
  return Status::Ok();
}

}  // namespace gateway::sqlite
