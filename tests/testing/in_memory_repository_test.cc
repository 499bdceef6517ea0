// The in-memory fake keeps the same contract as the real engines.
#include "tests/testing/in_memory_repository.h"

#include <doctest/doctest.h>

#include <memory>

#include "tests/storage/repository_contract.h"

namespace gateway::testing {
namespace {

TEST_CASE("repository contract: the in-memory fake") {
  contract::CheckRepositoryContract([] { return std::make_unique<InMemoryRepository>(); });
}

TEST_CASE("the in-memory fake: settings are created once") {
  InMemoryRepository repo;
  int made = 0;
  auto make = [&] { return "v" + std::to_string(++made); };
  CHECK(*repo.GetOrCreateSetting("k", make) == "v1");
  CHECK(*repo.GetOrCreateSetting("k", make) == "v1");
  CHECK(made == 1);
}

}  // namespace
}  // namespace gateway::testing
