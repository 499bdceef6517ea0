// The dev mock's seeded time and ids: a pure function of seed and position.
#include "common/deterministic.h"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "common/iso_time.h"
#include "common/uuid.h"

namespace gateway {
namespace {

struct Sequence {
  std::vector<std::string> ids;
  std::vector<int64_t> times;
};

Sequence Take(int n) {
  Sequence s;
  for (int i = 0; i < n; ++i) {
    s.ids.push_back(NewUuid());
    s.times.push_back(NowMillis());
  }
  return s;
}

TEST_CASE("a seed fixes ids and times; Save and Restore rewind; Stop returns to the real clock") {
  deterministic::Start(42);
  const Sequence first = Take(5);
  CHECK(first.times.front() == 1735689600000);  // 2025-01-01T00:00:00.000Z
  CHECK(first.times.back() == 1735689600004);
  for (const std::string& id : first.ids) {
    CHECK(IsUuid(id));
    CHECK(id[14] == '4');                                          // version 4
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);  // RFC 4122 variant
  }
  CHECK(std::set<std::string>(first.ids.begin(), first.ids.end()).size() == 5);

  deterministic::Start(42);
  CHECK(Take(5).ids == first.ids);

  deterministic::Start(43);
  CHECK(Take(5).ids != first.ids);

  deterministic::Start(42);
  Take(2);
  const auto at = deterministic::Save();
  REQUIRE(at.has_value());
  const Sequence after = Take(3);
  deterministic::Restore(*at);
  const Sequence again = Take(3);
  CHECK(again.ids == after.ids);
  CHECK(again.times == after.times);
  CHECK(after.ids[0] == first.ids[2]);

  deterministic::Stop();
  CHECK_FALSE(deterministic::Save().has_value());
  CHECK(NowMillis() > 1735689600000 + 86400000);  // the machine's clock is past 2025-01-02
  CHECK(NewUuid() != first.ids[0]);
}

}  // namespace
}  // namespace gateway
