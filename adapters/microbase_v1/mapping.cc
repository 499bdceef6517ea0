#include "adapters/microbase_v1/mapping.h"

#include <array>
#include <charconv>
#include <utility>

namespace gateway::microbase {
namespace {

// None yet: external_ref is Elastic Path's alone.
constexpr std::array<TextFieldWire, 0> kTextFieldWire = {};
static_assert(kTextFieldWire.size() <= 24, "text field member bits fit in MemberMask");

MemberMask TextFieldBit(size_t row) { return kMemberFirstTextField << row; }

struct AddressWireName {
  AddressField field;
  std::string_view wire;
};

// In the order MicroBase's own responses list them. county has no MicroBase
// name: it is kept untouched and never shown.
constexpr std::array<AddressWireName, 12> kAddressWire = {{
    {AddressField::kLabel, "name"},
    {AddressField::kFirstName, "firstName"},
    {AddressField::kLastName, "lastName"},
    {AddressField::kLine1, "address_1"},
    {AddressField::kLine2, "address_2"},
    {AddressField::kPostcode, "postCode"},
    {AddressField::kCity, "city"},
    {AddressField::kRegion, "state"},
    {AddressField::kCountry, "country"},
    {AddressField::kCompany, "company"},
    {AddressField::kPhone, "phone"},
    {AddressField::kInstructions, "instructions"},
}};

std::optional<std::string> ReadMember(simdjson::dom::object o, const AddressWireName& m,
                                      bool& present) {
  simdjson::dom::element e;
  present = !o[m.wire].get(e);
  if (!present || e.is_null()) return std::nullopt;
  if (m.field == AddressField::kPhone) return PhoneText(e);
  std::string_view s;
  if (e.get(s)) return std::nullopt;
  return std::string(s);
}

}  // namespace

std::span<const TextFieldWire> TextFieldWires() { return kTextFieldWire; }

std::optional<std::string_view> WireName(CustomerTextField f) {
  for (const auto& [field, wire] : kTextFieldWire) {
    if (field == f) return wire;
  }
  return std::nullopt;
}

TextFieldValues ReadTextFields(simdjson::dom::object args) {
  TextFieldValues values;
  for (const auto& [field, wire] : kTextFieldWire) {
    std::string_view s;
    if (!args[wire].get(s) && !s.empty()) values.emplace_back(field, std::string(s));
  }
  return values;
}

void WritePhone(JsonWriter& w, const std::string& phone) {
  bool digits = !phone.empty() && phone.size() <= 15 && (phone[0] != '0' || phone.size() == 1);
  for (char c : phone) digits = digits && c >= '0' && c <= '9';
  if (digits) {
    w.Raw(phone);
  } else {
    w.String(phone);
  }
}

std::string PhoneText(simdjson::dom::element number) {
  if (number.is_int64()) return std::to_string(int64_t(number.get_int64()));
  if (number.is_uint64()) return std::to_string(uint64_t(number.get_uint64()));
  if (number.is_double()) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, double(number.get_double()));
    return ec == std::errc() ? std::string(buf, end) : std::string();
  }
  std::string_view s;
  return number.get(s) ? std::string() : std::string(s);
}

void WriteAddress(JsonWriter& w, const Address& a) {
  w.BeginObject();
  for (const auto& m : kAddressWire) {
    const std::optional<std::string>& v = a.Field(m.field);
    if (!v) continue;
    w.Key(m.wire);
    if (m.field == AddressField::kPhone) {
      WritePhone(w, *v);
    } else {
      w.String(*v);
    }
  }
  w.Field("id", a.id);
  w.EndObject();
}

MemberMask MemberBit(std::string_view wire_name) {
  static constexpr std::pair<std::string_view, CustomerMember> kNames[] = {
      {"id", kMemberId},
      {"email", kMemberEmail},
      {"firstName", kMemberFirstName},
      {"lastName", kMemberLastName},
      {"tags", kMemberTags},
      {"status", kMemberStatus},
      {"addresses", kMemberAddresses},
  };
  for (const auto& [name, bit] : kNames) {
    if (name == wire_name) return bit;
  }
  for (size_t i = 0; i < kTextFieldWire.size(); ++i) {
    if (kTextFieldWire[i].wire == wire_name) return TextFieldBit(i);
  }
  return 0;
}

void WriteCustomer(JsonWriter& w, const Customer& c, MemberMask members) {
  // MicroBase's (mongoose's) member order.
  w.BeginObject();
  if (members & kMemberEmail) w.Field("email", c.email);
  if (members & kMemberFirstName) w.Field("firstName", c.first_name);
  if (members & kMemberLastName) w.Field("lastName", c.last_name);
  for (size_t i = 0; i < kTextFieldWire.size(); ++i) {
    const std::optional<std::string>& v = c.Field(kTextFieldWire[i].field);
    if ((members & TextFieldBit(i)) && v) w.Field(kTextFieldWire[i].wire, *v);
  }
  if (members & kMemberStatus) w.Field("status", StatusName(c.status));
  if (members & kMemberTags) {
    w.Key("tags").BeginArray();
    for (const std::string& t : c.tags) w.String(t);
    w.EndArray();
  }
  if (members & kMemberAddresses) {
    w.Key("addresses").BeginArray();
    for (const Address& a : c.addresses) WriteAddress(w, a);
    w.EndArray();
  }
  w.Field("id", c.id);
  w.EndObject();
}

Address ReadAddress(simdjson::dom::object o) {
  Address a;
  for (const auto& m : kAddressWire) {
    bool present = false;
    a.Field(m.field) = ReadMember(o, m, present);
  }
  return a;
}

AddressPatch ReadAddressReplacement(simdjson::dom::object o) {
  AddressPatch patch;
  for (const auto& m : kAddressWire) {
    bool present = false;
    patch.fields.emplace_back(m.field, ReadMember(o, m, present));
  }
  return patch;
}

std::string WireFieldPath(std::string_view canonical) {
  std::string out;
  size_t pos = 0;
  while (pos < canonical.size()) {
    size_t end = canonical.find_first_of(".[", pos);
    std::string_view part = canonical.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (part == "first_name") {
      out += "firstName";
    } else if (part == "last_name") {
      out += "lastName";
    } else {
      bool mapped = false;
      for (const auto& [field, wire] : kTextFieldWire) {
        if (!mapped && pos == 0 && FieldName(field) == part) {
          out += wire;
          mapped = true;
        }
      }
      for (const auto& m : kAddressWire) {
        if (!mapped && FieldName(m.field) == part) {
          out += m.wire;
          mapped = true;
          break;
        }
      }
      if (!mapped) out += part;
    }
    if (end == std::string_view::npos) break;
    if (canonical[end] == '[') {
      size_t close = canonical.find(']', end);
      out += "." + std::string(canonical.substr(end + 1, close - end - 1));
      pos = close + 1;
      if (pos < canonical.size() && canonical[pos] == '.') {
        out += ".";
        ++pos;
      }
    } else {
      out += ".";
      pos = end + 1;
    }
  }
  return out;
}

}  // namespace gateway::microbase
