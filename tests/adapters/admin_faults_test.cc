// The dev mock's fault shapes: the X-Gateway-Fault header grammar and the
// JSON rule, with the message a caller gets for each mistake.
#include <doctest/doctest.h>

#include "adapters/admin/fault_injector.h"

namespace gateway::admin {
namespace {

TEST_CASE("X-Gateway-Fault reads status, latency, jitter and drop in any order") {
  Result<Fault> f = ParseFaultHeader(" latency=250 ; status=504,jitter=10 ");
  REQUIRE(f.ok());
  CHECK(f->latency_ms == 250);
  CHECK(f->status == 504);
  CHECK(f->jitter_ms == 10);
  CHECK_FALSE(f->drop);
  Result<Fault> drop = ParseFaultHeader("drop");
  REQUIRE(drop.ok());
  CHECK(drop->drop);
}

TEST_CASE("X-Gateway-Fault refuses what it cannot honour, naming the part") {
  CHECK(ParseFaultHeader("status=200").status().message() == "status must be from 400 to 599");
  CHECK(ParseFaultHeader("status=5o3").status().message() == "status must be from 400 to 599");
  CHECK(ParseFaultHeader("latency=-1").status().message() ==
        "latency must be milliseconds from 0 to 60000");
  CHECK(ParseFaultHeader("latency=60001").status().message() ==
        "latency must be milliseconds from 0 to 60000");
  CHECK(ParseFaultHeader("drop=yes").status().message() ==
        "unknown part 'drop=yes' (status=N, latency=MS, jitter=MS, drop)");
  CHECK(ParseFaultHeader(";").status().message() ==
        "a fault needs latency_ms, jitter_ms, status or drop");
  CHECK(ParseFaultHeader("drop;status=503").status().message() ==
        "drop and status exclude each other");
}

TEST_CASE("a fault rule reads every member and defaults the rest") {
  DialectNames names;
  names.Add(nullptr, "microbase");
  Result<FaultRule> r = ParseFaultRule(
      R"({"dialect":"microbase","method":"post","path":"/services/*","fraction":0.25,)"
      R"("times":3,"latency_ms":5,"jitter_ms":6,"status":503})",
      names);
  REQUIRE(r.ok());
  CHECK(r->dialect == "microbase");
  CHECK(r->method == "POST");
  CHECK(r->path == "/services/*");
  CHECK(r->fraction == 0.25);
  CHECK(r->times == 3);
  CHECK(r->fault.latency_ms == 5);
  CHECK(r->fault.jitter_ms == 6);
  CHECK(r->fault.status == 503);
  CHECK(FaultInjector::RuleJson(*r) ==
        R"({"id":0,"dialect":"microbase","method":"POST","path":"/services/*","fraction":0.25,)"
        R"("times":3,"latency_ms":5,"jitter_ms":6,"status":503,"drop":false,"applied":0})");

  Result<FaultRule> plain = ParseFaultRule(R"({"drop":true})", names);
  REQUIRE(plain.ok());
  CHECK(plain->dialect.empty());
  CHECK(plain->fraction == 1);
  CHECK(plain->times == -1);
}

TEST_CASE("a fault rule with a bad member is refused with its reason") {
  DialectNames names;
  names.Add(nullptr, "elastic-path");
  auto message = [&](const char* json) { return ParseFaultRule(json, names).status().message(); };
  CHECK(message(R"({"dialect":"microbase","drop":true})") == "dialect must be one of elastic-path");
  CHECK(message(R"({"path":"","drop":true})") == "path must start with /");
  CHECK(message(R"({"fraction":1.5,"drop":true})") ==
        "fraction must be a number above 0 and at most 1");
  CHECK(message(R"({"times":0,"drop":true})") == "times must be an integer from 1 to 1000000000");
  CHECK(message(R"({"latency_ms":"10"})") == "latency_ms must be an integer from 0 to 60000");
  CHECK(message(R"({"drop":1})") == "drop must be a boolean");
  CHECK(message(R"({"method":5,"drop":true})") == "method must be a string");
  CHECK(message("{") == "the body must be a JSON object describing one fault rule");
  CHECK(message("") == "the body must be a JSON object describing one fault rule");
}

}  // namespace
}  // namespace gateway::admin
