#!/usr/bin/env bash
# Create a customer (Elastic Path: create-a-customer). Works with either access token.
# The host, tokens and ids come from the environment (README.md).
curl -X POST "${GATEWAY:-http://localhost:8080}/v2/customers" \
  -H "Authorization: Bearer ${TOKEN}" \
  -H "Content-Type: application/json" \
  -d '{
    "data": {
      "type": "customer",
      "name": "Ron Swanson",
      "email": "'"${EMAIL:-ron@swanson.com}"'",
      "password": "'"${PASSWORD:-mysecretpassword}"'"
    }
  }'
