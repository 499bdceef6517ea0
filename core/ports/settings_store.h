// SettingsStore: the port for the gateway's own durable settings (generated
// client id, client secret, JWT secret), kept apart from the customers.
//
// Contract:
// - GetOrCreateSetting returns the stored value of `key`; when there is none
//   it stores make() and returns that. Under concurrent first use (threads, or
//   several gateway processes on one database) exactly one value is stored and
//   every caller gets that one: make() may run more than once, but only one
//   result wins.
// - make() must not call the store.
// - GetSetting returns the stored value of `key`, or nullopt when there is
//   none; it only reads (no write lock, no transaction a writer waits for).
// - PutSetting stores `value` under `key`, replacing any earlier value, in
//   one step: a reader sees the old value or the new one.
// - ReplaceSetting stores `value` under `key` only if the stored value is
//   still `expected`, and says whether it did: a read-change-write that
//   several processes may run at once retries when it returns false, so no
//   change is lost. A key with no stored value is never replaced.
//
// Thread-safety: implementations must be safe for concurrent use.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gateway {

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;

  virtual Result<std::string> GetOrCreateSetting(std::string_view key,
                                                 const std::function<std::string()>& make) = 0;
  virtual Result<std::optional<std::string>> GetSetting(std::string_view key) = 0;
  virtual Status PutSetting(std::string_view key, std::string_view value) = 0;
  virtual Result<bool> ReplaceSetting(std::string_view key, std::string_view expected,
                                      std::string_view value) = 0;
};

}  // namespace gateway
