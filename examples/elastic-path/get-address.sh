#!/usr/bin/env bash
# Get one address.
# The host, tokens and ids come from the environment (README.md).
customer_token=(); [[ -n "${CUSTOMER_TOKEN:-}" ]] && customer_token=(--header "X-Moltin-Customer-Token: ${CUSTOMER_TOKEN}")
curl "${GATEWAY:-http://localhost:8080}/v2/customers/${CUSTOMER_ID}/addresses/${ADDRESS_ID}" \
  -H "Authorization: Bearer ${TOKEN}" "${customer_token[@]}"
