// Metrics: the gateway's Prometheus metrics, served as text at GET /metrics.
//
// Built on prometheus-cpp's core (Debian's prometheus-cpp-dev): its families,
// thread-safe counters and histograms and its text serializer, without its
// own HTTP server — /metrics is one more route on the gateway's listener.
//
//   customer_gateway_http_request_duration_seconds{dialect,route,method,status}
//   customer_gateway_http_requests_in_flight
//   customer_gateway_hash_queue_depth, customer_gateway_hash_queue_capacity
//   customer_gateway_hash_queue_rejections_total
//   customer_gateway_rate_limited_total{dialect,limit}
//   customer_gateway_logins_total{dialect,outcome}
//   customer_gateway_store_commit_batch_size (writes per group commit)
//   customer_gateway_customers{password_scheme} (counted at scrape time)
//   customer_gateway_build_info{version}
//
// Routes are templates ("/v2/customers/{id}"), never ids.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/hash_queue.h"
#include "core/status.h"

namespace gateway::http {

class Metrics {
 public:
  // `hash_queue` may be null (no hash-queue metrics).
  Metrics(std::string_view version, const HashQueue* hash_queue);

  void ObserveRequest(std::string_view dialect, std::string_view route, std::string_view method,
                      int status, double seconds);
  // `limit`: "address" or "account".
  void CountRateLimited(std::string_view dialect, std::string_view limit);
  // `outcome`: "refused" (wrong credentials), "limited", "busy" or
  // "answered" (anything else: accepted, or an invalid request).
  void CountLogin(std::string_view dialect, std::string_view outcome);
  // One group commit of the store, of `writes` writes.
  void ObserveCommitBatch(size_t writes);

  // Customers by password scheme, asked at every scrape (a cheap count);
  // when it fails the scrape omits the gauge rather than show stale counts.
  using SchemeCounter = std::function<Result<std::map<std::string, int64_t>>()>;
  // Call before the metrics are first rendered.
  void CountCustomersWith(SchemeCounter counter) { count_customers_ = std::move(counter); }

  // Counts a request in flight for its lifetime.
  class InFlight {
   public:
    explicit InFlight(Metrics& m) : gauge_(m.in_flight_) { gauge_.Increment(); }
    ~InFlight() { gauge_.Decrement(); }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

   private:
    prometheus::Gauge& gauge_;
  };

  // The Prometheus text exposition of every metric, as of now.
  std::string Render();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Histogram>& durations_;
  prometheus::Family<prometheus::Counter>& rate_limited_;
  prometheus::Family<prometheus::Counter>& logins_;
  prometheus::Histogram& commit_batches_;
  prometheus::Family<prometheus::Gauge>& customers_;
  SchemeCounter count_customers_;
  prometheus::Gauge& in_flight_;
  prometheus::Gauge& hash_depth_;
  prometheus::Counter& hash_rejections_;
  const HashQueue* hash_queue_;
  std::mutex render_mu_;
  uint64_t hash_rejections_seen_ = 0;  // guarded by render_mu_
};

}  // namespace gateway::http
