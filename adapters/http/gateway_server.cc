#include "adapters/http/gateway_server.h"

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>

#include "adapters/http/connection.h"
#include "adapters/http/listener.h"
#include "adapters/http/request_util.h"
#include "adapters/http/worker_pool.h"
#include "common/iso_time.h"
#include "common/json_writer.h"
#include "common/text.h"
#include "common/uuid.h"

namespace gateway::http {
namespace {

// Ids a client may choose for its request: short, and safe in headers,
// JSON and logs.
bool IsWellFormedRequestId(std::string_view id) { return IsAsciiToken(id, 128, "-_.:"); }

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
    : options_(std::move(options)),
      dialects_(std::move(dialects)),
      cors_(options_.cors_origins),
      metrics_(options_.metrics ? options_.metrics : std::make_shared<Metrics>("unknown", nullptr)),
      attempts_per_address_(options_.credential_attempts_per_address),
      attempts_per_account_(options_.credential_attempts_per_account) {
  ConnectionLimits limits;
  limits.head.max_request_line = options_.max_request_line;
  limits.head.max_header_bytes = options_.max_header_bytes;
  limits.head.max_headers = options_.max_headers;
  limits.head.max_body = options_.max_body_bytes;
  limits.idle_timeout = std::chrono::seconds(options_.keep_alive_seconds);
  limits.request_timeout = std::chrono::seconds(options_.request_timeout_seconds);
  limits.write_timeout = std::chrono::seconds(options_.request_timeout_seconds);
  server_ = std::make_unique<Listener>(
      limits,
      [this](int status, std::string_view detail, std::string_view path, httplib::Response& res) {
        RenderHostError(status, detail, path, res);
      },
      [this](const httplib::Request& req, const httplib::Response& res) {
        RecordRequest(req, res);
      });

  const size_t threads = static_cast<size_t>(options_.threads);
  const size_t max_connections = static_cast<size_t>(options_.max_connections);
  server_->new_task_queue = [threads, max_connections] {
    return new WorkerPool(threads, max_connections);
  };
  server_->set_tcp_nodelay(true);
  // Only named in the Keep-Alive response header; Listener serves a
  // connection until it closes, idles out, or the server stops.
  server_->set_keep_alive_max_count(100000);
  server_->set_keep_alive_timeout(options_.keep_alive_seconds);
  server_->set_read_timeout(options_.request_timeout_seconds, 0);
  server_->set_write_timeout(options_.request_timeout_seconds, 0);
  server_->set_payload_max_length(options_.max_body_bytes);
  // Replaces cpp-httplib's default options, which may add SO_REUSEPORT and so
  // let a second gateway bind a busy port. The fd is kept to raise the backlog.
  server_->set_socket_options([this](int fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = fd;
  });

  // Every parsed request gets its id before anything can fail: the client's
  // when well-formed, else a new one. It is echoed and logged.
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    std::string id = req.get_header_value("X-Request-Id");
    if (!IsWellFormedRequestId(id)) id = NewUuid();
    res.set_header("X-Request-Id", id);
    SetCurrentRequestId(std::move(id));
    // GET and HEAD carry no body to read first, so they are dispatched here,
    // sparing the std::regex match of cpp-httplib's routing (the ".*" routes
    // below, which still take the methods with a body).
    if (req.method == "GET" || req.method == "HEAD") {
      Dispatch(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    RecordRequest(req, res);
  });

  auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
    Dispatch(req, res);
  };
  const std::string any = ".*";
  server_->Post(any, dispatch);
  server_->Put(any, dispatch);
  server_->Patch(any, dispatch);
  server_->Delete(any, dispatch);
  server_->Options(any, dispatch);

  // cpp-httplib calls this for every response >= 400, including the ones the
  // dialects already rendered; only fill in bodies it produced itself (400
  // for an unreadable request or a body that stopped arriving).
  server_->set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string detail = StatusTitle(res.status);
        if (Connection* conn = Connection::Current(); conn != nullptr && conn->timed_out()) {
          res.status = 408;
          detail = "The request body did not arrive in time";
        } else if (res.status == 413) {
          detail = "The request body is larger than the server accepts";
        }
        RenderHostError(res.status, detail, req.path, res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_->set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr failure) {
        std::string cause = "unknown exception";
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& e) {
          cause = e.what();
        } catch (...) {
        }
        ReportInternalError("host", cause);
        RenderHostError(500, "The server failed to handle the request", req.path, res);
      });
}

GatewayServer::~GatewayServer() = default;

void GatewayServer::RenderHostError(int status, std::string_view detail, std::string_view path,
                                    httplib::Response& res) const {
  if (const Dialect* d = DialectFor(path)) {
    d->RenderHostError(status, detail, res);
  } else {
    RenderUnowned(status, detail, res);
  }
  cors_.DecorateUnparsed(res);
}

std::string GatewayServer::ClientAddress(const httplib::Request& req) const {
  const auto& trusted = options_.trusted_proxies;
  auto is_trusted = [&](std::string_view a) {
    return std::find(trusted.begin(), trusted.end(), a) != trusted.end();
  };
  if (!is_trusted(req.remote_addr)) return req.remote_addr;
  // Several X-Forwarded-For fields read as one list, in order.
  std::vector<std::string_view> hops;
  auto [first, last] = req.headers.equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) {
    std::string_view list = it->second;
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view hop = list.substr(0, comma);
      while (!hop.empty() && (hop.front() == ' ' || hop.front() == '\t')) hop.remove_prefix(1);
      while (!hop.empty() && (hop.back() == ' ' || hop.back() == '\t')) hop.remove_suffix(1);
      if (!hop.empty()) hops.push_back(hop);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!is_trusted(*it)) return std::string(*it);
  }
  return req.remote_addr;
}

const Dialect* GatewayServer::DialectFor(std::string_view path) const {
  for (const auto& d : dialects_) {
    if (d->Owns(path)) return d.get();
  }
  return nullptr;
}

void GatewayServer::RecordRequest(const httplib::Request& req, const httplib::Response& res) {
  RouteInfo info{"host", "{unmatched}", ""};
  if (const Dialect* d = DialectFor(req.path)) {
    info = d->Describe(req);
  } else if (req.path == "/livez" || req.path == "/readyz" || req.path == "/metrics") {
    info.route = req.path;
  }
  std::string id = res.get_header_value("X-Request-Id");
  double ms = 0;
  if (Connection* conn = Connection::Current()) {
    ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                   conn->started())
             .count();
  }
  metrics_->ObserveRequest(info.dialect, info.route, req.method, res.status, ms / 1000);
  if (options_.request_log == nullptr) return;
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", ms);
  JsonWriter w;
  w.BeginObject().Field("event", "request").Field("request_id", id);
  w.Field("dialect", info.dialect).Field("method", req.method).Field("route", info.route);
  w.Field("status", res.status).Key("duration_ms").Raw(duration);
  w.Field("bytes_in", static_cast<int64_t>(req.body.size()));
  w.Field("bytes_out", static_cast<int64_t>(res.body.size()));
  w.Field("client", ClientAddress(req));
  if (!info.customer_id.empty() && res.status < 400) w.Field("customer_id", info.customer_id);
  w.EndObject();
  std::string line = w.Take();
  options_.request_log->Write(std::string_view(line).substr(1, line.size() - 2));
}

void GatewayServer::AddInterceptor(std::shared_ptr<RequestInterceptor> interceptor) {
  interceptors_.push_back(std::move(interceptor));
}

bool GatewayServer::AnswerMetrics(const httplib::Request& req, httplib::Response& res) {
  if (req.path != "/metrics") return false;
  if (req.method != "GET" && req.method != "HEAD") {
    res.set_header("Allow", "GET, HEAD");
    RenderUnowned(405, req.method + " is not allowed on /metrics", res);
    return true;
  }
  res.set_header("Cache-Control", "no-store");
  res.set_content(metrics_->Render(), "text/plain; version=0.0.4; charset=utf-8");
  res.status = 200;
  return true;
}

bool GatewayServer::AnswerHealth(const httplib::Request& req, httplib::Response& res) const {
  if (req.path != "/livez" && req.path != "/readyz") return false;
  JsonWriter w;
  w.BeginObject();
  int status = 200;
  if (req.method != "GET" && req.method != "HEAD") {
    status = 405;
    w.Field("status", "method_not_allowed");
    res.set_header("Allow", "GET, HEAD");
  } else if (req.path == "/livez") {
    w.Field("status", "ok");
  } else if (draining_.load()) {
    status = 503;
    w.Field("status", "draining");
  } else if (Status store = options_.check_store(); !store.ok()) {
    status = 503;
    w.Field("status", "store_unavailable");
  } else {
    w.Field("status", "ok");
  }
  w.EndObject();
  res.set_header("Cache-Control", "no-store");
  SetJson(res, status, w.Take());
  return true;
}

void GatewayServer::Dispatch(const httplib::Request& req, httplib::Response& res) {
  if (CorsPolicy::IsPreflight(req)) {
    cors_.AnswerPreflight(req, res);
    return;
  }
  {
    Metrics::InFlight in_flight(*metrics_);
    Route(req, res);
  }
  cors_.Decorate(req, res);
}

void GatewayServer::Route(const httplib::Request& req, httplib::Response& res) {
  if (AnswerHealth(req, res) || AnswerMetrics(req, res)) return;
  Dialect* owner = nullptr;
  for (const auto& d : dialects_) {
    if (d->Owns(req.path)) {
      owner = d.get();
      break;
    }
  }
  bool answered = false;
  for (const auto& i : interceptors_) {
    if ((answered = i->Before(req, res, owner))) break;
  }
  if (!answered) {
    if (owner != nullptr) {
      HandleOwned(*owner, req, res);
    } else {
      RenderUnowned(404, "No route matches " + req.method + " " + req.path, res);
    }
  }
  for (const auto& i : interceptors_) i->After(req, res, owner);
}

void GatewayServer::HandleOwned(Dialect& d, const httplib::Request& req, httplib::Response& res) {
  // Every credential attempt counts against the client's address; only
  // refused ones against the account, so a busy client id keeps working.
  std::optional<std::string> account = d.CredentialAccount(req);
  if (account) {
    int wait = attempts_per_address_.Acquire(ClientAddress(req));
    if (wait == 0 && !account->empty()) {
      wait = attempts_per_account_.Check(*account);
      if (wait > 0) metrics_->CountRateLimited(d.Describe(req).dialect, "account");
    } else if (wait > 0) {
      metrics_->CountRateLimited(d.Describe(req).dialect, "address");
    }
    if (wait > 0) {
      metrics_->CountLogin(d.Describe(req).dialect, "limited");
      d.RenderHostError(429, "Too many credential attempts; retry later", res);
      res.set_header("Retry-After", std::to_string(wait));
      return;
    }
  }
  d.Handle(req, res);
  if (account) {
    const bool refused = d.RefusesCredentials(res);
    metrics_->CountLogin(d.Describe(req).dialect, refused             ? "refused"
                                                  : res.status == 503 ? "busy"
                                                                      : "answered");
    if (refused && !account->empty()) {
      [[maybe_unused]] int wait = attempts_per_account_.Acquire(*account);
    }
  }
  // Every refusal for load (a full hash queue) tells the client when to retry.
  if (res.status == 503 && !res.has_header("Retry-After")) res.set_header("Retry-After", "1");
}

Status GatewayServer::UseTls(const std::string& cert_file, const std::string& key_file) {
  std::string error = server_->UseTls(cert_file, key_file);
  return error.empty() ? Status::Ok() : Status::Internal(error);
}

Result<int> GatewayServer::Bind() {
  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(options_.host);
    if (port < 0) port = -1;
  } else if (!server_->bind_to_port(options_.host, port)) {
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

void GatewayServer::Run() { server_->listen_after_bind(); }

void GatewayServer::Drain() { draining_.store(true); }

void GatewayServer::Stop() {
  Drain();
  server_->Stop();
}

}  // namespace gateway::http
