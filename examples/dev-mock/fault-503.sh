#!/usr/bin/env bash
# Makes the next two MicroBase customer.create calls fail with 503 after
# 200 ms; answers the rule with its id. ./clear-faults.sh removes every rule.
curl -s -X POST "${GATEWAY:-http://127.0.0.1:8080}/__gateway/faults" \
  -H "Authorization: Bearer ${ADMIN_TOKEN:-dev-admin}" \
  -d '{"dialect":"microbase","path":"/services/customer/v1/customer.create","status":503,"latency_ms":200,"times":2}'
