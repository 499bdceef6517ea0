// The MicroBase v1 field mapping: the one place that knows how canonical
// customers and addresses look on this dialect's wire, in both directions.
// Inputs have already passed the method's schema (schema.h), so member types
// are known to be right when these run.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/customer.h"
#include "core/customer_service.h"
#include "core/json_writer.h"

namespace gateway::microbase {

// Writes a customer as MicroBase returns it: never the password, never timestamps.
void WriteCustomer(JsonWriter& w, const Customer& c);
void WriteAddress(JsonWriter& w, const Address& a);

// Reads a schema-checked address object.
Address ReadAddress(simdjson::dom::object o);
// Reads a schema-checked address object as a patch (only members present).
AddressPatch ReadAddressPatch(simdjson::dom::object o);

// Renders a stored phone: a JSON number when it is plain digits that a
// number keeps exactly, else a string.
void WritePhone(JsonWriter& w, const std::string& phone);
// Reads a JSON number as the text MicroBase clients mean by it.
std::string PhoneText(simdjson::dom::element number);

// Maps a canonical field path ("first_name", "addresses[0].line_1") to this
// dialect's wire path ("firstName", "addresses.0.address_1").
std::string WireFieldPath(std::string_view canonical);

}  // namespace gateway::microbase
