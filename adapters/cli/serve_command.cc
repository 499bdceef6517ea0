#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "adapters/cli/commands.h"
#include "adapters/cli/options.h"
#include "adapters/elastic_path_v2/elastic_path_dialect.h"
#include "adapters/http/gateway_server.h"
#include "adapters/microbase_v1/microbase_dialect.h"
#include "common/base64.h"
#include "common/iso_time.h"
#include "common/uuid.h"
#include "core/customer_service.h"
#include "credentials/jwt_hs256.h"
#include "credentials/scrypt_hasher.h"
#include "storage/open_store.h"

namespace gateway::cli {
namespace {

const std::vector<OptionSpec> kServeOptions = {
    {"--listen", "GATEWAY_LISTEN",
     "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)"},
    {"--db", "GATEWAY_DB",
     "SQLite database file (default ./customer-gateway.db; :memory: for a throw-away store)"},
    {"--client-id", "GATEWAY_CLIENT_ID",
     "OAuth client id (default: generated once, kept in the database)"},
    {"--client-secret", "GATEWAY_CLIENT_SECRET",
     "OAuth client secret (default: generated once, kept in the database)"},
    {"--jwt-secret", "GATEWAY_JWT_SECRET",
     "HS256 signing secret; a MicroBase token:secretKey keeps its tokens valid (default: generated "
     "once)"},
    {"--threads", "GATEWAY_THREADS", "HTTP worker threads, one per open connection (default 128)"},
    {"--max-body", "GATEWAY_MAX_BODY", "largest request body in bytes (default 1048576)"},
    {"--scrypt-log-n", "GATEWAY_SCRYPT_LOG_N",
     "scrypt cost as log2(N) for new password hashes (default 15)"},
    {"--help", "", "show this help", true},
};

struct Endpoint {
  std::string host;
  int port;
};

std::optional<Endpoint> ParseListen(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string port_text = text.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  int port = std::stoi(port_text);
  if (port > 65535) return std::nullopt;
  return Endpoint{host, port};
}

std::optional<long> ParsePositive(const std::optional<std::string>& text, long max) {
  if (!text) return std::nullopt;
  if (text->empty() || text->size() > 12 ||
      text->find_first_not_of("0123456789") != std::string::npos)
    return -1;
  long v = std::stol(*text);
  return v < 1 || v > max ? -1 : v;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "customer-gateway: %s\n", message.c_str());
  return 1;
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  std::string error;
  std::optional<Options> opts = Options::Parse(args, kServeOptions, error);
  if (!opts) return Fail(error + " (try 'customer-gateway serve --help')");
  if (opts->Has("--help")) {
    std::printf("%s", Usage("serve", "Serves the Elastic Path v2 and MicroBase v1 customer APIs.",
                            kServeOptions)
                          .c_str());
    return 0;
  }
  if (!opts->positional().empty()) return Fail("unexpected argument " + opts->positional()[0]);

  std::optional<Endpoint> listen = ParseListen(opts->GetOr("--listen", "127.0.0.1:8080"));
  if (!listen) return Fail("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  auto threads = ParsePositive(opts->Get("--threads"), 4096);
  auto max_body = ParsePositive(opts->Get("--max-body"), 1L << 30);
  auto log_n = ParsePositive(opts->Get("--scrypt-log-n"), 20);
  if (threads == -1L) return Fail("--threads must be a number from 1 to 4096");
  if (max_body == -1L) return Fail("--max-body must be a positive number of bytes");
  if (log_n == -1L || (log_n && *log_n < 10)) return Fail("--scrypt-log-n must be from 10 to 20");

  // Block the stop signals before any thread starts, so only the waiter
  // below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const std::string db = opts->GetOr("--db", "customer-gateway.db");
  auto store = OpenStore(StoreOptions{.db = db});
  if (!store.ok()) return Fail(store.status().message());

  bool generated = false;
  auto secret = [&](std::string_view flag, std::string_view key, size_t bytes) -> std::string {
    if (auto given = opts->Get(flag)) return *given;
    auto stored = (*store)->settings().GetOrCreateSetting(key, [&] {
      generated = true;
      return Base64UrlEncode(RandomBytes(bytes));
    });
    if (!stored.ok()) throw std::runtime_error(stored.status().message());
    return *stored;
  };
  const std::string client_id = secret("--client-id", "client_id", 15);
  const std::string client_secret = secret("--client-secret", "client_secret", 30);
  const std::string jwt_secret = secret("--jwt-secret", "jwt_secret", 32);

  ScryptParams scrypt;
  if (log_n) scrypt.log_n = static_cast<int>(*log_n);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ScryptHasher hasher(scrypt, cores);
  CustomerService service((*store)->customers(), hasher);
  JwtHs256 signer(jwt_secret);

  std::vector<std::unique_ptr<http::Dialect>> dialects;
  dialects.push_back(std::make_unique<elastic_path::ElasticPathDialect>(
      service, signer, elastic_path::Config{client_id, client_secret}));
  dialects.push_back(std::make_unique<microbase::MicroBaseDialect>(
      service, signer, microbase::Config{client_id, client_secret}));

  http::ServerOptions server_opts;
  server_opts.host = listen->host;
  server_opts.port = listen->port;
  if (threads) server_opts.threads = static_cast<int>(*threads);
  if (max_body) server_opts.max_body_bytes = static_cast<size_t>(*max_body);
  http::GatewayServer server(server_opts, std::move(dialects));
  Result<int> port = server.Bind();
  if (!port.ok()) return Fail(port.status().message());

  const std::string base = "http://" + listen->host + ":" + std::to_string(*port);
  if (generated) {
    std::printf(
        "Generated credentials (stored in %s; shown only now):\n"
        "  client_id:     %s\n  client_secret: %s\n  jwt_secret:    %s\n\n"
        "Try it:\n"
        "  curl -s -X POST %s/oauth/access_token -d grant_type=client_credentials "
        "-d client_id=%s -d client_secret=%s\n\n",
        db.c_str(), client_id.c_str(), client_secret.c_str(), jwt_secret.c_str(), base.c_str(),
        client_id.c_str(), client_secret.c_str());
  }
  std::printf("customer-gateway %s listening on %s (database %s)\n", GATEWAY_VERSION, base.c_str(),
              db.c_str());
  std::fflush(stdout);

  std::atomic<bool> run_returned{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    // cpp-httplib ignores stop() until its accept loop has started, so a
    // signal arriving between Bind and Run would be lost and the gateway
    // would never exit: repeat the request until Run has returned.
    while (!run_returned.load()) {
      server.Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  server.Run();
  run_returned.store(true);
  // Run also returns if listening failed; make sure the stopper wakes.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  std::printf("customer-gateway stopped\n");
  return 0;
}

}  // namespace gateway::cli
