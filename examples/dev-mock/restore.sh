#!/usr/bin/env bash
# Puts the store back to the snapshot "${1:-baseline}".
curl -s -d '' -X POST "${GATEWAY:-http://127.0.0.1:8080}/__gateway/snapshots/${1:-baseline}/restore" \
  -H "Authorization: Bearer ${ADMIN_TOKEN:-dev-admin}"
