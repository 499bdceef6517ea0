#include "adapters/microbase_v1/arguments.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

#include "adapters/http/json_body.h"
#include "common/hex.h"
#include "common/json_writer.h"
#include "common/url.h"

namespace gateway::microbase {
namespace {

// qs's limits: at most 1000 pairs, 5 levels of brackets, array indices up to 20
// (a larger index makes an object key, so `a[999999]=x` cannot allocate).
constexpr size_t kParameterLimit = 1000;
constexpr size_t kDepth = 5;
constexpr size_t kArrayLimit = 20;

// A decoded value: a string, `true` (qs's marker when a plain value is merged
// into an object), an array (sparse until compacted) or an object.
struct IndexedNode;
struct NamedNode;

struct Node {
  enum class Kind { kString, kTrue, kArray, kObject };

  Kind kind = Kind::kString;
  std::string text;
  std::vector<IndexedNode> elements;  // arrays, ascending index
  std::vector<NamedNode> members;     // objects, insertion order

  static Node String(std::string s);
  static Node Of(Kind kind);
  bool IsContainer() const { return kind == Kind::kArray || kind == Kind::kObject; }

  Node* Element(size_t index);
  void Set(size_t index, Node n);
  // JavaScript's push: after the highest index, holes included.
  void Push(Node n);
  Node* Member(std::string_view key);
  void AddMember(std::string key, Node n);
};

// Named structs rather than std::pair, and member functions defined out of
// line: a container of a still-incomplete Node must not be instantiated.
struct IndexedNode {
  size_t index;
  Node node;
};
struct NamedNode {
  std::string key;
  Node node;
};

Node Node::String(std::string s) {
  Node n;
  n.text = std::move(s);
  return n;
}

Node Node::Of(Kind kind) {
  Node n;
  n.kind = kind;
  return n;
}

Node* Node::Element(size_t index) {
  for (auto& [i, n] : elements) {
    if (i == index) return &n;
  }
  return nullptr;
}

void Node::Set(size_t index, Node n) {
  auto it = std::lower_bound(elements.begin(), elements.end(), index,
                             [](const auto& e, size_t i) { return e.index < i; });
  if (it != elements.end() && it->index == index) {
    it->node = std::move(n);
  } else {
    elements.insert(it, {index, std::move(n)});
  }
}

void Node::Push(Node n) {
  size_t next = elements.empty() ? 0 : elements.back().index + 1;
  elements.push_back({next, std::move(n)});
}

Node* Node::Member(std::string_view key) {
  for (auto& [k, n] : members) {
    if (k == key) return &n;
  }
  return nullptr;
}

void Node::AddMember(std::string key, Node n) { members.push_back({std::move(key), std::move(n)}); }

// qs's decoder: '+' is a space, then decodeURIComponent; text with a stray
// '%' is kept as it is. Unlike qs, bytes that are not UTF-8 (raw or
// percent-encoded) are refused rather than kept or replaced with U+FFFD,
// which would store something other than what was sent and let two different
// inputs collide.
std::optional<std::string> Decode(std::string_view s) {
  if (std::optional<std::string> decoded = PercentDecode(s, PlusIs::kSpace)) return decoded;
  bool stray_percent = false;
  for (size_t i = 0; i < s.size() && !stray_percent; ++i) {
    if (s[i] != '%') continue;
    stray_percent = i + 2 >= s.size() || HexDigitValue(s[i + 1]) < 0 || HexDigitValue(s[i + 2]) < 0;
  }
  // Well-formed escapes that still do not decode spell bytes that are not UTF-8.
  if (!stray_percent) return std::nullopt;
  std::string kept(s);
  std::replace(kept.begin(), kept.end(), '+', ' ');
  if (!simdjson::validate_utf8(kept.data(), kept.size())) return std::nullopt;
  return kept;
}

// Splits `a[b][0]` into "a", "[b]", "[0]"; brackets past the depth limit
// stay together as one literal key, as qs does.
std::vector<std::string> KeyChain(std::string_view key) {
  std::vector<std::string> chain;
  size_t parent_end = key.find_first_of("[]");
  if (parent_end == std::string_view::npos) parent_end = key.size();
  if (parent_end > 0) chain.emplace_back(key.substr(0, parent_end));
  size_t pos = parent_end;
  size_t depth = 0;
  while (true) {
    // The next "[...]" with no bracket inside, wherever it starts.
    size_t open = std::string_view::npos;
    size_t close = std::string_view::npos;
    for (size_t i = pos; i < key.size(); ++i) {
      if (key[i] == '[') {
        open = i;
      } else if (key[i] == ']' && open != std::string_view::npos) {
        close = i;
        break;
      }
    }
    if (close == std::string_view::npos) break;
    if (depth == kDepth) {
      chain.push_back("[" + std::string(key.substr(open)) + "]");
      break;
    }
    chain.emplace_back(key.substr(open, close - open + 1));
    pos = close + 1;
    ++depth;
  }
  return chain;
}

std::optional<size_t> ArrayIndex(std::string_view clean) {
  if (clean.empty() || clean.size() > 2 || (clean.size() > 1 && clean[0] == '0'))
    return std::nullopt;
  size_t index = 0;
  auto [end, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), index);
  if (ec != std::errc() || end != clean.data() + clean.size() || index > kArrayLimit) {
    return std::nullopt;
  }
  return index;
}

Node Build(const std::vector<std::string>& chain, size_t pos, const Node& value) {
  if (pos == chain.size()) return value;
  const std::string& root = chain[pos];
  Node sub = Build(chain, pos + 1, value);
  if (root == "[]") {
    Node arr = Node::Of(Node::Kind::kArray);
    if (sub.kind == Node::Kind::kArray) {
      arr.elements = std::move(sub.elements);
    } else {
      arr.Push(std::move(sub));
    }
    return arr;
  }
  const bool bracketed = root.size() >= 2 && root.front() == '[' && root.back() == ']';
  std::string clean = bracketed ? root.substr(1, root.size() - 2) : root;
  if (auto index = bracketed ? ArrayIndex(clean) : std::nullopt) {
    Node arr = Node::Of(Node::Kind::kArray);
    arr.Set(*index, std::move(sub));
    return arr;
  }
  Node obj = Node::Of(Node::Kind::kObject);
  obj.AddMember(std::move(clean), std::move(sub));
  return obj;
}

void Merge(Node& target, Node source);

void MergeMembers(Node& target, std::vector<NamedNode> members) {
  for (auto& [key, value] : members) {
    if (Node* existing = target.Member(key)) {
      Merge(*existing, std::move(value));
    } else {
      target.AddMember(std::move(key), std::move(value));
    }
  }
}

// qs's utils.merge, which combines the values of keys naming the same path.
void Merge(Node& target, Node source) {
  if (!source.IsContainer()) {
    if (source.kind == Node::Kind::kString && source.text.empty()) return;  // '' is falsy
    if (target.kind == Node::Kind::kArray) {
      target.Push(std::move(source));
    } else if (target.kind == Node::Kind::kObject) {
      if (!target.Member(source.text)) {
        target.AddMember(source.text, Node::Of(Node::Kind::kTrue));
      }
    } else {
      Node arr = Node::Of(Node::Kind::kArray);
      arr.Push(std::move(target));
      arr.Push(std::move(source));
      target = std::move(arr);
    }
    return;
  }
  if (!target.IsContainer()) {
    Node arr = Node::Of(Node::Kind::kArray);
    arr.Push(std::move(target));
    if (source.kind == Node::Kind::kArray) {
      for (auto& [i, n] : source.elements) arr.Push(std::move(n));
    } else {
      arr.Push(std::move(source));
    }
    target = std::move(arr);
    return;
  }
  if (target.kind == Node::Kind::kArray && source.kind == Node::Kind::kArray) {
    for (auto& [i, item] : source.elements) {
      if (Node* existing = target.Element(i)) {
        if (existing->IsContainer()) {
          Merge(*existing, std::move(item));
        } else {
          target.Push(std::move(item));
        }
      } else {
        target.Set(i, std::move(item));
      }
    }
    return;
  }
  if (target.kind == Node::Kind::kArray) {  // an array meeting object keys becomes an object
    Node obj = Node::Of(Node::Kind::kObject);
    for (auto& [i, n] : target.elements) obj.AddMember(std::to_string(i), std::move(n));
    target = std::move(obj);
  }
  if (source.kind == Node::Kind::kArray) {
    std::vector<NamedNode> keyed;
    for (auto& [i, n] : source.elements) keyed.push_back({std::to_string(i), std::move(n)});
    return MergeMembers(target, std::move(keyed));
  }
  MergeMembers(target, std::move(source.members));
}

void WriteJson(JsonWriter& w, const Node& n) {
  switch (n.kind) {
    case Node::Kind::kString:
      w.String(n.text);
      return;
    case Node::Kind::kTrue:
      w.Bool(true);
      return;
    case Node::Kind::kArray:  // written dense: qs compacts the holes away
      w.BeginArray();
      for (const IndexedNode& e : n.elements) WriteJson(w, e.node);
      w.EndArray();
      return;
    case Node::Kind::kObject:
      w.BeginObject();
      for (const NamedNode& m : n.members) WriteJson(w.Key(m.key), m.node);
      w.EndObject();
      return;
  }
}

// Members as one JSON object; each value is already JSON text.
std::string WriteMembers(const std::vector<std::pair<std::string, std::string>>& members) {
  JsonWriter w;
  w.BeginObject();
  for (const auto& [key, json] : members) w.Key(key).Raw(json);
  w.EndObject();
  return w.Take();
}

using Members = std::vector<std::pair<std::string, std::string>>;  // key, JSON value

// Decodes qs text into top-level members, each value as JSON text; nullopt
// with `error` set when a key or value is not UTF-8.
std::optional<Members> DecodeMembers(std::string_view text, std::string& error) {
  // First pass, as qs's parseValues: full keys, repeated keys collected.
  std::vector<std::pair<std::string, Node>> flat;
  size_t pos = 0;
  size_t count = 0;
  while (pos <= text.size() && count < kParameterLimit) {
    size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view part = text.substr(pos, amp - pos);
    pos = amp + 1;
    ++count;
    if (part.empty()) continue;
    size_t bracket_eq = part.find("]=");
    size_t eq = bracket_eq == std::string_view::npos ? part.find('=') : bracket_eq + 1;
    std::optional<std::string> key = Decode(part.substr(0, eq));
    std::optional<std::string> value =
        eq == std::string_view::npos ? std::string() : Decode(part.substr(eq + 1));
    if (!key || !value) {
      error = "parameter " + std::to_string(count) + " is not valid UTF-8";
      return std::nullopt;
    }
    auto it =
        std::find_if(flat.begin(), flat.end(), [&](const auto& f) { return f.first == *key; });
    if (it == flat.end()) {
      flat.emplace_back(std::move(*key), Node::String(std::move(*value)));
    } else if (it->second.kind == Node::Kind::kArray) {
      it->second.Push(Node::String(std::move(*value)));
    } else {
      Node arr = Node::Of(Node::Kind::kArray);
      arr.Push(std::move(it->second));
      arr.Push(Node::String(std::move(*value)));
      it->second = std::move(arr);
    }
  }
  // Second pass, as qs's parseKeys + merge: brackets build the structure.
  Node root = Node::Of(Node::Kind::kObject);
  for (auto& [key, value] : flat) {
    std::vector<std::string> chain = KeyChain(key);
    if (chain.empty()) continue;
    Merge(root, Build(chain, 0, value));
  }
  Members out;
  for (auto& [key, value] : root.members) {
    JsonWriter json;
    WriteJson(json, value);
    out.emplace_back(key, json.Take());
  }
  return out;
}

// Object.assign: a later member replaces an earlier one of the same name.
void Assign(Members& into, Members from) {
  for (auto& member : from) {
    auto it = std::find_if(into.begin(), into.end(),
                           [&](const auto& m) { return m.first == member.first; });
    if (it == into.end()) {
      into.push_back(std::move(member));
    } else {
      it->second = std::move(member.second);
    }
  }
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> DecodeQueryString(std::string_view text, std::string& error) {
  std::optional<Members> decoded = DecodeMembers(text, error);
  if (!decoded) return std::nullopt;
  return WriteMembers(*decoded);
}

std::optional<std::string> MergeArguments(const RawArguments& raw, ArgumentsError& error) {
  Members members;
  const size_t first = raw.body.find_first_not_of(" \t\r\n");
  const bool empty = first == std::string_view::npos;
  // A body that plainly is JSON is read as JSON whatever its Content-Type
  // says: `curl -d '{...}'` labels it as a form.
  const bool looks_json = !empty && (raw.body[first] == '{' || raw.body[first] == '[');
  const bool json_type = StartsWithNoCase(raw.content_type, "application/json");
  const bool form_type = StartsWithNoCase(raw.content_type, "application/x-www-form-urlencoded");
  if (form_type && !looks_json) {
    std::optional<Members> form = DecodeMembers(raw.body, error.detail);
    if (!form) {
      error = {"invalid_encoding", "form body: " + error.detail};
      return std::nullopt;
    }
    members = std::move(*form);
  } else if (!empty && (looks_json || json_type)) {
    std::optional<simdjson::dom::element> root = http::ParseJson(raw.body, error.detail);
    if (!root) {
      error.code = "invalid_json";
      return std::nullopt;
    }
    if (root->is_array()) return std::string(raw.body);  // the schema answers "should be object"
    simdjson::dom::object obj;
    if (root->get(obj)) {
      error = {"invalid_json", "a JSON body must be an object"};
      return std::nullopt;
    }
    for (auto field : obj)
      members.emplace_back(std::string(field.key), simdjson::to_string(field.value));
    // Duplicate JSON keys: the last one counts, as in JSON.parse.
    Members unique;
    Assign(unique, std::move(members));
    members = std::move(unique);
  }
  // Any other body (text/plain, no Content-Type) is not read, as MicroBase's
  // body parsers leave it alone.
  std::optional<Members> query = DecodeMembers(raw.query, error.detail);
  if (!query) {
    error = {"invalid_encoding", "query string: " + error.detail};
    return std::nullopt;
  }
  Assign(members, std::move(*query));
  return WriteMembers(members);
}

}  // namespace gateway::microbase
