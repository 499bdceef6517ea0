// KeyTable: exact membership with the first value kept, across growth of
// both the slot table and the key blocks, for keys of any length.
#include <doctest/doctest.h>

#include <string>

#include "adapters/migration/key_table.h"

namespace gateway::migration {
namespace {

TEST_CASE("KeyTable keeps each key once, with its first value, through growth") {
  KeyTable table;
  constexpr uint32_t kKeys = 200000;  // several slot-table doublings, over one key block
  for (uint32_t i = 0; i < kKeys; ++i) {
    KeyTable::Entry e = table.Insert("customer-" + std::to_string(i) + "@example.com", i);
    REQUIRE(e.inserted);
    CHECK(e.index == i);
  }
  CHECK(table.size() == kKeys);
  for (uint32_t i = 0; i < kKeys; i += 997) {
    const std::string key = "customer-" + std::to_string(i) + "@example.com";
    KeyTable::Entry again = table.Insert(key, 7);
    CHECK_FALSE(again.inserted);
    CHECK(again.index == i);
    CHECK(table.Value(again.index) == i);
    CHECK(table.Key(again.index) == key);
  }
  CHECK(table.size() == kKeys);
  // Prefixes, the empty key and keys differing only in case are all distinct.
  CHECK(table.Insert("customer-1", 1).inserted);
  CHECK(table.Insert("", 2).inserted);
  CHECK_FALSE(table.Insert("", 3).inserted);
  CHECK(table.Insert("CUSTOMER-1", 4).inserted);
}

TEST_CASE("KeyTable stores a key longer than a block") {
  KeyTable table;
  const std::string huge(3 << 20, 'x');
  CHECK(table.Insert("small", 1).inserted);
  KeyTable::Entry e = table.Insert(huge, 2);
  CHECK(e.inserted);
  CHECK(table.Key(e.index) == huge);
  CHECK(table.Insert("after", 3).inserted);
  CHECK_FALSE(table.Insert(huge, 4).inserted);
  CHECK(table.Key(0) == "small");
  CHECK(table.Key(2) == "after");
}

}  // namespace
}  // namespace gateway::migration
