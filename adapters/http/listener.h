// Listener: cpp-httplib's Server with the connection loop replaced.
//
// cpp-httplib 0.11.4 reads each request straight from the socket, with no
// bound on the request line, header count or chunked body, a fresh buffer per
// request (pipelined requests are lost) and a 10 ms poll per idle keep-alive.
// Listener keeps cpp-httplib's parsing, routing and response writing, and
// serves each accepted socket itself: requests are read through Connection,
// refusals are rendered by `render` (the owning dialect) and sent with
// `Connection: close`, and a connection beyond the WorkerPool's bound is
// answered 503 at once (over TLS it is closed: a handshake is not "at once").
//
// Thread-safety: as httplib::Server; Stop may be called from any thread.
#pragma once

#include <httplib.h>
#include <openssl/ssl.h>

#include <functional>
#include <string>
#include <string_view>

#include "adapters/http/connection.h"

namespace gateway::http {

class Listener final : public httplib::Server {
 public:
  using Render = std::function<void(int status, std::string_view detail, std::string_view path,
                                    httplib::Response& res)>;

  // Called with each refusal Listener answers itself, as if cpp-httplib had.
  using Log = std::function<void(const httplib::Request& req, const httplib::Response& res)>;

  Listener(ConnectionLimits limits, Render render, Log log);
  ~Listener() override;

  // Serves TLS (1.2 and 1.3) with a PEM certificate chain and key from now
  // on; "" when they load, else why not.
  std::string UseTls(const std::string& cert_file, const std::string& key_file);

  // Stops accepting and closes idle keep-alive connections at once; requests
  // already being read or answered finish.
  void Stop();

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Answers the connection's requests until it closes; false on a failure.
  bool Serve(Connection& conn);
  void Refuse(Connection& conn, const Rejection& rejection);
  void RefuseOverflow(socket_t sock);

  ConnectionLimits limits_;
  Render render_;
  Log log_;
  int wake_[2] = {-1, -1};  // readable once stopping
  SSL_CTX* tls_ = nullptr;
};

}  // namespace gateway::http
