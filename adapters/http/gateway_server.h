// GatewayServer: the HTTP host. Owns a cpp-httplib server, mounts the
// dialects, and renders host-level failures (unknown path, body too large,
// uncaught exceptions) in the format of the dialect the path belongs to.
//
// cpp-httplib parses and routes, but never reads the socket itself: each
// connection is read through Connection (framing checks, size and time
// limits, pipelining) and served by a WorkerPool that grows with the number
// of open connections up to --max-connections and answers 503 beyond it.
//
// It also answers the health probes itself, on the same listener so they
// share its fate: GET /livez (the process serves requests) and GET /readyz
// (the store answers and the server is not draining), and GET /metrics.
//
// Thread-safety: Run blocks the calling thread; Drain and Stop may be called
// from any other thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "adapters/http/cors.h"
#include "adapters/http/dialect.h"
#include "adapters/http/interceptor.h"
#include "adapters/http/metrics.h"
#include "adapters/http/rate_limiter.h"
#include "adapters/http/request_log.h"
#include "core/status.h"

namespace gateway::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;   // 0 picks a free port
  int threads = 16;  // workers kept even when idle
  int max_connections = 2048;
  size_t max_body_bytes = 1 << 20;
  size_t max_request_line = 8192;
  size_t max_header_bytes = 16384;
  size_t max_headers = 100;
  int keep_alive_seconds = 5;
  int request_timeout_seconds = 10;  // a request's whole head and body
  // Credential attempts (logins, token requests) per minute, as a burst.
  int credential_attempts_per_address = 300;
  int credential_attempts_per_account = 20;
  // Peers (e.g. nginx) whose X-Forwarded-For names the client address.
  std::vector<std::string> trusted_proxies;
  // Origins browsers may call from ("*" any, empty none): --cors-origins.
  std::vector<std::string> cors_origins = {"*"};
  // Where a line per request goes; none when null. Not owned.
  RequestLog* request_log = nullptr;
  // What /metrics serves; made by the caller, who also feeds it from the
  // store. When null the server keeps metrics of its own requests only.
  std::shared_ptr<Metrics> metrics;
  // Whether the store answers, for /readyz; called on a worker thread.
  std::function<Status()> check_store = [] { return Status::Ok(); };
};

class Listener;

class GatewayServer {
 public:
  GatewayServer(ServerOptions options, std::vector<std::unique_ptr<Dialect>> dialects);
  ~GatewayServer();

  // Adds an interceptor run around every dispatched request, in the order
  // added. Call before Run.
  void AddInterceptor(std::shared_ptr<RequestInterceptor> interceptor);

  // Serves HTTPS with these PEM files instead of plain HTTP.
  Status UseTls(const std::string& cert_file, const std::string& key_file);
  // Binds the listening socket; returns the port actually bound.
  Result<int> Bind();
  void Run();
  // /readyz answers 503 from now on; everything else is still served.
  void Drain();
  // Stops accepting, closes idle connections at once and lets requests
  // already being read or answered finish (each is then told to close).
  void Stop();

 private:
  void Dispatch(const httplib::Request& req, httplib::Response& res);
  // Runs the owning dialect, behind the credential rate limits.
  void HandleOwned(Dialect& d, const httplib::Request& req, httplib::Response& res);
  void Route(const httplib::Request& req, httplib::Response& res);
  // Records an answered request: its metrics and its request-log line.
  void RecordRequest(const httplib::Request& req, const httplib::Response& res);
  // Answers GET /metrics; false for any other path.
  bool AnswerMetrics(const httplib::Request& req, httplib::Response& res);
  // Answers /livez and /readyz; false for any other path.
  bool AnswerHealth(const httplib::Request& req, httplib::Response& res) const;
  const Dialect* DialectFor(std::string_view path) const;
  // The client's address: the peer's, or behind a trusted proxy the
  // rightmost X-Forwarded-For entry that is not itself a trusted proxy.
  std::string ClientAddress(const httplib::Request& req) const;
  // Renders a failure found outside any dialect in the format of the one
  // owning `path` (JSON:API-shaped when none does).
  void RenderHostError(int status, std::string_view detail, std::string_view path,
                       httplib::Response& res) const;

  ServerOptions options_;
  std::vector<std::unique_ptr<Dialect>> dialects_;
  CorsPolicy cors_;
  std::shared_ptr<Metrics> metrics_;
  RateLimiter attempts_per_address_;
  RateLimiter attempts_per_account_;
  std::vector<std::shared_ptr<RequestInterceptor>> interceptors_;
  std::unique_ptr<Listener> server_;
  int listen_fd_ = -1;
  std::atomic<bool> draining_{false};
};

}  // namespace gateway::http
