#include "adapters/cli/options.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace gateway::cli {

std::optional<Options> Options::Parse(const std::vector<std::string>& args,
                                      const std::vector<OptionSpec>& specs, std::string& error) {
  Options out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      out.positional_.push_back(arg);
      continue;
    }
    std::string flag = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : specs) {
      if (s.flag == flag) spec = &s;
    }
    if (spec == nullptr) {
      error = "unknown option " + flag;
      return std::nullopt;
    }
    if (spec->is_switch) {
      if (value) {
        error = flag + " takes no value";
        return std::nullopt;
      }
      value = "1";
    } else if (!value) {
      if (i + 1 >= args.size()) {
        error = flag + " needs a value";
        return std::nullopt;
      }
      value = args[++i];
    }
    out.values_[flag] = *value;
    if (spec->repeatable) out.repeated_[flag].push_back(*value);
  }
  for (const OptionSpec& s : specs) {
    if (s.env.empty() || out.values_.count(s.flag)) continue;
    // NAME_FILE names a file holding the value (the container convention
    // for secrets); NAME itself wins when both are set.
    std::string from_file;
    const char* v = std::getenv(std::string(s.env).c_str());
    if (v == nullptr || *v == '\0') {
      const std::string file_env = std::string(s.env) + "_FILE";
      if (const char* file = std::getenv(file_env.c_str()); file != nullptr && *file != '\0') {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        if (!in || !(text << in.rdbuf())) {
          error = file_env + ": cannot read " + file;
          return std::nullopt;
        }
        from_file = text.str();
        while (!from_file.empty() && (from_file.back() == '\n' || from_file.back() == '\r')) {
          from_file.pop_back();
        }
        v = from_file.c_str();
      }
    }
    if (v != nullptr && *v != '\0') {
      out.values_[std::string(s.flag)] = v;
      if (!s.repeatable) continue;
      std::string_view rest = v;
      while (!rest.empty()) {
        const size_t comma = std::min(rest.find(','), rest.size());
        if (comma > 0) out.repeated_[std::string(s.flag)].emplace_back(rest.substr(0, comma));
        rest.remove_prefix(std::min(comma + 1, rest.size()));
      }
    }
  }
  return out;
}

std::optional<std::string> Options::Get(std::string_view flag) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Options::GetAll(std::string_view flag) const {
  auto it = repeated_.find(flag);
  return it == repeated_.end() ? std::vector<std::string>{} : it->second;
}

std::string Options::GetOr(std::string_view flag, std::string fallback) const {
  return Get(flag).value_or(std::move(fallback));
}

std::string Usage(std::string_view command, std::string_view summary,
                  const std::vector<OptionSpec>& specs) {
  std::string out = "usage: customer-gateway " + std::string(command) + " [options]\n\n" +
                    std::string(summary) + "\n\noptions:\n";
  for (const OptionSpec& s : specs) {
    std::string left = "  " + std::string(s.flag) + (s.is_switch ? "" : " VALUE");
    // A flag too long for the column gets its help on the next line.
    if (left.size() < 28) {
      left.resize(28, ' ');
    } else {
      left += "\n" + std::string(28, ' ');
    }
    out += left + std::string(s.help);
    if (!s.env.empty()) out += " [env " + std::string(s.env) + "]";
    out += "\n";
  }
  out +=
      "\nEach environment variable NAME can instead be NAME_FILE, naming a file that holds\n"
      "the value (e.g. GATEWAY_JWT_SECRET_FILE=/run/secrets/jwt).\n";
  return out;
}

}  // namespace gateway::cli
