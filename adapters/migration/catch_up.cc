#include "adapters/migration/catch_up.h"

#include <simdjson.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace gateway::migration {
namespace {

constexpr std::string_view kBlanks = " \t\r\n\v\f";

std::string_view Trim(std::string_view s) {
  const size_t begin = s.find_first_not_of(kBlanks);
  if (begin == s.npos) return {};
  return s.substr(begin, s.find_last_not_of(kBlanks) - begin + 1);
}

// The id a JSON line names, or an empty view when it names none.
std::string_view IdOfJson(simdjson::dom::element e) {
  std::string_view id;
  if (!e.get(id)) return id;
  simdjson::dom::object o;
  if (e.get(o)) return {};
  simdjson::dom::element member;
  if (o["id"].get(member) && o["_id"].get(member)) return {};
  simdjson::dom::object oid;
  if (!member.get(oid) && oid["$oid"].get(member)) return {};
  if (member.get(id)) return {};
  return id;
}

}  // namespace

Result<std::vector<std::string>> ReadDeletions(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::Invalid("--deletions", "cannot read " + path + ": " + std::strerror(errno));
  std::vector<std::string> ids;
  simdjson::dom::parser parser;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    const std::string_view text = Trim(line);
    if (text.empty()) continue;
    std::string_view id = text;
    if (text.front() == '{' || text.front() == '"') {
      simdjson::dom::element e;
      if (parser.parse(text.data(), text.size()).get(e)) {
        return Status::Invalid("--deletions",
                               path + " line " + std::to_string(number) + ": not valid JSON");
      }
      id = IdOfJson(e);
      if (id.empty()) {
        return Status::Invalid("--deletions",
                               path + " line " + std::to_string(number) +
                                   ": a JSON line must be a string or an object with a "
                                   "non-empty \"id\" or \"_id\"");
      }
    }
    ids.emplace_back(id);
  }
  if (in.bad()) return Status::Invalid("--deletions", "cannot read " + path);
  return ids;
}

Result<std::vector<std::string>> FindUnnamed(CustomerRepository& repo,
                                             const std::function<bool(std::string_view)>& named,
                                             int64_t created_before, uint64_t& stored) {
  std::vector<std::string> unnamed;
  stored = 0;
  Status s = repo.ForEach([&](const Customer& c) {
    ++stored;
    if (c.created_at < created_before && !named(c.id)) unnamed.push_back(c.id);
  });
  if (!s.ok()) return s;
  return unnamed;
}

uint64_t DefaultPruneLimit(uint64_t stored_before) { return stored_before / 10; }

Result<RemovalCounts> RemoveCustomers(CustomerRepository& repo, const std::vector<std::string>& ids,
                                      const std::function<void(const std::string&)>& on_removed) {
  RemovalCounts counts;
  for (const std::string& id : ids) {
    Status s = repo.Remove(id);
    if (s.code() == ErrorCode::kCustomerNotFound) {
      ++counts.already_absent;
      continue;
    }
    if (!s.ok()) return s;
    ++counts.removed;
    on_removed(id);
  }
  return counts;
}

}  // namespace gateway::migration
