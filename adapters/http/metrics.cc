#include "adapters/http/metrics.h"

#include <prometheus/text_serializer.h>

#include <sstream>

namespace gateway::http {
namespace {

// From a cached read (~1 ms) to a queued login (seconds).
const prometheus::Histogram::BucketBoundaries kBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// Writes per group commit: one when idle, up to the writer's cap (256).
const prometheus::Histogram::BucketBoundaries kBatchBuckets = {1, 2, 4, 8, 16, 32, 64, 128, 256};

std::string S(std::string_view s) { return std::string(s); }

}  // namespace

Metrics::Metrics(std::string_view version, const HashQueue* hash_queue)
    : registry_(std::make_shared<prometheus::Registry>()),
      durations_(prometheus::BuildHistogram()
                     .Name("customer_gateway_http_request_duration_seconds")
                     .Help("Time from a request's first byte to its answer, by route template")
                     .Register(*registry_)),
      rate_limited_(prometheus::BuildCounter()
                        .Name("customer_gateway_rate_limited_total")
                        .Help("Credential attempts answered 429, by the limit that refused them")
                        .Register(*registry_)),
      logins_(prometheus::BuildCounter()
                  .Name("customer_gateway_logins_total")
                  .Help("Credential attempts (logins, token requests) by outcome")
                  .Register(*registry_)),
      commit_batches_(prometheus::BuildHistogram()
                          .Name("customer_gateway_store_commit_batch_size")
                          .Help("Writes committed together in one store transaction (group commit)")
                          .Register(*registry_)
                          .Add({}, kBatchBuckets)),
      customers_(
          prometheus::BuildGauge()
              .Name("customer_gateway_customers")
              .Help("Stored customers by password scheme (bcrypt: imported, not yet re-hashed)")
              .Register(*registry_)),
      in_flight_(prometheus::BuildGauge()
                     .Name("customer_gateway_http_requests_in_flight")
                     .Help("Requests being answered now")
                     .Register(*registry_)
                     .Add({})),
      hash_depth_(prometheus::BuildGauge()
                      .Name("customer_gateway_hash_queue_depth")
                      .Help("Password hashes running or waiting to run")
                      .Register(*registry_)
                      .Add({})),
      hash_rejections_(prometheus::BuildCounter()
                           .Name("customer_gateway_hash_queue_rejections_total")
                           .Help("Requests answered 503 because the hash queue was full")
                           .Register(*registry_)
                           .Add({})),
      hash_queue_(hash_queue) {
  prometheus::BuildGauge()
      .Name("customer_gateway_build_info")
      .Help("The running build")
      .Register(*registry_)
      .Add({{"version", S(version)}})
      .Set(1);
  if (hash_queue_ != nullptr) {
    prometheus::BuildGauge()
        .Name("customer_gateway_hash_queue_capacity")
        .Help("Password hashes that may run or wait at once (--hash-queue)")
        .Register(*registry_)
        .Add({})
        .Set(static_cast<double>(hash_queue_->capacity()));
  }
}

void Metrics::ObserveRequest(std::string_view dialect, std::string_view route,
                             std::string_view method, int status, double seconds) {
  durations_
      .Add({{"dialect", S(dialect)},
            {"route", S(route)},
            {"method", S(method)},
            {"status", std::to_string(status)}},
           kBuckets)
      .Observe(seconds);
}

void Metrics::CountRateLimited(std::string_view dialect, std::string_view limit) {
  rate_limited_.Add({{"dialect", S(dialect)}, {"limit", S(limit)}}).Increment();
}

void Metrics::CountLogin(std::string_view dialect, std::string_view outcome) {
  logins_.Add({{"dialect", S(dialect)}, {"outcome", S(outcome)}}).Increment();
}

void Metrics::ObserveCommitBatch(size_t writes) {
  commit_batches_.Observe(static_cast<double>(writes));
}

std::string Metrics::Render() {
  std::lock_guard lock(render_mu_);
  if (count_customers_) {
    Result<std::map<std::string, int64_t>> counts = count_customers_();
    if (counts.ok()) {
      for (const auto& [scheme, n] : *counts) {
        customers_.Add({{"password_scheme", scheme}}).Set(static_cast<double>(n));
      }
    } else {
      for (const char* scheme : {"none", "scrypt", "bcrypt", "other"}) {
        if (customers_.Has({{"password_scheme", scheme}})) {
          customers_.Remove(&customers_.Add({{"password_scheme", scheme}}));
        }
      }
    }
  }
  if (hash_queue_ != nullptr) {
    hash_depth_.Set(static_cast<double>(hash_queue_->depth()));
    // The queue counts its own refusals; the counter catches up on scrape.
    const uint64_t rejected = hash_queue_->rejected();
    if (rejected > hash_rejections_seen_) {
      hash_rejections_.Increment(static_cast<double>(rejected - hash_rejections_seen_));
      hash_rejections_seen_ = rejected;
    }
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

}  // namespace gateway::http
