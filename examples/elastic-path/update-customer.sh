#!/usr/bin/env bash
# Update a customer: only the members sent change (Elastic Path: update-a-customer).
# The host, tokens and ids come from the environment (README.md).
customer_token=(); [[ -n "${CUSTOMER_TOKEN:-}" ]] && customer_token=(--header "X-Moltin-Customer-Token: ${CUSTOMER_TOKEN}")
curl -X PUT "${GATEWAY:-http://localhost:8080}/v2/customers/${CUSTOMER_ID}" \
  -H "Authorization: Bearer ${TOKEN}" "${customer_token[@]}" \
  -H "Content-Type: application/json" \
  -d '{
    "data": {
      "type": "customer",
      "name": "Ronald Ulysses Swanson",
      "external_ref": "crm-0042"
    }
  }'
