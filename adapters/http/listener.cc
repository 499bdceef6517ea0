#include "adapters/http/listener.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "adapters/http/json_body.h"
#include "adapters/http/request_util.h"
#include "adapters/http/worker_pool.h"
#include "common/iso_time.h"
#include "common/uuid.h"

namespace gateway::http {
namespace {

std::string Serialize(const httplib::Response& res, bool head_request) {
  std::string out =
      "HTTP/1.1 " + std::to_string(res.status) + " " + StatusTitle(res.status) + "\r\n";
  for (const auto& [name, value] : res.headers) {
    if (name == "Content-Length" || name == "Connection") continue;
    out += name + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(res.body.size()) + "\r\nConnection: close\r\n\r\n";
  if (!head_request) out += res.body;
  return out;
}

}  // namespace

Listener::Listener(ConnectionLimits limits, Render render, Log log)
    : limits_(limits), render_(std::move(render)), log_(std::move(log)) {
  if (pipe2(wake_, O_CLOEXEC) != 0) wake_[0] = wake_[1] = -1;
}

Listener::~Listener() {
  for (int fd : wake_) {
    if (fd >= 0) close(fd);
  }
  if (tls_ != nullptr) SSL_CTX_free(tls_);
}

std::string Listener::UseTls(const std::string& cert_file, const std::string& key_file) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  std::string error;
  if (ctx == nullptr) {
    error = "cannot create a TLS context";
  } else if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    error = "cannot require TLS 1.2";
  } else if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    error = "cannot load the TLS certificate " + cert_file;
  } else if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    error = "cannot load the TLS key " + key_file;
  } else if (SSL_CTX_check_private_key(ctx) != 1) {
    error = "the TLS key does not match the certificate";
  }
  if (!error.empty()) {
    if (unsigned long code = ERR_get_error(); code != 0) {
      char text[256];
      ERR_error_string_n(code, text, sizeof text);
      error += std::string(" (") + text + ")";
    }
    ERR_clear_error();
    SSL_CTX_free(ctx);
    return error;
  }
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  if (tls_ != nullptr) SSL_CTX_free(tls_);
  tls_ = ctx;
  return "";
}

void Listener::Stop() {
  stop();
  if (wake_[1] >= 0) {
    char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_[1], &byte, 1);
  }
}

void Listener::Refuse(Connection& conn, const Rejection& rejection) {
  httplib::Response res;
  render_(rejection.status, rejection.detail, rejection.path, res);
  res.status = rejection.status;
  const std::string id = NewUuid();
  res.set_header("X-Request-Id", id);
  conn.SendAll(Serialize(res, rejection.head_request));
  httplib::Request req;
  req.method = rejection.method;
  req.path = rejection.path;
  conn.get_remote_ip_and_port(req.remote_addr, req.remote_port);
  log_(req, res);
  conn.LingeringClose();
}

void Listener::RefuseOverflow(socket_t sock) {
  // The request line picks the dialect; it is given a moment to arrive
  // unless more refusals are waiting.
  if (WorkerPool::OverflowBacklog() < 8) {
    pollfd p{sock, POLLIN, 0};
    poll(&p, 1, 50);
  }
  char peek[512];
  ssize_t n = recv(sock, peek, sizeof peek, MSG_PEEK | MSG_DONTWAIT);
  std::string path = n > 0 ? PathOf(std::string_view(peek, static_cast<size_t>(n))) : "";
  httplib::Response res;
  render_(503, "The server has too many open connections; retry shortly", path, res);
  res.status = 503;
  res.set_header("Retry-After", "1");
  std::string out = Serialize(res, false);
  [[maybe_unused]] ssize_t sent = send(sock, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  shutdown(sock, SHUT_RDWR);
  close(sock);
}

bool Listener::Serve(Connection& conn) {
  for (;;) {
    Connection::Next next = conn.ReadRequest();
    if (next == Connection::Next::kClosed) return true;
    if (next == Connection::Next::kRejected) {
      Refuse(conn, conn.rejection());
      return true;
    }
    const bool stopping = svr_sock_ == INVALID_SOCKET;
    const bool close_after = !conn.head().keep_alive || stopping;
    bool closed = false;
    bool ok = process_request(conn, close_after, closed, nullptr);
    ReleaseLargeJsonBuffers();
    if (!ok) return false;
    if (close_after || closed || !conn.BodyConsumed()) return true;
  }
}

bool Listener::process_and_close_socket(socket_t sock) {
  if (WorkerPool::InOverflow()) {
    if (tls_ != nullptr) {
      close(sock);
    } else {
      RefuseOverflow(sock);
    }
    return false;
  }
  int yes = 1;
  setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  bool ok = false;
  {
    Connection conn(sock, limits_, wake_[0]);
    if (tls_ == nullptr || conn.StartTls(tls_)) ok = Serve(conn);
  }
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return ok;
}

}  // namespace gateway::http
