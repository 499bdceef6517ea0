// ProjectSettings: page_length's default, range and storage, and the
// one-second cache that spares listings a store read per request.
#include "core/project_settings.h"

#include <doctest/doctest.h>

#include "tests/testing/fake_clock.h"
#include "tests/testing/in_memory_repository.h"

namespace gateway {
namespace {

TEST_CASE("page_length defaults to 25, stores 1..100 and refuses the rest") {
  testing::InMemoryRepository store;
  testing::FakeClock clock;
  ProjectSettings settings(store, clock);
  CHECK(*settings.PageLength() == 25);
  CHECK_FALSE(store.GetSetting("page_length")->has_value());  // reading stores nothing
  for (int64_t bad : {0, -1, 101}) {
    Status s = settings.SetPageLength(bad);
    CHECK(s.code() == ErrorCode::kInvalidArgument);
    CHECK(s.field() == "page_length");
  }
  CHECK(*settings.PageLength() == 25);
  REQUIRE(settings.SetPageLength(100).ok());
  CHECK(*settings.PageLength() == 100);
  CHECK(**store.GetSetting("page_length") == "100");
}

TEST_CASE("another process's change is seen once the cache second has passed") {
  testing::InMemoryRepository store;
  testing::FakeClock clock;
  ProjectSettings mine(store, clock);
  ProjectSettings theirs(store, clock);
  CHECK(*mine.PageLength() == 25);
  REQUIRE(theirs.SetPageLength(7).ok());
  CHECK(*theirs.PageLength() == 7);
  CHECK(*mine.PageLength() == 25);  // cached
  clock.Advance(ProjectSettings::kCacheMillis);
  CHECK(*mine.PageLength() == 7);
}

TEST_CASE("a stored value this class could not have written is an internal error") {
  testing::InMemoryRepository store;
  REQUIRE(store.PutSetting("page_length", "lots").ok());
  ProjectSettings settings(store);
  CHECK(settings.PageLength().status().code() == ErrorCode::kInternal);
}

}  // namespace
}  // namespace gateway
