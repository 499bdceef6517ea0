// ReplaceSetting's contract (core/ports/settings_store.h), for every engine:
// read-change-write loops running at once on several store instances lose no
// change.
#pragma once

#include <doctest/doctest.h>

#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/ports/settings_store.h"

namespace gateway::contract {

// Each of `stores` (one or more instances on one database) runs `rounds`
// increments of one counter from two threads; every increment must count.
inline void CheckReplaceSetting(const std::vector<SettingsStore*>& stores, int rounds) {
  SettingsStore& first = *stores.front();
  CHECK(*first.ReplaceSetting("counter", "", "1") == false);  // no stored value: never replaced
  CHECK_FALSE(first.GetSetting("counter")->has_value());
  REQUIRE(first.GetOrCreateSetting("counter", [] { return std::string("0"); }).ok());
  CHECK(*first.ReplaceSetting("counter", "7", "8") == false);
  CHECK(**first.GetSetting("counter") == "0");

  std::vector<std::thread> threads;
  std::vector<std::string> errors;
  std::mutex mu;
  for (SettingsStore* store : stores) {
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, store] {
        for (int i = 0; i < rounds; ++i) {
          for (;;) {
            Result<std::optional<std::string>> now = store->GetSetting("counter");
            Result<bool> swapped =
                now.ok()
                    ? store->ReplaceSetting("counter", **now, std::to_string(std::stoi(**now) + 1))
                    : Result<bool>(now.status());
            if (!swapped.ok()) {
              std::lock_guard lock(mu);
              errors.push_back(swapped.status().message());
              return;
            }
            if (*swapped) break;
          }
        }
      });
    }
  }
  for (std::thread& t : threads) t.join();
  CHECK(errors.empty());
  CHECK(**first.GetSetting("counter") ==
        std::to_string(static_cast<int>(stores.size()) * 2 * rounds));
}

}  // namespace gateway::contract
