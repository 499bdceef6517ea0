#!/usr/bin/env bash
# Implicit access token: what a storefront uses (Elastic Path: implicit-token).
# The host, tokens and ids come from the environment (README.md).
curl -X POST "${GATEWAY:-http://localhost:8080}/oauth/access_token" \
  -d client_id="${CLIENT_ID}" \
  -d grant_type=implicit
