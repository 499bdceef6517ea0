#!/usr/bin/env bash
# Starts the gateway as a storefront's local mock: a throw-away in-memory
# store filled from the fixtures, fixed credentials the storefront's .env can
# hold, the admin API on, and ids and timestamps from a seed.
#   GATEWAY_BIN  the binary (default: build/customer-gateway in this repository)
#   PORT         the port (default 8080; 0 picks a free one)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${GATEWAY_BIN:-$here/../../build/customer-gateway}"
exec "$bin" serve \
  --listen "127.0.0.1:${PORT:-8080}" \
  --db :memory: \
  --client-id storefront-dev \
  --client-secret storefront-dev-secret \
  --jwt-secret storefront-dev-jwt \
  --admin-token dev-admin \
  --seed "microbase:$here/fixtures/customers.jsonl" \
  --seed "elastic-path:$here/fixtures/ep-customers.json" \
  --deterministic 1
