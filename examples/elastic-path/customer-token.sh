#!/usr/bin/env bash
# Customer token by email and password (Elastic Path: customer-tokens). Works with either access token.
# The host, tokens and ids come from the environment (README.md).
curl -X POST "${GATEWAY:-http://localhost:8080}/v2/customers/tokens" \
  -H "Authorization: Bearer ${TOKEN}" \
  -H "Content-Type: application/json" \
  -d '{
    "data": {
      "type": "token",
      "email": "'"${EMAIL:-ron@swanson.com}"'",
      "password": "'"${PASSWORD:-mysecretpassword}"'",
      "authentication_mechanism": "password"
    }
  }'
