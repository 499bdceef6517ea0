// InMemoryRepository: a CustomerRepository and SettingsStore held in a map,
// for core and dialect unit tests that need no database. It passes the
// repository contract suite (tests/testing/in_memory_repository_test.cc), so
// tests written against it hold for the real engines too.
//
// Thread-safety: one mutex around everything. Callbacks run without it
// held, on the caller's thread, so a callback that calls back simply works.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/customer_repository.h"
#include "core/ports/settings_store.h"

namespace gateway::testing {

class InMemoryRepository final : public CustomerRepository, public SettingsStore {
 public:
  Status Insert(const Customer& customer) override;
  Result<Customer> Get(std::string_view id) override;
  Result<Customer> FindByEmail(std::string_view email) override;
  Result<Customer> Update(std::string_view id, const Mutation& mutate) override;
  Status Remove(std::string_view id) override;
  Result<CustomerPage> List(const CustomerQuery& query) override;
  BatchResult UpsertBatch(const std::vector<Customer>& customers,
                          const UpsertMerge& merge = {}) override;
  Status ForEach(const std::function<void(const Customer&)>& visit) override;
  Result<uint64_t> ReplaceAll(const std::vector<Customer>& customers) override;
  Result<std::map<std::string, int64_t>> CountByPasswordScheme() override;
  Result<std::string> GetOrCreateSetting(std::string_view key,
                                         const std::function<std::string()>& make) override;
  Result<std::optional<std::string>> GetSetting(std::string_view key) override;
  Status PutSetting(std::string_view key, std::string_view value) override;
  Result<bool> ReplaceSetting(std::string_view key, std::string_view expected,
                              std::string_view value) override;

 private:
  // Checks `c` against every stored customer but `replacing`. Caller holds mu_.
  Status Conflicts(const Customer& c, std::string_view replacing) const;
  Status Put(const Customer& c, bool must_be_new);

  std::mutex mu_;
  std::map<std::string, Customer, std::less<>> customers_;
  std::map<std::string, std::string, std::less<>> settings_;
};

}  // namespace gateway::testing
