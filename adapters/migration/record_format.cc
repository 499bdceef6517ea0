#include "adapters/migration/record_format.h"

#include <array>

#include "adapters/migration/elastic_path_records.h"
#include "adapters/migration/microbase_records.h"

namespace gateway::migration {
namespace {

std::array<const RecordFormat*, 2> AllFormats() {
  return {&MicroBaseRecords(), &ElasticPathRecords()};
}

}  // namespace

const RecordFormat* FindRecordFormat(std::string_view name) {
  for (const RecordFormat* f : AllFormats()) {
    if (f->name() == name) return f;
  }
  return nullptr;
}

std::string UncarriedFields(std::vector<std::string> facts,
                            const std::function<bool(CustomerTextField)>& carried) {
  std::vector<std::string> all;
  for (CustomerTextField f : kAllCustomerTextFields) {
    if (!carried(f)) all.emplace_back(FieldName(f));
  }
  all.insert(all.end(), facts.begin(), facts.end());
  std::string out;
  for (size_t i = 0; i < all.size(); ++i) {
    if (i > 0) out += i + 1 == all.size() ? " or " : ", ";
    out += all[i];
  }
  return out;
}

std::string RecordFormatNames() {
  std::string names;
  for (const RecordFormat* f : AllFormats()) {
    if (!names.empty()) names += "|";
    names += f->name();
  }
  return names;
}

void KeepCustomValues(const Customer& stored, Customer& incoming) {
  incoming.custom.insert(stored.custom.begin(), stored.custom.end());
  for (Address& a : incoming.addresses) {
    if (const Address* old = stored.FindAddress(a.id))
      a.custom.insert(old->custom.begin(), old->custom.end());
  }
}

}  // namespace gateway::migration
