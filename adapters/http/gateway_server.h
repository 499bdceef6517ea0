// GatewayServer: the HTTP host. Owns a cpp-httplib server, mounts the
// dialects, and renders host-level failures (unknown path, body too large,
// uncaught exceptions) in the format of the dialect the path belongs to.
//
// cpp-httplib parses and routes, but never reads the socket itself: each
// connection is read through Connection (framing checks, size and time
// limits, pipelining) and served by a WorkerPool that grows with the number
// of open connections up to --max-connections and answers 503 beyond it.
//
// Thread-safety: Run blocks the calling thread; Stop may be called from any
// other thread and lets in-flight requests finish.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/http/dialect.h"
#include "adapters/http/interceptor.h"
#include "adapters/http/rate_limiter.h"
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
};

class Listener;

class GatewayServer {
 public:
  GatewayServer(ServerOptions options, std::vector<std::unique_ptr<Dialect>> dialects);
  ~GatewayServer();

  // Adds an interceptor run around every dispatched request, in the order
  // added. Call before Run.
  void AddInterceptor(std::shared_ptr<RequestInterceptor> interceptor);

  // Binds the listening socket; returns the port actually bound.
  Result<int> Bind();
  void Run();
  void Stop();

 private:
  void Dispatch(const httplib::Request& req, httplib::Response& res);
  // Runs the owning dialect, with the credential rate limits around it.
  void Serve(Dialect& d, const httplib::Request& req, httplib::Response& res);
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
  std::vector<std::shared_ptr<RequestInterceptor>> interceptors_;
  RateLimiter attempts_per_address_;
  RateLimiter attempts_per_account_;
  std::unique_ptr<Listener> server_;
  int listen_fd_ = -1;
};

}  // namespace gateway::http
