#include "adapters/migration/elastic_path_records.h"

#include "adapters/elastic_path_v2/flows.h"
#include "adapters/elastic_path_v2/mapping.h"
#include "adapters/migration/record_json.h"
#include "common/json_writer.h"

namespace gateway::migration {
namespace {

struct Timestamps {
  std::optional<int64_t> created_at;
  std::optional<int64_t> updated_at;
};

// meta.timestamps.{created_at,updated_at}, each optional.
Result<Timestamps> ReadTimestamps(simdjson::dom::object o, const std::string& path) {
  Timestamps t;
  simdjson::dom::element e;
  if (o.at_pointer("/meta/timestamps").get(e)) return t;
  simdjson::dom::object timestamps;
  if (e.get(timestamps)) return TypeError(path + "meta.timestamps", "an object", e);
  for (auto [key, field] :
       {std::pair{"created_at", &t.created_at}, std::pair{"updated_at", &t.updated_at}}) {
    if (timestamps[key].get(e) || e.is_null()) continue;
    auto millis = ReadTime(e, path + "meta.timestamps." + key);
    if (!millis.ok()) return millis.status();
    *field = *millis;
  }
  return t;
}

Status CheckType(simdjson::dom::object o, std::string_view expected, const std::string& path) {
  auto type = ReadOptionalString(o, "type", path + "type");
  if (!type.ok()) return type.status();
  if (*type && **type != expected) {
    return RecordError(path + "type",
                       "must be \"" + std::string(expected) + "\", got \"" + **type + "\"");
  }
  return Status::Ok();
}

// The members of `o` that are custom field values: every member that is not
// one the resource has built in (the API shows custom fields top-level, and
// an export writes every stored value so). A value must be a scalar.
Status ReadCustomMembers(simdjson::dom::object o, std::string_view flow, const std::string& prefix,
                         CustomValues& out) {
  for (auto [key, value] : o) {
    if (elastic_path::IsBuiltInMember(flow, key) || key == "password" || key == "type") continue;
    if (flow == "customers" && key == "external_ref") continue;
    if (flow == "addresses" && (key == "label" || key == "company_name")) continue;
    std::optional<CustomValue> scalar = elastic_path::ReadScalar(value);
    if (!scalar) {
      return TypeError(prefix + std::string(key), "a custom field value (not a list or object)",
                       value);
    }
    out.emplace(std::string(key), std::move(*scalar));
  }
  return Status::Ok();
}

// Reads an address object. Unlike the API's create, no member is required:
// a gateway export holds addresses written through MicroBase too, and those
// need not have every field Elastic Path asks for. An empty string stays an
// empty string, so an export re-imports to exactly what it was made from.
Result<Address> ReadAddress(simdjson::dom::element e, const std::string& path,
                            std::string_view customer_id, size_t index, bool& has_timestamps) {
  simdjson::dom::object o;
  if (e.get(o)) return TypeError(path, "an object", e);
  const std::string prefix = path + ".";
  if (Status s = CheckType(o, "address", prefix); !s.ok()) return s;
  Address a;
  for (AddressField f : kAllAddressFields) {
    const std::string wire = elastic_path::WireFieldPath(FieldName(f));
    auto value = ReadOptionalString(o, wire, prefix + wire);
    if (!value.ok()) return value.status();
    a.Field(f) = std::move(*value);
  }
  if (Status s = ReadCustomMembers(o, "addresses", prefix, a.custom); !s.ok()) return s;
  auto id = ReadOptionalString(o, "id", prefix + "id");
  if (!id.ok()) return id.status();
  a.id = *id && !(*id)->empty() ? std::move(**id) : DerivedAddressId(customer_id, index);
  auto t = ReadTimestamps(o, prefix);
  if (!t.ok()) return t.status();
  has_timestamps = t->created_at || t->updated_at;
  if (has_timestamps) {
    a.created_at = t->created_at.value_or(*t->updated_at);
    a.updated_at = t->updated_at.value_or(*t->created_at);
  }
  return a;
}

class ElasticPathFormat final : public RecordFormat {
 public:
  std::string_view name() const override { return "elastic-path"; }

  Result<ImportRecord> Read(simdjson::dom::element record) const override {
    simdjson::dom::object o;
    if (record.get(o)) return TypeError("the record", "a JSON object", record);
    simdjson::dom::object data;
    if (o["id"].error() && !o["data"].get(data)) o = data;

    ImportRecord r;
    Customer& c = r.customer;
    if (Status s = CheckType(o, "customer", ""); !s.ok()) return s;
    auto id = ReadRequiredString(o, "id", "id", false);
    if (!id.ok()) return id.status();
    c.id = std::move(*id);
    auto name = ReadRequiredString(o, "name", "name", false);
    if (!name.ok()) return name.status();
    c.display_name = std::move(*name);
    std::tie(c.first_name, c.last_name) = SplitDisplayName(c.display_name);
    auto email = ReadRequiredString(o, "email", "email", false);
    if (!email.ok()) return email.status();
    c.email = std::move(*email);
    for (const auto& [field, wire] : elastic_path::TextFieldWires()) {
      auto value = ReadOptionalString(o, wire, wire);
      if (!value.ok()) return value.status();
      c.Field(field) = std::move(*value);
    }

    if (Status s = ReadCustomMembers(o, "customers", "", c.custom); !s.ok()) return s;
    simdjson::dom::element e;
    if (!o["password"].get(e) && !e.is_bool()) {
      return TypeError("password",
                       "true or false (Elastic Path exports never carry password hashes)", e);
    }

    auto t = ReadTimestamps(o, "");
    if (!t.ok()) return t.status();
    r.has_created_at = t->created_at.has_value();
    r.has_updated_at = t->updated_at.has_value();
    c.created_at = t->created_at.value_or(0);
    c.updated_at = t->updated_at.value_or(0);

    if (!o["addresses"].get(e)) {
      r.has_addresses = true;
      simdjson::dom::array addresses;
      if (e.is_null()) return r;  // null: no addresses, like []
      if (e.get(addresses)) return TypeError("addresses", "an array", e);
      size_t i = 0;
      for (simdjson::dom::element item : addresses) {
        const std::string path = "addresses[" + std::to_string(i) + "]";
        bool has_timestamps = false;
        auto a = ReadAddress(item, path, c.id, i, has_timestamps);
        if (!a.ok()) return a.status();
        for (size_t j = 0; j < c.addresses.size(); ++j) {
          if (c.addresses[j].id == a->id) {
            return RecordError(path + ".id",
                               "\"" + a->id + "\" repeats addresses[" + std::to_string(j) + "].id");
          }
        }
        c.addresses.push_back(std::move(*a));
        r.address_has_timestamps.push_back(has_timestamps);
        ++i;
      }
    }
    return r;
  }

  void KeepInvisibleFields(const Customer& stored, const ImportRecord& record,
                           Customer& incoming) const override {
    incoming.password_hash = stored.password_hash;
    incoming.status = stored.status;
    incoming.tags = stored.tags;
    for (CustomerTextField f : kAllCustomerTextFields) {
      if (!elastic_path::WireName(f)) incoming.Field(f) = stored.Field(f);
    }
    if (!record.has_addresses) incoming.addresses = stored.addresses;
    KeepCustomValues(stored, incoming);
  }

  void Write(const Customer& c, std::string& out) const override {
    JsonWriter customer;
    const elastic_path::CustomMembers every_stored{{}, true};
    elastic_path::WriteCustomer(customer, c, every_stored);
    // The customer object as the API renders it, with the addresses the
    // addresses endpoint would list spliced in before its closing brace.
    std::string_view object = customer.str();
    out.append(object.substr(0, object.size() - 1));
    out += ",\"addresses\":[";
    for (size_t i = 0; i < c.addresses.size(); ++i) {
      JsonWriter address;
      elastic_path::WriteAddress(address, c.addresses[i], c.id, "",
                                 elastic_path::UnsetAddressMember::kNull, every_stored);
      if (i > 0) out.push_back(',');
      out += address.str();
    }
    out += "]}";
  }

  bool carries_password_hashes() const override { return false; }
  std::string uncarried_fields() const override {
    return UncarriedFields({"password hashes", "status", "tags"}, [](CustomerTextField f) {
      return elastic_path::WireName(f).has_value();
    });
  }

  std::string WireFieldPath(std::string_view canonical) const override {
    size_t dot = canonical.rfind('.');
    std::string_view leaf = dot == std::string_view::npos ? canonical : canonical.substr(dot + 1);
    if (dot == std::string_view::npos && (leaf == "first_name" || leaf == "last_name")) {
      return "name";
    }
    std::string prefix(canonical.substr(0, dot == std::string_view::npos ? 0 : dot + 1));
    return prefix + elastic_path::WireFieldPath(leaf);
  }
};

}  // namespace

const RecordFormat& ElasticPathRecords() {
  static const ElasticPathFormat format;
  return format;
}

}  // namespace gateway::migration
