// Command-line options: `--flag VALUE` / `--flag=VALUE`, each with an
// environment variable fallback (flag wins), and that variable with `_FILE`
// appended naming a file that holds the value (trailing newlines dropped).
// Unknown flags and unreadable `_FILE`s are errors.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gateway::cli {

struct OptionSpec {
  std::string_view flag;  // "--listen"
  std::string_view env;   // "GATEWAY_LISTEN", or empty
  std::string_view help;
  bool is_switch = false;  // takes no value
  // May be given many times (GetAll); its environment variable then holds
  // the values separated by commas.
  bool repeatable = false;
};

class Options {
 public:
  // Parses `args` against `specs`; returns nullopt and sets `error` on a bad flag.
  static std::optional<Options> Parse(const std::vector<std::string>& args,
                                      const std::vector<OptionSpec>& specs, std::string& error);

  std::optional<std::string> Get(std::string_view flag) const;
  std::string GetOr(std::string_view flag, std::string fallback) const;
  bool Has(std::string_view flag) const { return Get(flag).has_value(); }
  // Every value of a repeatable flag, in command-line order.
  std::vector<std::string> GetAll(std::string_view flag) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::map<std::string, std::vector<std::string>, std::less<>> repeated_;
  std::vector<std::string> positional_;
};

std::string Usage(std::string_view command, std::string_view summary,
                  const std::vector<OptionSpec>& specs);

}  // namespace gateway::cli
