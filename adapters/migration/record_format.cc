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

std::string RecordFormatNames() {
  std::string names;
  for (const RecordFormat* f : AllFormats()) {
    if (!names.empty()) names += "|";
    names += f->name();
  }
  return names;
}

}  // namespace gateway::migration
