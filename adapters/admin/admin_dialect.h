// AdminDialect: the dev mock's control API under /__gateway/, for test
// suites that reset, seed and inspect the gateway between tests instead of
// restarting it. docs/dev-mock.md is its reference; the paths and shapes are a
// contract with suites outside this repository.
//
// Mounted only when an admin token is configured; without one every
// /__gateway path is an unknown path to the host (404, nothing changes). Every
// call needs `Authorization: Bearer <token>` (compared in constant time).
// Answers and errors are JSON; errors use the host's neutral JSON:API shape.
//
// Thread-safety: safe from any number of threads; snapshots are guarded by
// one mutex, the store by the repository's own rules.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/admin/fault_injector.h"
#include "adapters/admin/request_journal.h"
#include "adapters/http/dialect.h"
#include "core/ports/customer_repository.h"
#include "common/deterministic.h"

namespace gateway::admin {

class AdminDialect final : public http::Dialect {
 public:
  // `token` must not be empty.
  // `start`: under --deterministic, the sequence position a reset rewinds to.
  AdminDialect(std::string token, CustomerRepository& repo, RequestJournal& journal,
               FaultInjector& faults, const DialectNames& names,
               std::optional<deterministic::Position> start);

  bool Owns(std::string_view path) const override;
  void Handle(const httplib::Request& req, httplib::Response& res) override;
  // Never a credential attempt for the host's login rate limits: a test suite calls the admin API
  // before every test, and the token is compared in constant time.
  std::optional<std::string> CredentialAccount(const httplib::Request&) const override {
    return std::nullopt;
  }
  bool RefusesCredentials(const httplib::Response&) const override { return false; }
  void RenderHostError(int status, std::string_view detail, httplib::Response& res) const override;

 private:
  void Reset(httplib::Response& res);
  void Seed(const httplib::Request& req, httplib::Response& res);
  void ListSnapshots(httplib::Response& res);
  void TakeSnapshot(const std::string& name, httplib::Response& res);
  void RestoreSnapshot(const std::string& name, httplib::Response& res);
  void DeleteSnapshot(const std::string& name, httplib::Response& res);
  void Faults(const httplib::Request& req, std::string_view rest, httplib::Response& res);

  const std::string token_;
  CustomerRepository& repo_;
  RequestJournal& journal_;
  FaultInjector& faults_;
  const DialectNames& names_;

  const std::optional<deterministic::Position> start_;

  struct Snapshot {
    std::vector<Customer> customers;
    std::optional<deterministic::Position> position;
  };
  std::mutex snapshots_mu_;
  std::map<std::string, Snapshot> snapshots_;
};

}  // namespace gateway::admin
