#include "adapters/migration/microbase_records.h"

#include <charconv>

#include "adapters/microbase_v1/mapping.h"
#include "adapters/migration/record_json.h"
#include "common/iso_time.h"
#include "common/json_writer.h"
#include "core/ports/password_hasher.h"

namespace gateway::migration {
namespace {

// A phone as mongoexport writes a Number: a JSON number, or canonical
// {"$numberDouble": "2173203531.0"} / {"$numberInt"} / {"$numberLong"}; a
// string when the gateway exported a phone with punctuation.
Result<std::optional<std::string>> ReadPhone(simdjson::dom::element e, const std::string& path) {
  if (e.is_null()) return std::optional<std::string>();
  simdjson::dom::object wrapper;
  if (e.get(wrapper)) return std::optional<std::string>(microbase::PhoneText(e));
  std::string_view text;
  if (!wrapper["$numberInt"].get(text) || !wrapper["$numberLong"].get(text)) {
    return std::optional<std::string>(std::string(text));
  }
  if (!wrapper["$numberDouble"].get(text)) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size()) {
      char buf[64];
      auto [out, ec2] = std::to_chars(buf, buf + sizeof buf, v);
      if (ec2 == std::errc()) return std::optional<std::string>(std::string(buf, out));
    }
  }
  return RecordError(path, "must be a number or a string");
}

Result<Address> ReadAddress(simdjson::dom::element e, const std::string& path,
                            std::string_view customer_id, size_t index) {
  simdjson::dom::object o;
  if (e.get(o)) return TypeError(path, "an object", e);
  // MicroBase's schema types every address member as a string but phone, a
  // Number; anything else would be cast or dropped by mongoose, so a record
  // holding it did not come from MicroBase and is refused rather than guessed.
  for (auto [key, value] : o) {
    if (key == "phone") continue;
    if (!value.is_string() && !value.is_null()) {
      return TypeError(path + "." + std::string(key), "a string", value);
    }
  }
  Address a = microbase::ReadAddress(o);
  simdjson::dom::element phone;
  if (!o["phone"].get(phone)) {
    auto text = ReadPhone(phone, path + ".phone");
    if (!text.ok()) return text.status();
    a.phone = std::move(*text);
  }
  auto id = ReadOptionalString(o, "id", path + ".id");
  if (!id.ok()) return id.status();
  a.id = *id && !(*id)->empty() ? std::move(**id) : DerivedAddressId(customer_id, index);
  return a;
}

Result<std::string> ReadId(simdjson::dom::object o) {
  simdjson::dom::element e;
  std::string_view key = "_id";
  // A MicroBase API listing (customer.list) has `id` instead; accept it too.
  if (o["_id"].get(e)) {
    key = "id";
    if (o["id"].get(e)) return RecordError("_id", "is required");
  }
  simdjson::dom::object oid;
  if (!e.get(oid)) {
    if (oid["$oid"].get(e)) return RecordError(key, "must be a string or {\"$oid\": ...}");
  }
  std::string_view id;
  if (e.get(id)) return TypeError(key, "a string", e);
  if (id.empty()) return RecordError(key, "must not be empty");
  return std::string(id);
}

class MicroBaseFormat final : public RecordFormat {
 public:
  std::string_view name() const override { return "microbase"; }

  Result<ImportRecord> Read(simdjson::dom::element record) const override {
    simdjson::dom::object o;
    if (record.get(o)) return TypeError("the record", "a JSON object", record);
    ImportRecord r;
    Customer& c = r.customer;
    auto id = ReadId(o);
    if (!id.ok()) return id.status();
    c.id = std::move(*id);
    auto email = ReadRequiredString(o, "email", "email", false);
    if (!email.ok()) return email.status();
    c.email = std::move(*email);
    auto password = ReadOptionalString(o, "password", "password");
    if (!password.ok()) return password.status();
    r.has_password = password->has_value();
    c.password_hash = std::move(*password);
    auto first = ReadRequiredString(o, "firstName", "firstName", false);
    if (!first.ok()) return first.status();
    // An empty lastName is what a one-word Elastic Path name exports as.
    auto last = ReadRequiredString(o, "lastName", "lastName", true);
    if (!last.ok()) return last.status();
    c.first_name = std::move(*first);
    c.last_name = std::move(*last);
    c.display_name = JoinDisplayName(c.first_name, c.last_name);
    for (const auto& [field, wire] : microbase::TextFieldWires()) {
      auto value = ReadOptionalString(o, wire, wire);
      if (!value.ok()) return value.status();
      c.Field(field) = std::move(*value);
    }

    auto status = ReadOptionalString(o, "status", "status");
    if (!status.ok()) return status.status();
    if (*status) {
      std::optional<CustomerStatus> parsed = ParseStatus(**status);
      if (!parsed)
        return RecordError("status", "must be ACTIVE or INACTIVE, got \"" + **status + "\"");
      c.status = *parsed;
    }

    simdjson::dom::element e;
    if (!o["tags"].get(e) && !e.is_null()) {
      simdjson::dom::array tags;
      if (e.get(tags)) return TypeError("tags", "an array of strings", e);
      size_t i = 0;
      for (simdjson::dom::element tag : tags) {
        std::string_view s;
        if (tag.get(s)) return TypeError("tags." + std::to_string(i), "a string", tag);
        c.tags.emplace_back(s);
        ++i;
      }
    }

    r.has_addresses = true;  // mongoose defaults a missing array to []
    if (!o["addresses"].get(e) && !e.is_null()) {
      simdjson::dom::array addresses;
      if (e.get(addresses)) return TypeError("addresses", "an array", e);
      size_t i = 0;
      for (simdjson::dom::element item : addresses) {
        const std::string path = "addresses." + std::to_string(i);
        auto a = ReadAddress(item, path, c.id, i);
        if (!a.ok()) return a.status();
        for (size_t j = 0; j < c.addresses.size(); ++j) {
          if (c.addresses[j].id == a->id) {
            return RecordError(path + ".id",
                               "\"" + a->id + "\" repeats addresses." + std::to_string(j) + ".id");
          }
        }
        c.addresses.push_back(std::move(*a));
        r.address_has_timestamps.push_back(false);
        ++i;
      }
    }

    for (auto [key, flag, field] : {std::tuple{"createdAt", &r.has_created_at, &c.created_at},
                                    std::tuple{"updatedAt", &r.has_updated_at, &c.updated_at}}) {
      if (o[key].get(e) || e.is_null()) continue;
      auto millis = ReadTime(e, key);
      if (!millis.ok()) return millis.status();
      *flag = true;
      *field = *millis;
    }
    return r;
  }

  void KeepInvisibleFields(const Customer& stored, const ImportRecord& record,
                           Customer& incoming) const override {
    for (CustomerTextField f : kAllCustomerTextFields) {
      if (!microbase::WireName(f)) incoming.Field(f) = stored.Field(f);
    }
    if (incoming.first_name == stored.first_name && incoming.last_name == stored.last_name) {
      incoming.display_name = stored.display_name;
    }
    const bool stored_is_newer = stored.password_hash && !IsBcryptHash(*stored.password_hash) &&
                                 incoming.password_hash && IsBcryptHash(*incoming.password_hash);
    if (!record.has_password || stored_is_newer) incoming.password_hash = stored.password_hash;
    for (Address& a : incoming.addresses) {
      if (const Address* old = stored.FindAddress(a.id)) a.county = old->county;
    }
    KeepCustomValues(stored, incoming);
  }

  void Write(const Customer& c, std::string& out) const override {
    JsonWriter w;
    w.BeginObject();
    w.Field("_id", c.id).Field("email", c.email);
    if (c.password_hash) w.Field("password", *c.password_hash);
    w.Field("firstName", c.first_name).Field("lastName", c.last_name);
    for (const auto& [field, wire] : microbase::TextFieldWires()) {
      if (const std::optional<std::string>& v = c.Field(field)) w.Field(wire, *v);
    }
    w.Field("status", StatusName(c.status));
    w.Key("tags").BeginArray();
    for (const std::string& t : c.tags) w.String(t);
    w.EndArray();
    w.Key("addresses").BeginArray();
    for (const Address& a : c.addresses) microbase::WriteAddress(w, a);
    w.EndArray();
    w.Key("createdAt").BeginObject().Field("$date", FormatIsoTime(c.created_at)).EndObject();
    w.Key("updatedAt").BeginObject().Field("$date", FormatIsoTime(c.updated_at)).EndObject();
    w.Field("__v", 0);
    w.EndObject();
    out += w.str();
  }

  bool carries_password_hashes() const override { return true; }
  std::string uncarried_fields() const override {
    return UncarriedFields({"Elastic Path display names (only first and last names)",
                            "address county", "custom field values"},
                           [](CustomerTextField f) { return microbase::WireName(f).has_value(); });
  }

  std::string WireFieldPath(std::string_view canonical) const override {
    if (canonical == "id") return "_id";
    if (canonical == "name") return "firstName/lastName";
    return microbase::WireFieldPath(canonical);
  }
};

}  // namespace

const RecordFormat& MicroBaseRecords() {
  static const MicroBaseFormat format;
  return format;
}

}  // namespace gateway::migration
