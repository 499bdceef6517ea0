#!/usr/bin/env bash
# Empties the store (customers and addresses; credentials kept).
curl -s -d '' -X POST "${GATEWAY:-http://127.0.0.1:8080}/__gateway/reset" \
  -H "Authorization: Bearer ${ADMIN_TOKEN:-dev-admin}"
