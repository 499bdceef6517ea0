// `customer-gateway healthcheck`: asks a running gateway's /readyz and exits
// 0 when it is ready, 1 otherwise — for container health checks, which run a
// command inside the container rather than an HTTP probe.
#include <httplib.h>

#include <cstdio>

#include "adapters/cli/commands.h"
#include "adapters/cli/options.h"

namespace gateway::cli {
namespace {

const std::vector<OptionSpec> kHealthcheckOptions = {
    {"--url", "GATEWAY_HEALTHCHECK_URL",
     "the gateway's base URL (default http://127.0.0.1:8080, or http://GATEWAY_LISTEN)"},
    {"--path", "", "the probe: /readyz (default) or /livez"},
    {"--timeout", "", "seconds to wait for the answer (default 2)"},
    {"--help", "", "show this help", true},
};

}  // namespace

int RunHealthcheck(const std::vector<std::string>& args) {
  std::string error;
  std::optional<Options> opts = Options::Parse(args, kHealthcheckOptions, error);
  if (!opts) {
    std::fprintf(stderr, "customer-gateway: %s (try 'customer-gateway healthcheck --help')\n",
                 error.c_str());
    return 2;
  }
  if (opts->Has("--help")) {
    std::printf("%s", Usage("healthcheck",
                            "Exits 0 when the gateway at --url answers its readiness probe with "
                            "200, 1 otherwise.",
                            kHealthcheckOptions)
                          .c_str());
    return 0;
  }
  std::string url = opts->GetOr("--url", "");
  if (url.empty()) {
    const char* listen = std::getenv("GATEWAY_LISTEN");
    url = std::string("http://") + (listen != nullptr && *listen ? listen : "127.0.0.1:8080");
  }
  const std::string path = opts->GetOr("--path", "/readyz");
  if (path != "/readyz" && path != "/livez") {
    std::fprintf(stderr, "customer-gateway: --path must be /readyz or /livez\n");
    return 2;
  }
  const std::string timeout_text = opts->GetOr("--timeout", "2");
  if (timeout_text.empty() || timeout_text.size() > 4 ||
      timeout_text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(timeout_text) < 1) {
    std::fprintf(stderr, "customer-gateway: --timeout must be a number of seconds\n");
    return 2;
  }
  const time_t timeout = std::stoi(timeout_text);

  httplib::Client client(url);
  if (!client.is_valid()) {
    std::fprintf(stderr, "customer-gateway: cannot use --url %s\n", url.c_str());
    return 2;
  }
  client.set_connection_timeout(timeout, 0);
  client.set_read_timeout(timeout, 0);
  client.set_write_timeout(timeout, 0);
  // Health checks run beside the service, usually against a certificate
  // issued for its public name, not the address probed.
  client.enable_server_certificate_verification(false);
  httplib::Result res = client.Get(path);
  if (!res) {
    std::printf("unreachable: %s%s (%s)\n", url.c_str(), path.c_str(),
                httplib::to_string(res.error()).c_str());
    return 1;
  }
  std::printf("%d %s\n", res->status, res->body.c_str());
  return res->status == 200 ? 0 : 1;
}

}  // namespace gateway::cli
