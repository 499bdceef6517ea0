#!/usr/bin/env bash
# Create an address (Elastic Path: customer addresses).
# The host, tokens and ids come from the environment (README.md).
customer_token=(); [[ -n "${CUSTOMER_TOKEN:-}" ]] && customer_token=(--header "X-Moltin-Customer-Token: ${CUSTOMER_TOKEN}")
curl -X POST "${GATEWAY:-http://localhost:8080}/v2/customers/${CUSTOMER_ID}/addresses" \
  -H "Authorization: Bearer ${TOKEN}" "${customer_token[@]}" \
  -H "Content-Type: application/json" \
  -d '{
    "data": {
      "type": "address",
      "first_name": "Ron",
      "last_name": "Swanson",
      "name": "Home",
      "phone_number": "(555) 555-1234",
      "instructions": "Leave behind bin",
      "company_name": "Ron Swanson Enterprises",
      "line_1": "1 Sunny Street",
      "line_2": "Unit 101",
      "city": "Sunny Town",
      "county": "Sunnyville",
      "region": "Pawnee",
      "postcode": "SU33 1YY",
      "country": "GB"
    }
  }'
