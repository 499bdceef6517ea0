#!/usr/bin/env bash
curl -s -X DELETE "${GATEWAY:-http://127.0.0.1:8080}/__gateway/faults" \
  -H "Authorization: Bearer ${ADMIN_TOKEN:-dev-admin}"
