#include "adapters/elastic_path_v2/flows.h"

#include <algorithm>
#include <array>

#include "common/iso_time.h"
#include "common/json_scalar.h"

namespace gateway::elastic_path {
namespace {

constexpr size_t kMaxName = 255;
constexpr size_t kMaxSlug = 255;
constexpr size_t kMaxDescription = 2048;

}  // namespace

std::optional<JsonScalar> ReadScalar(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return JsonScalar::Null();
    case simdjson::dom::element_type::STRING:
      return JsonScalar::String(std::string(e.get_string().value_unsafe()));
    case simdjson::dom::element_type::INT64:
      return JsonScalar::Integer(e.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
      return JsonScalar::Float(e.get_double().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return JsonScalar::Boolean(e.get_bool().value_unsafe());
    default:
      return std::nullopt;
  }
}

namespace {

Status ReadText(simdjson::dom::object data, const char* member, size_t max, bool required,
                std::string& out, bool partial) {
  simdjson::dom::element e;
  if (data[member].get(e)) {
    if (required && !partial) return Status::Invalid(member, std::string(member) + " is required");
    return Status::Ok();
  }
  std::string_view text;
  if (e.get(text) || (required && text.empty())) {
    return Status::Invalid(member, std::string(member) + (required ? " must be a non-empty string"
                                                                   : " must be a string"));
  }
  if (text.size() > max) {
    return Status::Invalid(
        member, std::string(member) + " must be at most " + std::to_string(max) + " bytes");
  }
  out = std::string(text);
  return Status::Ok();
}

Status ReadBool(simdjson::dom::object data, const char* member, bool& out) {
  simdjson::dom::element e;
  if (data[member].get(e)) return Status::Ok();
  if (e.get(out)) return Status::Invalid(member, std::string(member) + " must be a boolean");
  return Status::Ok();
}

Status ReadSlug(simdjson::dom::object data, bool partial, std::string& out) {
  if (Status s = ReadText(data, "slug", kMaxSlug, true, out, partial); !s.ok()) return s;
  if (!out.empty() && !IsCustomSlug(out)) {
    return Status::Invalid("slug", "slug may hold only letters, digits, '-' and '_'");
  }
  if (!out.empty() && out.front() == '$') {
    return Status::Invalid("slug", "names prefixed with $ are not supported");
  }
  return Status::Ok();
}

Result<std::vector<CustomFieldRule>> ReadRules(simdjson::dom::element e) {
  simdjson::dom::array rules;
  if (e.get(rules)) return Status::Invalid("validation_rules", "validation_rules must be an array");
  std::vector<CustomFieldRule> out;
  for (simdjson::dom::element r : rules) {
    std::string_view type;
    std::optional<CustomFieldRule::Kind> kind;
    if (r["type"].get(type) || !(kind = ParseCustomFieldRule(type))) {
      return Status::Invalid("validation_rules",
                             "each validation rule needs a type: enum, email, slug or between");
    }
    CustomFieldRule rule;
    rule.kind = *kind;
    if (*kind == CustomFieldRule::Kind::kEnum) {
      simdjson::dom::array options;
      if (r["options"].get(options)) {
        return Status::Invalid("validation_rules", "an enum rule needs an options array");
      }
      for (simdjson::dom::element o : options) {
        std::optional<JsonScalar> v = ReadScalar(o);
        if (!v) return Status::Invalid("validation_rules", "enum options must be values");
        rule.options.push_back(std::move(*v));
      }
    } else if (*kind == CustomFieldRule::Kind::kBetween) {
      if (r["options"]["from"].get(rule.from) || r["options"]["to"].get(rule.to)) {
        return Status::Invalid("validation_rules",
                               "a between rule needs options with numbers from and to");
      }
    }
    out.push_back(std::move(rule));
  }
  return out;
}

void WriteRules(JsonWriter& w, const std::vector<CustomFieldRule>& rules) {
  w.BeginArray();
  for (const CustomFieldRule& r : rules) {
    w.BeginObject().Field("type", CustomFieldRuleName(r.kind));
    if (r.kind == CustomFieldRule::Kind::kEnum) {
      w.Key("options").BeginArray();
      for (const CustomValue& o : r.options) WriteJsonScalar(w, o);
      w.EndArray();
    } else if (r.kind == CustomFieldRule::Kind::kBetween) {
      w.Key("options").BeginObject();
      w.Key("from");
      WriteJsonScalar(w, r.from == static_cast<double>(static_cast<int64_t>(r.from))
                             ? JsonScalar::Integer(static_cast<int64_t>(r.from))
                             : JsonScalar::Float(r.from));
      w.Key("to");
      WriteJsonScalar(w, r.to == static_cast<double>(static_cast<int64_t>(r.to))
                             ? JsonScalar::Integer(static_cast<int64_t>(r.to))
                             : JsonScalar::Float(r.to));
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
}

void WriteMeta(JsonWriter& w, int64_t created_at, int64_t updated_at) {
  w.Key("meta").BeginObject().Field("owner", "store").Key("timestamps").BeginObject();
  w.Field("created_at", FormatIsoTime(created_at)).Field("updated_at", FormatIsoTime(updated_at));
  w.EndObject().EndObject();
}

// The field's attributes, as the API shows them and as the store keeps them.
void WriteFieldAttributes(JsonWriter& w, const FlowField& f) {
  w.Field("name", f.name).Field("slug", f.field.slug);
  w.Field("field_type", CustomFieldTypeName(f.field.type));
  w.Key("validation_rules");
  WriteRules(w, f.field.rules);
  w.Field("description", f.description).Field("required", f.field.required);
  w.Key("default");
  WriteJsonScalar(w, f.field.default_value);
  w.Field("enabled", f.field.enabled);
  w.Key("order");
  if (f.order) {
    w.Int(*f.order);
  } else {
    w.Null();
  }
  w.Field("omit_null", f.omit_null);
}

std::string Encode(const FlowSet& set) {
  JsonWriter w;
  w.BeginObject().Key("flows").BeginArray();
  for (const Flow& f : set.flows) {
    w.BeginObject().Field("id", f.id).Field("name", f.name).Field("slug", f.slug);
    w.Field("description", f.description).Field("enabled", f.enabled);
    w.Field("created_at", f.created_at).Field("updated_at", f.updated_at).EndObject();
  }
  w.EndArray().Key("fields").BeginArray();
  for (const FlowField& f : set.fields) {
    w.BeginObject().Field("id", f.id).Field("flow_id", f.flow_id);
    WriteFieldAttributes(w, f);
    w.Field("created_at", f.created_at).Field("updated_at", f.updated_at).EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

Result<FlowSet> Decode(std::string_view text) {
  const Status unreadable = Status::Internal("the stored flows are unreadable");
  simdjson::dom::parser parser;  // not the request's: its elements stay valid
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root)) return unreadable;
  FlowSet set;
  simdjson::dom::array flows;
  simdjson::dom::array fields;
  if (root["flows"].get(flows) || root["fields"].get(fields)) return unreadable;
  for (simdjson::dom::element e : flows) {
    simdjson::dom::object o;
    Flow f;
    std::string_view id;
    if (e.get(o) || o["id"].get(id) || !ReadFlow(o, false, f).ok() ||
        o["created_at"].get(f.created_at) || o["updated_at"].get(f.updated_at)) {
      return unreadable;
    }
    f.id = std::string(id);
    set.flows.push_back(std::move(f));
  }
  for (simdjson::dom::element e : fields) {
    simdjson::dom::object o;
    FlowField f;
    std::optional<std::string> flow_id;
    std::string_view id;
    std::string_view owner;
    if (e.get(o) || o["id"].get(id) || o["flow_id"].get(owner) ||
        !ReadFlowField(o, false, f, flow_id).ok() || o["created_at"].get(f.created_at) ||
        o["updated_at"].get(f.updated_at)) {
      return unreadable;
    }
    f.id = std::string(id);
    f.flow_id = std::string(owner);
    set.fields.push_back(std::move(f));
  }
  return set;
}

}  // namespace

const Flow* FlowSet::FindFlow(std::string_view id) const {
  for (const Flow& f : flows) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

const Flow* FlowSet::FindFlowBySlug(std::string_view slug) const {
  for (const Flow& f : flows) {
    if (f.slug == slug) return &f;
  }
  return nullptr;
}

const FlowField* FlowSet::FindField(std::string_view id) const {
  for (const FlowField& f : fields) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::vector<const FlowField*> FlowSet::FieldsOf(std::string_view flow_id) const {
  std::vector<const FlowField*> out;
  for (const FlowField& f : fields) {
    if (f.flow_id == flow_id) out.push_back(&f);
  }
  std::stable_sort(out.begin(), out.end(), [](const FlowField* a, const FlowField* b) {
    if (a->order.has_value() != b->order.has_value()) return a->order.has_value();
    if (a->order != b->order) return *a->order < *b->order;
    return a->created_at < b->created_at;
  });
  return out;
}

std::vector<const FlowField*> FlowSet::Extending(std::string_view slug) const {
  const Flow* flow = FindFlowBySlug(slug);
  if (flow == nullptr || !flow->enabled) return {};
  std::vector<const FlowField*> out = FieldsOf(flow->id);
  std::erase_if(out, [](const FlowField* f) { return !f->field.enabled; });
  return out;
}

bool IsBuiltInMember(std::string_view flow_slug, std::string_view member) {
  static constexpr std::array<std::string_view, 12> kCommon = {
      "id",   "type", "links",    "meta",   "relationships", "attributes",
      "name", "data", "included", "errors", "created_at",    "updated_at"};
  static constexpr std::array<std::string_view, 5> kCustomer = {
      "email", "password", "external_ref", "authentication_mechanism", "addresses"};
  static constexpr std::array<std::string_view, 13> kAddress = {
      "first_name", "last_name", "company_name", "line_1",       "line_2", "city",   "postcode",
      "county",     "country",   "phone_number", "instructions", "region", "address"};
  auto in = [&](auto& list) { return std::find(list.begin(), list.end(), member) != list.end(); };
  if (in(kCommon)) return true;
  if (flow_slug == "customers") return in(kCustomer);
  if (flow_slug == "addresses") return in(kAddress);
  return false;
}

FlowCatalog::FlowCatalog(SettingsStore& store, const Clock& clock) : store_(store), clock_(clock) {}

Result<std::shared_ptr<const FlowSet>> FlowCatalog::Load(std::string& text, bool for_change) {
  // A read never writes: until the first change there is no document, and
  // no flow. A change creates the empty document first, so it has a stored
  // value to compare and set.
  if (for_change) {
    Result<std::string> stored =
        store_.GetOrCreateSetting(kSettingKey, [] { return Encode(FlowSet{}); });
    if (!stored.ok()) return stored.status();
    text = std::move(*stored);
  } else {
    Result<std::optional<std::string>> stored = store_.GetSetting(kSettingKey);
    if (!stored.ok()) return stored.status();
    if (!*stored) return std::make_shared<const FlowSet>();
    text = std::move(**stored);
  }
  Result<FlowSet> set = Decode(text);
  if (!set.ok()) return set.status();
  return std::make_shared<const FlowSet>(std::move(*set));
}

Result<std::shared_ptr<const FlowSet>> FlowCatalog::Current() {
  const int64_t now = clock_.NowMillis();
  {
    std::lock_guard lock(mu_);
    if (cached_ && now - cached_at_ < kCacheMillis) return cached_;
  }
  std::string text;
  Result<std::shared_ptr<const FlowSet>> set = Load(text, false);
  if (!set.ok()) return set.status();
  std::lock_guard lock(mu_);
  cached_ = *set;
  cached_at_ = now;
  return cached_;
}

Result<std::shared_ptr<const FlowSet>> FlowCatalog::Change(
    const std::function<Status(FlowSet&)>& change) {
  for (;;) {
    std::string before;
    Result<std::shared_ptr<const FlowSet>> current = Load(before, true);
    if (!current.ok()) return current.status();
    FlowSet next = **current;
    if (Status s = change(next); !s.ok()) return s;
    Result<bool> stored = store_.ReplaceSetting(kSettingKey, before, Encode(next));
    if (!stored.ok()) return stored.status();
    if (!*stored) continue;  // another writer came between: apply to theirs
    auto result = std::make_shared<const FlowSet>(std::move(next));
    std::lock_guard lock(mu_);
    cached_ = result;
    cached_at_ = clock_.NowMillis();
    return result;
  }
}

void WriteFlow(JsonWriter& w, const Flow& f, std::string_view base) {
  w.BeginObject().Field("id", f.id).Field("type", "flow").Field("name", f.name);
  w.Field("slug", f.slug).Field("description", f.description).Field("enabled", f.enabled);
  w.Key("links").BeginObject().Field("self", std::string(base) + "/v2/flows/" + f.id).EndObject();
  w.Key("relationships").BeginObject().EndObject();
  WriteMeta(w, f.created_at, f.updated_at);
  w.EndObject();
}

void WriteFlowField(JsonWriter& w, const FlowField& f, std::string_view base) {
  w.BeginObject().Field("id", f.id).Field("type", "field");
  WriteFieldAttributes(w, f);
  w.Key("links").BeginObject();
  w.Field("self", std::string(base) + "/v2/flows/" + f.flow_id + "/fields/" + f.id).EndObject();
  w.Key("relationships").BeginObject().Key("flow").BeginObject().Key("data").BeginObject();
  w.Field("id", f.flow_id).Field("type", "flow").EndObject().EndObject().EndObject();
  WriteMeta(w, f.created_at, f.updated_at);
  w.EndObject();
}

Status ReadFlow(simdjson::dom::object data, bool partial, Flow& flow) {
  if (Status s = ReadText(data, "name", kMaxName, true, flow.name, partial); !s.ok()) return s;
  if (Status s = ReadSlug(data, partial, flow.slug); !s.ok()) return s;
  if (Status s = ReadText(data, "description", kMaxDescription, false, flow.description, partial);
      !s.ok()) {
    return s;
  }
  return ReadBool(data, "enabled", flow.enabled);
}

Status ReadFlowField(simdjson::dom::object data, bool partial, FlowField& f,
                     std::optional<std::string>& flow_id) {
  if (Status s = ReadText(data, "name", kMaxName, true, f.name, partial); !s.ok()) return s;
  if (Status s = ReadSlug(data, partial, f.field.slug); !s.ok()) return s;
  if (Status s = ReadText(data, "description", kMaxDescription, false, f.description, partial);
      !s.ok()) {
    return s;
  }
  std::string_view type;
  simdjson::dom::element e;
  if (!data["field_type"].get(e)) {
    std::optional<CustomFieldType> parsed;
    if (e.get(type) || !(parsed = ParseCustomFieldType(type))) {
      return Status::Invalid("field_type",
                             "field_type must be string, integer, float, boolean or date");
    }
    if (partial && *parsed != f.field.type) {
      return Status::Invalid("field_type", "field_type cannot be changed once a field exists");
    }
    f.field.type = *parsed;
  } else if (!partial) {
    return Status::Invalid("field_type", "field_type is required");
  }
  for (auto [member, target] :
       {std::pair{"required", &f.field.required}, std::pair{"enabled", &f.field.enabled},
        std::pair{"omit_null", &f.omit_null}}) {
    if (Status s = ReadBool(data, member, *target); !s.ok()) return s;
  }
  if (!data["order"].get(e)) {
    int64_t order = 0;
    if (e.is_null()) {
      f.order.reset();
    } else if (e.get(order)) {
      return Status::Invalid("order", "order must be an integer or null");
    } else {
      f.order = order;
    }
  }
  if (!data["validation_rules"].get(e)) {
    Result<std::vector<CustomFieldRule>> rules = ReadRules(e);
    if (!rules.ok()) return rules.status();
    f.field.rules = std::move(*rules);
  }
  if (!data["default"].get(e)) {
    std::optional<JsonScalar> value = ReadScalar(e);
    if (!value) return Status::Invalid("default", "default must be a value, not a list or object");
    f.field.default_value = std::move(*value);
  }
  std::string_view flow;
  if (!data["relationships"]["flow"]["data"]["id"].get(flow)) flow_id = std::string(flow);
  if (Status s = CheckCustomFieldDefinition(f.field); !s.ok()) return s;
  return Status::Ok();
}

Result<CustomValues> ReadCustomValues(simdjson::dom::object data,
                                      const std::vector<const FlowField*>& fields) {
  CustomValues out;
  for (const FlowField* f : fields) {
    simdjson::dom::element e;
    if (data[f->field.slug].get(e)) continue;
    std::optional<JsonScalar> value = ReadScalar(e);
    if (!value) {
      return Status::Invalid(f->field.slug, f->field.slug + " must be a " +
                                                std::string(CustomFieldTypeName(f->field.type)));
    }
    out.emplace(f->field.slug, std::move(*value));
  }
  return out;
}

std::vector<CustomField> CoreFields(const std::vector<const FlowField*>& fields) {
  std::vector<CustomField> out;
  out.reserve(fields.size());
  for (const FlowField* f : fields) out.push_back(f->field);
  return out;
}

void WriteCustomMembers(JsonWriter& w, const CustomValues& values,
                        const std::vector<const FlowField*>& fields) {
  for (const FlowField* f : fields) {
    auto it = values.find(f->field.slug);
    const bool unset = it == values.end() || it->second.is_null();
    if (unset && f->omit_null) continue;
    w.Key(f->field.slug);
    WriteJsonScalar(w, unset ? JsonScalar::Null() : it->second);
  }
}

}  // namespace gateway::elastic_path
