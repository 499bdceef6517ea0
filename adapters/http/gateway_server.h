// GatewayServer: the HTTP host. Owns a cpp-httplib server, mounts the
// dialects, and renders host-level failures (unknown path, body too large,
// uncaught exceptions) in the format of the dialect the path belongs to.
//
// Sized for many keep-alive clients: cpp-httplib serves one connection per
// worker thread, so the pool is large and idle keep-alives are cut short.
//
// Thread-safety: Run blocks the calling thread; Stop may be called from any
// other thread and lets in-flight requests finish.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/http/dialect.h"
#include "adapters/http/interceptor.h"
#include "core/status.h"

namespace gateway::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  int threads = 128;
  size_t max_body_bytes = 1 << 20;
  int keep_alive_seconds = 5;
};

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
  const Dialect* DialectFor(std::string_view path) const;

  ServerOptions options_;
  std::vector<std::unique_ptr<Dialect>> dialects_;
  std::vector<std::shared_ptr<RequestInterceptor>> interceptors_;
  httplib::Server server_;
  int listen_fd_ = -1;
};

}  // namespace gateway::http
