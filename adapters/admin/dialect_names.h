// DialectNames: the names the dev mock's journal and fault rules use for the
// dialects the host mounts ("elastic-path", "microbase"). The host itself
// never needs names, so they live here, filled by the composition root.
//
// Thread-safety: filled before the server runs, then only read.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/http/dialect.h"

namespace gateway::admin {

class DialectNames {
 public:
  void Add(const http::Dialect* dialect, std::string name) {
    names_.emplace_back(dialect, std::move(name));
  }
  // "" for a dialect that was not named (the admin API itself, unknown paths).
  std::string_view NameOf(const http::Dialect* dialect) const {
    for (const auto& [d, name] : names_) {
      if (d == dialect) return name;
    }
    return {};
  }
  bool Has(std::string_view name) const {
    for (const auto& entry : names_) {
      if (entry.second == name) return true;
    }
    return false;
  }
  std::string List() const {  // "elastic-path|microbase", for error messages
    std::string out;
    for (const auto& entry : names_) out += (out.empty() ? "" : "|") + entry.second;
    return out;
  }

 private:
  std::vector<std::pair<const http::Dialect*, std::string>> names_;
};

}  // namespace gateway::admin
