#!/usr/bin/env bash
# Delete a customer and its addresses: 204, empty body (-i shows the status).
# The host, tokens and ids come from the environment (README.md).
customer_token=(); [[ -n "${CUSTOMER_TOKEN:-}" ]] && customer_token=(--header "X-Moltin-Customer-Token: ${CUSTOMER_TOKEN}")
curl -i -X DELETE "${GATEWAY:-http://localhost:8080}/v2/customers/${CUSTOMER_ID}" \
  -H "Authorization: Bearer ${TOKEN}" "${customer_token[@]}"
