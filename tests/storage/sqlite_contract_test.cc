// The SQLite engine against the engine-independent repository contract, on a
// database file and in memory.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "storage/sqlite/sqlite_repository.h"
#include "tests/storage/repository_contract.h"

namespace gateway::sqlite {
namespace {

std::unique_ptr<CustomerRepository> Open(const std::string& path) {
  SqliteOptions options;
  options.path = path;
  Result<std::unique_ptr<SqliteRepository>> repo = SqliteRepository::Open(options);
  REQUIRE_MESSAGE(repo.ok(), repo.status().message());
  return std::move(*repo);
}

TEST_CASE("repository contract: SQLite database file") {
  std::string dir = (std::filesystem::temp_directory_path() / "gw-contract-XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  int opened = 0;
  contract::CheckRepositoryContract(
      [&] { return Open(dir + "/db-" + std::to_string(opened++) + ".sqlite"); });
  std::filesystem::remove_all(dir);
}

TEST_CASE("repository contract: SQLite in memory") {
  contract::CheckRepositoryContract([] { return Open(":memory:"); });
}

}  // namespace
}  // namespace gateway::sqlite
