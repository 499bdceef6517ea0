// RecordFormat: how one platform's customer export looks, record by record.
//
// `customer-gateway import` and `export` move whole customer sets between the
// gateway and a platform's own export shape (MicroBase: a mongoexport of the
// `customers` collection; Elastic Path: v2 customer objects with their
// addresses). Each shape is one RecordFormat: it decodes a record into the
// canonical Customer, renders a Customer back, and knows which canonical
// fields its platform cannot carry, so an import over an existing customer
// keeps them (bridge.md: a write through one dialect never clears what that
// dialect cannot see). A new platform is added by implementing this
// interface and listing it in FindRecordFormat.
//
// Thread-safety: implementations are stateless; share them freely.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer.h"
#include "core/status.h"

namespace gateway::migration {

// A decoded record and which facts its source left out. Absent facts are
// filled by the importer: from the stored customer when the id exists, else
// with defaults (timestamps: the import's start time; an address's
// timestamps: its customer's).
struct ImportRecord {
  Customer customer;
  bool has_password = false;
  bool has_created_at = false;
  bool has_updated_at = false;
  bool has_addresses = false;
  // One entry per customer.addresses element: did the record carry its timestamps?
  std::vector<bool> address_has_timestamps;
};

class RecordFormat {
 public:
  virtual ~RecordFormat() = default;

  // The name used on the command line: "microbase", "elastic-path".
  virtual std::string_view name() const = 0;

  // Decodes one record and checks this format's own rules (member types,
  // required members). A non-ok Status names the wire field at fault in its
  // message. The core's rules (ValidateCustomer) are checked by the caller.
  virtual Result<ImportRecord> Read(simdjson::dom::element record) const = 0;

  // Copies into `incoming` the fields of `stored` that this format cannot
  // carry, so importing over an existing customer never clears them.
  virtual void KeepInvisibleFields(const Customer& stored, const ImportRecord& record,
                                   Customer& incoming) const = 0;
  // (Both formats call KeepCustomValues from it.)

  // Appends `c` as one record of compact JSON (no newline).
  virtual void Write(const Customer& c, std::string& out) const = 0;

  // Whether records carry password hashes (export notes depend on it).
  virtual bool carries_password_hashes() const = 0;
  // The canonical facts this format cannot carry, in words for export notes.
  virtual std::string uncarried_fields() const = 0;

  // Maps a canonical field path ("addresses[0].line_1") to this format's
  // wire path, for error messages.
  virtual std::string WireFieldPath(std::string_view canonical) const = 0;
};

// The format named `name`, or nullptr.
const RecordFormat* FindRecordFormat(std::string_view name);
// "microbase|elastic-path", for usage texts.
std::string RecordFormatNames();

// "a, b or c" for an export note: the customer text fields `carried` says a
// format has no member for (by canonical name), then `facts`.
std::string UncarriedFields(std::vector<std::string> facts,
                            const std::function<bool(CustomerTextField)>& carried);

// Keeps the custom field values of `stored` that `incoming` does not carry,
// on the customer and on each address with the same id: a record never
// clears a value it does not name (Elastic Path records carry the values
// they show; MicroBase records carry none).
void KeepCustomValues(const Customer& stored, Customer& incoming);

}  // namespace gateway::migration
