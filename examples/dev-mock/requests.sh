#!/usr/bin/env bash
# Prints what clients sent since the journal was last cleared (secrets redacted).
curl -s "${GATEWAY:-http://127.0.0.1:8080}/__gateway/requests" \
  -H "Authorization: Bearer ${ADMIN_TOKEN:-dev-admin}"
