// Elastic Path Flows: the store's flows and fields (`/v2/flows`,
// `/v2/fields`), and what they mean for customers and addresses. A flow whose
// slug is `customers` or `addresses` (a core flow) extends that resource: its
// enabled fields become top-level members of the resource object, checked
// by the core (core/custom_fields.h) and stored with the customer. Other
// flows are kept and served but extend nothing (this gateway has no
// entries API; docs/elastic-path-v2.md, "Custom fields").
//
// The definitions are one JSON document in the SettingsStore, so every
// gateway on one database shares them. A change reads the document, applies
// itself and stores the result with ReplaceSetting, again until no other
// writer came between: concurrent changes on several instances are all kept.
// Reads are cached for up to kCacheMillis; a change made through this
// object is seen by it at once, one made through another gateway process
// within kCacheMillis.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_writer.h"
#include "core/custom_fields.h"
#include "core/ports/clock.h"
#include "core/ports/settings_store.h"
#include "core/status.h"

namespace gateway::elastic_path {

struct Flow {
  std::string id;
  std::string name;
  std::string slug;
  std::string description;
  bool enabled = true;
  int64_t created_at = 0;  // UTC milliseconds
  int64_t updated_at = 0;
};

struct FlowField {
  std::string id;
  std::string flow_id;
  std::string name;
  std::string description;
  CustomField field;  // slug, field_type, required, enabled, default, rules
  std::optional<int64_t> order;
  bool omit_null = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// One consistent view of every flow and field.
struct FlowSet {
  std::vector<Flow> flows;
  std::vector<FlowField> fields;

  const Flow* FindFlow(std::string_view id) const;
  const Flow* FindFlowBySlug(std::string_view slug) const;
  const FlowField* FindField(std::string_view id) const;
  // The fields of `flow_id`, by `order` (unordered last), then creation.
  std::vector<const FlowField*> FieldsOf(std::string_view flow_id) const;
  // The enabled fields that extend the resource of core flow `slug`
  // ("customers", "addresses"): none when that flow is absent or disabled.
  std::vector<const FlowField*> Extending(std::string_view slug) const;
};

// The built-in members of the two extensible resources: a field slug may not
// take one of these names.
bool IsBuiltInMember(std::string_view flow_slug, std::string_view member);

class FlowCatalog {
 public:
  static constexpr int64_t kCacheMillis = 1000;
  static constexpr size_t kMaxFieldsPerFlow = 100;  // the Fields reference's hard limit
  static constexpr std::string_view kSettingKey = "elastic_path.flows";

  explicit FlowCatalog(SettingsStore& store, const Clock& clock = SystemClock());

  Result<std::shared_ptr<const FlowSet>> Current();
  // Applies `change` to the latest definitions and stores them; returns the
  // stored set. `change` may run more than once (after another writer) and
  // must only edit the set it is given; an error from it stores nothing.
  Result<std::shared_ptr<const FlowSet>> Change(const std::function<Status(FlowSet&)>& change);

 private:
  Result<std::shared_ptr<const FlowSet>> Load(std::string& text, bool for_change);

  SettingsStore& store_;
  const Clock& clock_;
  std::mutex mu_;
  std::shared_ptr<const FlowSet> cached_;
  int64_t cached_at_ = 0;
};

// Wire forms (JSON:API resource objects; `base` prefixes links.self).
void WriteFlow(JsonWriter& w, const Flow& flow, std::string_view base);
void WriteFlowField(JsonWriter& w, const FlowField& field, std::string_view base);

// Reads a flow `data` object onto `flow` (create: name and slug required;
// update: any subset). Invalid names the wire member.
Status ReadFlow(simdjson::dom::object data, bool partial, Flow& flow);
// Reads a field `data` object onto `field`; `flow_id` receives
// relationships.flow.data.id when given. field_type is required on create
// and cannot change on update.
Status ReadFlowField(simdjson::dom::object data, bool partial, FlowField& field,
                     std::optional<std::string>& flow_id);

// The members of `data` that name one of `fields`, as scalar values: what a
// client sent for them. A member given as an array or object is Invalid.
Result<CustomValues> ReadCustomValues(simdjson::dom::object data,
                                      const std::vector<const FlowField*>& fields);
// simdjson's scalar as a JsonScalar; nullopt for an array or object.
std::optional<JsonScalar> ReadScalar(simdjson::dom::element e);
// The core's view of `fields`.
std::vector<CustomField> CoreFields(const std::vector<const FlowField*>& fields);
// Writes the values of `fields` from `values` as members: null when unset,
// left out when unset and the field says omit_null.
void WriteCustomMembers(JsonWriter& w, const CustomValues& values,
                        const std::vector<const FlowField*>& fields);

}  // namespace gateway::elastic_path
