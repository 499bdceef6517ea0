// A fresh database on the test PostgreSQL cluster, dropped again when the
// object goes. ctest starts the cluster (the postgres_cluster fixture in
// tests/CMakeLists.txt) and names its directory in GATEWAY_TEST_PG_CLUSTER;
// each test makes databases of its own, so tests run in parallel.
#pragma once

#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "common/uuid.h"

namespace gateway::testing {

class PostgresTestDatabase {
 public:
  PostgresTestDatabase() {
    const char* dir = std::getenv("GATEWAY_TEST_PG_CLUSTER");
    REQUIRE_MESSAGE(dir != nullptr,
                    "GATEWAY_TEST_PG_CLUSTER is unset: the postgres test suite needs a cluster. "
                    "Run it through ctest (ctest -R unit_postgres), which starts one, or start "
                    "one with scripts/pg-cluster.sh start DIR and set GATEWAY_TEST_PG_CLUSTER=DIR");
    std::ifstream port_file(std::string(dir) + "/port");
    std::string port;
    REQUIRE_MESSAGE(static_cast<bool>(port_file >> port),
                    "no cluster port in " << dir << "/port (is the cluster started?)");
    server_ = "postgresql://postgres@127.0.0.1:" + port + "/";
    name_ = "gw_test_" + NewUuid().substr(0, 8);
    url_ = server_ + name_;
    Admin("CREATE DATABASE " + name_);
  }
  ~PostgresTestDatabase() {
    // FORCE: ends connections a failed test's repositories left open.
    Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;

  const std::string& url() const { return url_; }

  // Runs `sql` on this database (not through the gateway), failing the test
  // on an error.
  void Exec(const std::string& sql) const { Run(url(), sql); }

 private:
  void Admin(const std::string& sql) const { Run(server_ + "postgres", sql); }

  static void Run(const std::string& url, const std::string& sql) {
    PGconn* conn = PQconnectdb(url.c_str());
    REQUIRE_MESSAGE(PQstatus(conn) == CONNECTION_OK,
                    "cannot reach the test cluster at " << url << ": " << PQerrorMessage(conn));
    PGresult* r = PQexec(conn, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    const std::string error = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(conn);
    REQUIRE_MESSAGE(ok, sql << ": " << error);
  }

  std::string server_;
  std::string name_;
  std::string url_;
};

}  // namespace gateway::testing
