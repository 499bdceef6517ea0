#!/usr/bin/env bash
# Client credentials access token: full access (Elastic Path: client-credential-token).
# The host, tokens and ids come from the environment (README.md).
curl -X POST "${GATEWAY:-http://localhost:8080}/oauth/access_token" \
  -d client_id="${CLIENT_ID}" \
  -d client_secret="${CLIENT_SECRET}" \
  -d grant_type=client_credentials
