// FaultInjector: the dev mock's latency and failure injection, so a client's
// retry, timeout and error paths can be tested against the gateway.
//
// A fault is any mix of a delay (fixed `latency_ms` plus a uniformly random
// 0..`jitter_ms`), then either an error `status` (400-599, rendered by the
// route's own dialect, so the body is an Elastic Path or MicroBase error) or
// `drop` (the connection is closed without a byte of answer). A delay alone
// delays the real answer. Faulted answers carry `X-Gateway-Fault` saying what
// was injected.
//
// Faults come from rules (global, or narrowed to a dialect, a method and a
// path or path prefix, for a fraction of the matching requests, optionally
// only the first N times), or for one request from its `X-Gateway-Fault`
// header, which then overrides the rules. Rules are tried in the order they
// were added; the first that matches and wins its fraction's draw applies.
// Only the named dialects' routes are faulted, never the admin API.
// docs/dev-mock.md gives the JSON and header shapes.
//
// Thread-safety: safe from any number of threads; a delay holds only the
// worker serving that request.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/admin/dialect_names.h"
#include "adapters/http/interceptor.h"
#include "core/status.h"

namespace gateway::admin {

struct Fault {
  int latency_ms = 0;
  int jitter_ms = 0;
  int status = 0;  // 0: none
  bool drop = false;
};

struct FaultRule {
  uint64_t id = 0;
  std::string dialect;  // "" matches every dialect
  std::string method;   // "" matches every method
  std::string path;     // "" matches every path; a trailing '*' makes it a prefix
  double fraction = 1.0;
  int64_t times = -1;  // applications left; -1 is unlimited
  Fault fault;
  uint64_t applied = 0;
};

// Parses a rule from its JSON shape; the message names the member at fault.
Result<FaultRule> ParseFaultRule(std::string_view json, const DialectNames& names);
// Parses an X-Gateway-Fault header: `status=503`, `latency=200`, `jitter=100`,
// `drop`, joined by ';' or ','.
Result<Fault> ParseFaultHeader(std::string_view header);

class FaultInjector final : public http::RequestInterceptor {
 public:
  // Without a `seed` the fraction and jitter draws are seeded at random.
  FaultInjector(const DialectNames& names, std::optional<uint64_t> seed);

  bool Before(const httplib::Request& req, httplib::Response& res, http::Dialect* owner) override;
  void After(const httplib::Request&, const httplib::Response&, const http::Dialect*) override {}

  FaultRule Add(FaultRule rule);  // assigns the id
  bool Remove(uint64_t id);
  void Clear();
  std::string RulesJson() const;  // {"faults":[...]}
  static std::string RuleJson(const FaultRule& rule);

 private:
  std::optional<Fault> Match(const httplib::Request& req, std::string_view dialect);

  const DialectNames& names_;
  mutable std::mutex mu_;
  std::vector<FaultRule> rules_;
  uint64_t next_id_ = 1;
  std::mt19937_64 rng_;
};

}  // namespace gateway::admin
