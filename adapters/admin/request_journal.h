// RequestJournal: the dev mock's record of what clients sent, so a test can
// assert on it (GET /__gateway/requests). Bounded: the oldest entries go
// first once `capacity` is reached. Admin API calls are not recorded.
//
// Secrets never enter it: the credential of an Authorization header, cookies,
// and every JSON member, form field or query parameter whose name contains
// "password", "secret", "token" or "hash" are replaced by "[redacted]" before
// the entry is stored.
//
// Thread-safety: safe from any number of threads.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "adapters/admin/dialect_names.h"
#include "adapters/http/interceptor.h"

namespace gateway::admin {

class RequestJournal final : public http::RequestInterceptor {
 public:
  RequestJournal(const DialectNames& names, size_t capacity);

  bool Before(const httplib::Request& req, httplib::Response& res, http::Dialect* owner) override;
  void After(const httplib::Request& req, const httplib::Response& res,
             const http::Dialect* owner) override;

  // {"requests":[...]} oldest first, only entries with a sequence number
  // above `after_seq`.
  std::string ToJson(uint64_t after_seq) const;
  void Clear();

 private:
  const DialectNames& names_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::deque<std::string> entries_;  // rendered JSON objects
  std::deque<uint64_t> seqs_;
  uint64_t next_seq_ = 1;
};

// True for the admin API's own paths.
bool IsAdminPath(std::string_view path);

// Exposed for tests: the redaction rules applied to names and bodies.
bool IsSecretName(std::string_view name);
std::string RedactQuery(std::string_view query);

}  // namespace gateway::admin
