// customer-gateway: one binary serving Elastic Path v2 and MicroBase v1
// customer APIs over one SQLite store. This file only picks the sub-command.
#include <sys/stat.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/cli/commands.h"

namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(const std::vector<std::string>&);
};

constexpr Command kCommands[] = {
    {"serve", "serve both APIs over HTTP", gateway::cli::RunServe},
    {"import", "import a MicroBase or Elastic Path customer export", gateway::cli::RunImport},
    {"export", "export every customer as MicroBase or Elastic Path records",
     gateway::cli::RunExport},
    {"healthcheck", "exit 0 when a running gateway is ready, 1 otherwise",
     gateway::cli::RunHealthcheck},
};

void PrintHelp() {
  std::printf(
      "customer-gateway %s: Elastic Path v2 and MicroBase v1 customer APIs over one store.\n\n"
      "usage: customer-gateway <command> [options]\n\ncommands:\n",
      GATEWAY_VERSION);
  for (const Command& c : kCommands) {
    std::printf("  %-10.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                static_cast<int>(c.summary.size()), c.summary.data());
  }
  std::printf("\n'customer-gateway <command> --help' explains each command.\n");
}

}  // namespace

int main(int argc, char** argv) {
  // The database holds every password hash and the secrets; its WAL, the
  // exports and the logs hold customer data: every file the gateway creates
  // is readable by its user only.
  umask(077);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintHelp();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "-V") {
    std::printf("customer-gateway %s\n", GATEWAY_VERSION);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (args[0] == c.name) {
      try {
        return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
      } catch (const std::exception& e) {
        std::fprintf(stderr, "customer-gateway: %s\n", e.what());
        return 1;
      }
    }
  }
  std::fprintf(stderr, "customer-gateway: unknown command '%s' (try --help)\n", args[0].c_str());
  return 2;
}
