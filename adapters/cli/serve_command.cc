#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "adapters/admin/admin_dialect.h"
#include "adapters/admin/fault_injector.h"
#include "adapters/admin/request_journal.h"
#include "adapters/cli/commands.h"
#include "adapters/cli/options.h"
#include "adapters/elastic_path_v2/elastic_path_dialect.h"
#include "adapters/http/gateway_server.h"
#include "adapters/http/request_log.h"
#include "adapters/microbase_v1/microbase_dialect.h"
#include "adapters/migration/importer.h"
#include "adapters/migration/record_format.h"
#include "adapters/migration/record_reader.h"
#include "adapters/openapi/openapi_dialect.h"
#include "common/base64.h"
#include "common/deterministic.h"
#include "common/iso_time.h"
#include "common/uuid.h"
#include "core/customer_service.h"
#include "core/hash_queue.h"
#include "core/project_settings.h"
#include "credentials/jwt_hs256.h"
#include "credentials/scrypt_hasher.h"
#include "credentials/token_cache.h"
#include "storage/open_store.h"

namespace gateway::cli {
namespace {

const std::vector<OptionSpec> kServeOptions = {
    {"--listen", "GATEWAY_LISTEN",
     "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)"},
    {"--db", "GATEWAY_DB",
     "SQLite database file (default ./customer-gateway.db; :memory: for a throw-away store), "
     "or a PostgreSQL URL (postgresql://...) or libpq keyword string (host=... dbname=...)"},
    {"--client-id", "GATEWAY_CLIENT_ID",
     "OAuth client id (default: generated once, kept in the database)"},
    {"--client-secret", "GATEWAY_CLIENT_SECRET",
     "OAuth client secret (default: generated once, kept in the database)"},
    {"--jwt-secret", "GATEWAY_JWT_SECRET",
     "HS256 signing secret; a MicroBase token:secretKey keeps its tokens valid (default: generated "
     "once)"},
    {"--jwt-previous-secret", "GATEWAY_JWT_PREVIOUS_SECRET",
     "the HS256 secret being rotated out: tokens it signed still verify, none are signed with it "
     "(default none)"},
    {"--threads", "GATEWAY_THREADS",
     "HTTP worker threads kept when idle; more start while connections are open (default 16)"},
    {"--tls-cert", "GATEWAY_TLS_CERT",
     "PEM certificate chain: serve HTTPS (TLS 1.2+) instead of HTTP; needs --tls-key"},
    {"--tls-key", "GATEWAY_TLS_KEY", "PEM private key for --tls-cert"},
    {"--max-connections", "GATEWAY_MAX_CONNECTIONS",
     "open connections served at once; beyond it new ones get 503 (default 2048)"},
    {"--max-body", "GATEWAY_MAX_BODY",
     "largest request body in bytes, declared or chunked (default 1048576)"},
    {"--request-timeout", "GATEWAY_REQUEST_TIMEOUT",
     "seconds a request's head and body may take to arrive; then 408 (default 10)"},
    {"--keep-alive-timeout", "GATEWAY_KEEP_ALIVE_TIMEOUT",
     "seconds an idle connection is kept open (default 5)"},
    {"--login-rate-per-address", "GATEWAY_LOGIN_RATE_PER_ADDRESS",
     "credential attempts (logins, token requests) per minute from one client address; beyond "
     "it 429 + Retry-After (default 300)"},
    {"--login-rate-per-account", "GATEWAY_LOGIN_RATE_PER_ACCOUNT",
     "refused credential attempts per minute naming one account (email or client id); beyond "
     "it 429 + Retry-After (default 20)"},
    {"--cors-origins", "GATEWAY_CORS_ORIGINS",
     "origins browsers may call both APIs from: '*' (default), 'none', or a comma-separated "
     "list like https://shop.example.com"},
    {"--trusted-proxies", "GATEWAY_TRUSTED_PROXIES",
     "comma-separated peer addresses (e.g. nginx's 127.0.0.1) whose X-Forwarded-For names the "
     "client address for the rate limits (default none)"},
    {"--hash-queue", "GATEWAY_HASH_QUEUE",
     "password hashes running or waiting at once; beyond it 503 + Retry-After (default 32 per "
     "core)"},
    {"--scrypt-log-n", "GATEWAY_SCRYPT_LOG_N",
     "scrypt cost as log2(N) for new password hashes (default 15)"},
    {"--access-log", "GATEWAY_ACCESS_LOG",
     "file for the JSON log (a line per request, start, stop, internal errors); SIGHUP reopens "
     "it (default stdout)"},
    {"--admin-token", "GATEWAY_ADMIN_TOKEN",
     "enables the dev mock's admin API under /__gateway/ for callers sending this bearer token "
     "(default: off; see docs/dev-mock.md)"},
    {"--seed", "GATEWAY_SEED",
     "[FORMAT:]FILE imported before serving, e.g. microbase:customers.json (repeatable; FORMAT "
     "is microbase or elastic-path, recognised from the first record when left out; the env "
     "variable separates several with commas)",
     false, true},
    {"--deterministic", "GATEWAY_DETERMINISTIC",
     "SEED: ids and timestamps follow a sequence fixed by this number, for snapshot tests (never "
     "in production)"},
    {"--shutdown-timeout", "GATEWAY_SHUTDOWN_TIMEOUT",
     "seconds SIGTERM/SIGINT waits for requests in progress before exiting anyway (default 10)"},
    {"--help", "", "show this help", true},
};

// Verified tokens remembered (credentials/token_cache.h): a few MiB at most.
constexpr size_t kVerifiedTokenCacheSize = 16384;

// Requests the admin API's journal keeps (newest last; older ones drop off).
constexpr size_t kJournalCapacity = 1000;

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

// Creates (or replaces) `path` readable by its owner only.
Status WritePrivateFile(const std::string& path, std::string_view text) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot write " + path + ": " + std::strerror(errno));
  bool ok = fchmod(fd, 0600) == 0 &&
            write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = close(fd) == 0 && ok;
  return ok ? Status::Ok() : Status::Internal("cannot write " + path + ": " + std::strerror(errno));
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "customer-gateway: %s\n", message.c_str());
  return 1;
}

// The format of an export whose first record is `first`: MicroBase
// documents carry `_id`, Elastic Path objects `type: "customer"` (or sit
// under `data`). Null when it is neither.
const migration::RecordFormat* DetectFormat(const std::string& file) {
  auto reader = migration::RecordReader::Open(file);
  migration::RecordReader::Record first;
  if (!reader.ok() || !(*reader)->Next(first) || !first.framing_error.empty()) return nullptr;
  simdjson::dom::parser parser;
  simdjson::dom::object record;
  if (parser.parse(first.text.data(), first.text.size(), false).get(record)) return nullptr;
  std::string_view type;
  if (record["_id"].error() == simdjson::SUCCESS) return migration::FindRecordFormat("microbase");
  if (record["data"].is_object() ||
      (record["type"].get(type) == simdjson::SUCCESS && type == "customer")) {
    return migration::FindRecordFormat("elastic-path");
  }
  return nullptr;
}

// Imports one --seed [FORMAT:]FILE. A fixture with a rejected record stops
// the start: a mock quietly missing part of its data fails tests far from the
// cause.
Status SeedFrom(const std::string& spec, CustomerRepository& repo) {
  const size_t colon = spec.find(':');
  const migration::RecordFormat* format =
      colon == std::string::npos ? nullptr : migration::FindRecordFormat(spec.substr(0, colon));
  const std::string file = format != nullptr ? spec.substr(colon + 1) : spec;
  if (format == nullptr) format = DetectFormat(file);
  if (format == nullptr) {
    if (auto readable = migration::RecordReader::Open(file); !readable.ok()) {
      return readable.status();
    }
    return Status::Invalid("--seed", "--seed " + spec +
                                         ": cannot tell the format from its first record; "
                                         "write FORMAT:FILE with FORMAT one of " +
                                         migration::RecordFormatNames());
  }
  auto reader = migration::RecordReader::Open(file);
  if (!reader.ok()) return reader.status();
  migration::Importer importer(*format, &repo, migration::ImportOptions{});
  Result<migration::ImportCounts> counts = importer.Run(
      **reader,
      [&](const migration::ImportProblem& p) {
        std::string where =
            "record " + std::to_string(p.record) + ", line " + std::to_string(p.line);
        if (!p.id.empty()) where += " (id " + p.id + ")";
        std::fprintf(stderr, "customer-gateway: %s %s: %s\n", file.c_str(), where.c_str(),
                     p.reason.c_str());
      },
      [](const migration::ImportCounts&, uint64_t) {});
  if (!counts.ok()) return counts.status();
  std::printf("seeded %s (%s): created %llu, updated %llu, unchanged %llu, rejected %llu\n",
              file.c_str(), std::string(format->name()).c_str(),
              static_cast<unsigned long long>(counts->created),
              static_cast<unsigned long long>(counts->updated),
              static_cast<unsigned long long>(counts->unchanged),
              static_cast<unsigned long long>(counts->rejected));
  if (counts->rejected > 0) {
    return Status::Invalid("--seed", "--seed " + file + ": " + std::to_string(counts->rejected) +
                                         " records were rejected (listed above)");
  }
  return Status::Ok();
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
  auto max_connections = ParsePositive(opts->Get("--max-connections"), 65536);
  auto request_timeout = ParsePositive(opts->Get("--request-timeout"), 3600);
  auto keep_alive_timeout = ParsePositive(opts->Get("--keep-alive-timeout"), 3600);
  auto shutdown_timeout = ParsePositive(opts->Get("--shutdown-timeout"), 3600);
  auto log_n = ParsePositive(opts->Get("--scrypt-log-n"), 20);
  auto rate_address = ParsePositive(opts->Get("--login-rate-per-address"), 1000000);
  auto rate_account = ParsePositive(opts->Get("--login-rate-per-account"), 1000000);
  auto hash_queue_size = ParsePositive(opts->Get("--hash-queue"), 100000);
  if (threads == -1L) return Fail("--threads must be a number from 1 to 4096");
  if (max_body == -1L) return Fail("--max-body must be a positive number of bytes");
  if (max_connections == -1L) return Fail("--max-connections must be a number from 1 to 65536");
  if (request_timeout == -1L) return Fail("--request-timeout must be from 1 to 3600 seconds");
  if (shutdown_timeout == -1L) return Fail("--shutdown-timeout must be from 1 to 3600 seconds");
  if (keep_alive_timeout == -1L) return Fail("--keep-alive-timeout must be from 1 to 3600 seconds");
  if (rate_address == -1L) return Fail("--login-rate-per-address must be a positive number");
  if (rate_account == -1L) return Fail("--login-rate-per-account must be a positive number");
  if (hash_queue_size == -1L) return Fail("--hash-queue must be a number from 1 to 100000");
  if (log_n == -1L || (log_n && *log_n < 10)) return Fail("--scrypt-log-n must be from 10 to 20");
  if (auto seed = opts->Get("--deterministic")) {
    if (seed->empty() || seed->size() > 19 ||
        seed->find_first_not_of("0123456789") != std::string::npos) {
      return Fail("--deterministic must be a number (the seed)");
    }
    deterministic::Start(std::stoull(*seed));
  }

  // Block the stop signals (and SIGHUP, which reopens the log) before any
  // thread starts, so only the waiter below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  http::RequestLog log(opts->GetOr("--access-log", ""));
  if (Status s = log.Open(); !s.ok()) return Fail(s.message());
  http::SetProcessLog(&log);
  struct ProcessLogReset {
    ~ProcessLogReset() { http::SetProcessLog(nullptr); }
  } process_log_reset;

  const std::string db = opts->GetOr("--db", "customer-gateway.db");
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  HashQueue hash_queue(hash_queue_size ? static_cast<size_t>(*hash_queue_size)
                                       : static_cast<size_t>(32 * cores));
  // Made before the store, which reports each group commit to it until closed.
  auto metrics = std::make_shared<http::Metrics>(GATEWAY_VERSION, &hash_queue);
  // One store connection per worker thread (engines that pool connections).
  auto store = OpenStore(StoreOptions{
      .db = db,
      .on_commit_batch = [metrics](size_t writes) { metrics->ObserveCommitBatch(writes); },
      .connections = threads ? static_cast<size_t>(*threads) : 0});
  if (!store.ok()) return Fail(store.status().message());
  CustomerRepository& repo = (*store)->customers();

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

  for (const std::string& spec : opts->GetAll("--seed")) {
    if (Status s = SeedFrom(spec, repo); !s.ok()) return Fail(s.message());
  }

  ScryptParams scrypt;
  if (log_n) scrypt.log_n = static_cast<int>(*log_n);
  ScryptHasher hasher(scrypt, cores);
  CustomerService service(repo, hasher, hash_queue);
  JwtHs256 jwt(jwt_secret, opts->GetOr("--jwt-previous-secret", ""));
  // Clients send the same bearer on every request: verify each token once.
  CachingTokenVerifier signer(jwt, kVerifiedTokenCacheSize);

  std::vector<std::unique_ptr<http::Dialect>> dialects;
  admin::DialectNames names;
  ProjectSettings project_settings((*store)->settings());
  elastic_path::Config ep_config{client_id, client_secret};
  ep_config.settings = &project_settings;
  elastic_path::FlowCatalog flows((*store)->settings());
  ep_config.flows = &flows;
  dialects.push_back(
      std::make_unique<elastic_path::ElasticPathDialect>(service, signer, std::move(ep_config)));
  names.Add(dialects.back().get(), "elastic-path");
  dialects.push_back(std::make_unique<microbase::MicroBaseDialect>(
      service, signer, microbase::Config{client_id, client_secret}));
  names.Add(dialects.back().get(), "microbase");
  dialects.push_back(std::make_unique<openapi::OpenApiDialect>());

  // The dev mock's admin API and its journal exist only with an admin token:
  // without one, /__gateway paths are unknown paths and nothing is recorded.
  const std::string admin_token = opts->GetOr("--admin-token", "");
  std::shared_ptr<admin::RequestJournal> journal;
  std::shared_ptr<admin::FaultInjector> faults;
  if (!admin_token.empty()) {
    journal = std::make_shared<admin::RequestJournal>(names, kJournalCapacity);
    std::optional<deterministic::Position> start = deterministic::Save();
    faults = std::make_shared<admin::FaultInjector>(
        names, start ? std::optional<uint64_t>(start->seed) : std::nullopt);
    dialects.push_back(
        std::make_unique<admin::AdminDialect>(admin_token, repo, *journal, *faults, names, start));
  }

  http::ServerOptions server_opts;
  server_opts.host = listen->host;
  server_opts.request_log = &log;
  metrics->CountCustomersWith([&repo] { return repo.CountByPasswordScheme(); });
  server_opts.metrics = metrics;
  server_opts.check_store = [&repo] {
    // A read of an id that cannot exist: a full query, no customer data.
    Result<Customer> probe = repo.Get("00000000-0000-4000-8000-000000000000");
    if (probe.ok() || probe.status().code() == ErrorCode::kCustomerNotFound) return Status::Ok();
    return probe.status();
  };
  server_opts.port = listen->port;
  if (threads) server_opts.threads = static_cast<int>(*threads);
  if (max_body) server_opts.max_body_bytes = static_cast<size_t>(*max_body);
  if (rate_address) server_opts.credential_attempts_per_address = static_cast<int>(*rate_address);
  if (rate_account) server_opts.credential_attempts_per_account = static_cast<int>(*rate_account);
  if (max_connections) server_opts.max_connections = static_cast<int>(*max_connections);
  if (request_timeout) server_opts.request_timeout_seconds = static_cast<int>(*request_timeout);
  if (keep_alive_timeout) server_opts.keep_alive_seconds = static_cast<int>(*keep_alive_timeout);
  if (auto cors = opts->Get("--cors-origins")) {
    std::string cors_error;
    server_opts.cors_origins = http::CorsPolicy::Parse(*cors, cors_error);
    if (!cors_error.empty()) return Fail("--cors-origins: " + cors_error);
  }
  if (auto proxies = opts->Get("--trusted-proxies")) {
    std::string_view list = *proxies;
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view one = list.substr(0, comma);
      if (!one.empty()) server_opts.trusted_proxies.emplace_back(one);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  const std::optional<std::string> tls_cert = opts->Get("--tls-cert");
  const std::optional<std::string> tls_key = opts->Get("--tls-key");
  if (tls_cert.has_value() != tls_key.has_value()) {
    return Fail("--tls-cert and --tls-key go together");
  }
  http::GatewayServer server(server_opts, std::move(dialects));
  // The journal runs first, so it times and records faulted requests too.
  if (journal) server.AddInterceptor(journal);
  if (faults) server.AddInterceptor(faults);
  if (tls_cert) {
    if (Status s = server.UseTls(*tls_cert, *tls_key); !s.ok()) return Fail(s.message());
  }
  Result<int> port = server.Bind();
  if (!port.ok()) return Fail(port.status().message());

  const std::string base =
      std::string(tls_cert ? "https://" : "http://") + listen->host + ":" + std::to_string(*port);
  if (generated) {
    std::string banner =
        "Generated credentials (stored in " + StoreDisplayName(db) + "; shown only now):\n" +
        "  client_id:     " + client_id + "\n  client_secret: " + client_secret +
        "\n  jwt_secret:    " + jwt_secret + "\n\nTry it:\n  curl -s -X POST " + base +
        "/oauth/access_token -d grant_type=client_credentials -d client_id=" + client_id +
        " -d client_secret=" + client_secret + "\n";
    // Secrets on stdout end up in journald or container logs: they are
    // shown only on a terminal, otherwise written to a file only we can read.
    if (isatty(STDOUT_FILENO)) {
      std::printf("%s\n", banner.c_str());
    } else {
      const std::string file =
          (db == ":memory:" || IsPostgres(db) ? std::string("customer-gateway") : db) +
          ".credentials";
      Status written = WritePrivateFile(file, banner);
      if (!written.ok()) return Fail(written.message());
      const std::string where =
          "Generated credentials were written to " + file + " (mode 0600); read and remove it";
      std::printf("%s\n", where.c_str());
      log.Event("credentials_generated", where);
    }
  }
  const std::string started = std::string("customer-gateway ") + GATEWAY_VERSION +
                              " listening on " + base + " (database " + StoreDisplayName(db) + ")";
  std::printf("%s\n", started.c_str());
  std::fflush(stdout);
  log.Event("start", started);
  // Under systemd (Type=notify) this marks the service started; elsewhere
  // NOTIFY_SOCKET is unset and it does nothing.
  sd_notifyf(0, "READY=1\nSTATUS=listening on %s", base.c_str());

  std::atomic<bool> run_returned{false};
  const auto grace = std::chrono::seconds(shutdown_timeout.value_or(10));
  std::thread stopper([&] {
    int sig = 0;
    for (;;) {
      sigwait(&stop_signals, &sig);
      if (run_returned.load()) return;
      if (sig != SIGHUP) break;
      Status reopened = log.Reopen();
      log.Event("log_reopened",
                reopened.ok() ? "SIGHUP: the log was reopened" : reopened.message());
    }
    const std::string stopping = "customer-gateway stopping (signal " + std::to_string(sig) +
                                 "): draining for up to " + std::to_string(grace.count()) + " s";
    std::printf("%s\n", stopping.c_str());
    std::fflush(stdout);
    log.Event("stopping", stopping);
    sd_notify(0, "STOPPING=1\nSTATUS=draining");
    const auto deadline = std::chrono::steady_clock::now() + grace;
    // cpp-httplib ignores stop() until its accept loop has started, so a
    // signal arriving between Bind and Run would be lost and the gateway
    // would never exit: repeat the request until Run has returned.
    while (!run_returned.load()) {
      server.Stop();
      if (std::chrono::steady_clock::now() > deadline) {
        // Every acknowledged write is already durable; what is still in
        // progress was never acknowledged.
        const char* forced =
            "customer-gateway stopped: --shutdown-timeout passed with requests open";
        std::printf("%s\n", forced);
        std::fflush(stdout);
        log.Event("stopped", forced);
        std::_Exit(0);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  server.Run();
  run_returned.store(true);
  // Run also returns if listening failed; make sure the stopper wakes.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  std::printf("customer-gateway stopped\n");
  log.Event("stopped", "customer-gateway stopped");
  return 0;
}

}  // namespace gateway::cli
