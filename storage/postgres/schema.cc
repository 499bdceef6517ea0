#include "storage/postgres/schema.h"

#include <array>
#include <string>

namespace gateway::postgres {
namespace {

// An arbitrary constant naming the gateway's migration lock in
// pg_advisory_xact_lock (one namespace per database).
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7420113950274119711)";

// Index N holds the statements that take the schema from version N to N+1.
// A new CustomerTextField (core/customer.h) needs one here adding its text
// COLLATE "C" column; customer_rows.cc reads and writes it by name.
// Text columns use the "C" collation: comparisons and sorts are byte for
// byte and lower() folds ASCII letters only, as core/customer_query.h
// defines, whatever the database's locale. email_key and name_key hold the
// email and display name with ASCII letters lower-cased (computed by the
// gateway): the case-insensitive unique email, and name's eq/sort/like.
constexpr std::array kMigrations = {
    R"sql(
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE customers (
  id            text COLLATE "C" PRIMARY KEY,
  email         text COLLATE "C" NOT NULL,
  email_key     text COLLATE "C" NOT NULL,
  first_name    text COLLATE "C" NOT NULL DEFAULT '',
  last_name     text COLLATE "C" NOT NULL DEFAULT '',
  display_name  text COLLATE "C" NOT NULL DEFAULT '',
  name_key      text COLLATE "C" NOT NULL DEFAULT '',
  password_hash text COLLATE "C",
  external_ref  text COLLATE "C",
  status        text COLLATE "C" NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE')),
  tags          text[] COLLATE "C" NOT NULL DEFAULT '{}',
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL
);
CREATE UNIQUE INDEX customers_email_key ON customers (email_key);
CREATE INDEX customers_external_ref ON customers (external_ref);
CREATE INDEX customers_created_at ON customers (created_at, id);
CREATE INDEX customers_updated_at ON customers (updated_at, id);
CREATE INDEX customers_name_key ON customers (name_key, id);
CREATE INDEX customers_tags ON customers USING gin (tags);
CREATE INDEX customers_name_trgm ON customers USING gin (name_key gin_trgm_ops);
CREATE INDEX customers_email_trgm ON customers USING gin (email_key gin_trgm_ops);
CREATE TABLE addresses (
  id           text COLLATE "C" PRIMARY KEY,
  customer_id  text COLLATE "C" NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  position     integer NOT NULL,
  label        text COLLATE "C",
  first_name   text COLLATE "C",
  last_name    text COLLATE "C",
  line_1       text COLLATE "C",
  line_2       text COLLATE "C",
  postcode     text COLLATE "C",
  city         text COLLATE "C",
  region       text COLLATE "C",
  county       text COLLATE "C",
  country      text COLLATE "C",
  company      text COLLATE "C",
  phone        text COLLATE "C",
  instructions text COLLATE "C",
  created_at   bigint NOT NULL,
  updated_at   bigint NOT NULL
);
CREATE INDEX addresses_customer ON addresses (customer_id, position);
CREATE TABLE settings (
  key   text COLLATE "C" PRIMARY KEY,
  value text NOT NULL
);
)sql",
    // Custom field values (core/custom_fields.h): one JSON object per
    // customer and per address, by field slug.
    R"sql(
ALTER TABLE customers ADD COLUMN custom text NOT NULL DEFAULT '{}';
ALTER TABLE addresses ADD COLUMN custom text NOT NULL DEFAULT '{}';
)sql",
};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Status Migrate(Connection& conn) {
  if (Status s = conn.Command("BEGIN"); !s.ok()) return s;
  auto fail = [&](Status cause) {
    (void)conn.Command("ROLLBACK");
    return cause;
  };
  if (Status s = conn.ExecOnce(kMigrationLock).status(); !s.ok()) return fail(s);
  if (Status s = conn.Command(
          "CREATE TABLE IF NOT EXISTS gateway_schema (version integer NOT NULL); "
          "INSERT INTO gateway_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM gateway_schema)");
      !s.ok()) {
    return fail(s);
  }
  Result<PgResult> version = conn.ExecOnce("SELECT version FROM gateway_schema");
  if (!version.ok()) return fail(version.status());
  const int current = static_cast<int>(version->Int(0, 0));
  if (current > LatestSchemaVersion()) {
    return fail(Status::Internal("database schema version " + std::to_string(current) +
                                 " is newer than this gateway understands (" +
                                 std::to_string(LatestSchemaVersion()) + ")"));
  }
  for (int v = current; v < LatestSchemaVersion(); ++v) {
    if (Status s = conn.Command(kMigrations[static_cast<size_t>(v)]); !s.ok()) {
      return fail(
          Status::Internal("migration " + std::to_string(v + 1) + " failed: " + s.message()));
    }
  }
  if (Status s = conn.ExecOnce("UPDATE gateway_schema SET version = $1",
                               {std::to_string(LatestSchemaVersion())})
                     .status();
      !s.ok()) {
    return fail(s);
  }
  return conn.Command("COMMIT");
}

}  // namespace gateway::postgres
