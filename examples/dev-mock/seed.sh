#!/usr/bin/env bash
# Loads the MicroBase fixtures again through the admin API; answers the
# import report. Re-seeding unchanged records reports them as unchanged.
here="$(cd "$(dirname "$0")" && pwd)"
curl -s -X POST "${GATEWAY:-http://127.0.0.1:8080}/__gateway/seed?format=microbase" \
  -H "Authorization: Bearer ${ADMIN_TOKEN:-dev-admin}" \
  --data-binary "@$here/fixtures/customers.jsonl"
