// ForEach (what export reads through) is one consistent snapshot: customers
// written while it runs are not seen by it, and none is seen twice.
#include <doctest/doctest.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "common/iso_time.h"
#include "common/uuid.h"
#include "storage/sqlite/sqlite_repository.h"

namespace gateway::sqlite {
namespace {

Customer Make(int i) {
  Customer c;
  c.id = NewUuid();
  c.email = "snapshot" + std::to_string(i) + "@example.com";
  c.first_name = "Snap";
  c.display_name = "Snap";
  c.created_at = c.updated_at = 1700000000000 + i;
  return c;
}

TEST_CASE("ForEach sees one snapshot while writers carry on") {
  const std::string path = "/tmp/gateway-snapshot-" + NewUuid() + ".db";
  {
    SqliteOptions options;
    options.path = path;
    auto repo = SqliteRepository::Open(options);
    REQUIRE(repo.ok());
    // More customers than any page size, so a paging reader would be caught out.
    std::vector<Customer> initial;
    for (int i = 0; i < 1200; ++i) initial.push_back(Make(i));
    for (const auto& outcome : (*repo)->UpsertBatch(initial).outcomes) REQUIRE(outcome.ok());

    std::set<std::string> seen;
    int written_during = 0;
    Status s = (*repo)->ForEach([&](const Customer& c) {
      CHECK(seen.insert(c.id).second);
      // An older customer inserted mid-visit would land in the part already
      // read by a paging reader; a snapshot never shows it.
      if (written_during < 50) {
        Customer older = Make(5000 + written_during);
        older.created_at = 1600000000000;
        REQUIRE((*repo)->Insert(older).ok());
        ++written_during;
      }
    });
    REQUIRE(s.ok());
    CHECK(seen.size() == 1200);
    CHECK(written_during == 50);

    int after = 0;
    REQUIRE((*repo)->ForEach([&](const Customer&) { ++after; }).ok());
    CHECK(after == 1250);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

}  // namespace
}  // namespace gateway::sqlite
