#!/usr/bin/env bash
# List customers with a filter, sort and page (Elastic Path: get-all-customers). Client credentials only.
# The host, tokens and ids come from the environment (README.md).
# -g keeps curl from reading page[limit] as a glob; '+' in a filter value means a space,
# so a plus is written %2B: eq(email,ron%2B1@swanson.com).
curl -g "${GATEWAY:-http://localhost:8080}/v2/customers?page[limit]=10&page[offset]=0&sort=-created_at&filter=like(email,*@swanson.com):like(name,ron*)" \
  -H "Authorization: Bearer ${TOKEN}"
