#include "adapters/http/gateway_server.h"

#include <sys/socket.h>

#include <exception>

#include "adapters/http/request_util.h"
#include "common/json_writer.h"

namespace gateway::http {
namespace {

// For paths no dialect owns: a JSON:API-shaped error, the closest thing to
// a neutral format both platforms' clients can read.
void RenderUnowned(int status, std::string_view detail, httplib::Response& res) {
  JsonWriter w;
  w.BeginObject().Key("errors").BeginArray().BeginObject();
  w.Field("status", status).Field("title", StatusTitle(status));
  w.Field("detail", detail);
  w.EndObject().EndArray().EndObject();
  SetJson(res, status, w.Take());
}

}  // namespace

GatewayServer::GatewayServer(ServerOptions options, std::vector<std::unique_ptr<Dialect>> dialects)
    : options_(std::move(options)), dialects_(std::move(dialects)) {
  const int threads = options_.threads;
  server_.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  server_.set_tcp_nodelay(true);
  server_.set_keep_alive_max_count(10000);
  server_.set_keep_alive_timeout(options_.keep_alive_seconds);
  server_.set_read_timeout(10, 0);
  server_.set_write_timeout(10, 0);
  server_.set_payload_max_length(options_.max_body_bytes);
  // Replaces cpp-httplib's default options, which may add SO_REUSEPORT and so
  // let a second gateway bind a busy port. The fd is kept to raise the backlog.
  server_.set_socket_options([this](int fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = fd;
  });

  auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
    Dispatch(req, res);
  };
  const std::string any = ".*";
  server_.Get(any, dispatch);
  server_.Post(any, dispatch);
  server_.Put(any, dispatch);
  server_.Patch(any, dispatch);
  server_.Delete(any, dispatch);
  server_.Options(any, dispatch);

  // cpp-httplib calls this for every response >= 400, including the ones the
  // dialects already rendered; only fill in bodies it produced itself (413,
  // 400 for unreadable requests).
  server_.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                        httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string detail = res.status == 413 ? "The request body is larger than the server accepts"
                                           : StatusTitle(res.status);
    if (const Dialect* d = DialectFor(req.path)) {
      d->RenderHostError(res.status, detail, res);
    } else {
      RenderUnowned(res.status, detail, res);
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  server_.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        if (const Dialect* d = DialectFor(req.path)) {
          d->RenderHostError(500, "The server failed to handle the request", res);
        } else {
          RenderUnowned(500, "The server failed to handle the request", res);
        }
      });
}

GatewayServer::~GatewayServer() = default;

const Dialect* GatewayServer::DialectFor(std::string_view path) const {
  for (const auto& d : dialects_) {
    if (d->Owns(path)) return d.get();
  }
  return nullptr;
}

void GatewayServer::Dispatch(const httplib::Request& req, httplib::Response& res) {
  for (const auto& d : dialects_) {
    if (d->Owns(req.path)) {
      d->Handle(req, res);
      return;
    }
  }
  RenderUnowned(404, "No route matches " + req.method + " " + req.path, res);
}

Result<int> GatewayServer::Bind() {
  int port = options_.port;
  if (port == 0) {
    port = server_.bind_to_any_port(options_.host);
    if (port < 0) port = -1;
  } else if (!server_.bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port < 0) {
    return Status::Internal("cannot listen on " + options_.host + ":" +
                            std::to_string(options_.port) + " (address in use or not available)");
  }
  // The packaged cpp-httplib listens with a backlog of 5: a burst of new
  // clients then waits for SYN retransmits (~1 s). Listening again on the same
  // socket only raises the queue length.
  if (listen_fd_ >= 0) ::listen(listen_fd_, SOMAXCONN);
  return port;
}

void GatewayServer::Run() { server_.listen_after_bind(); }

void GatewayServer::Stop() { server_.stop(); }

}  // namespace gateway::http
