#!/usr/bin/env bash
# customer.list, exactly as MicroBase documents it (api/customer.list.md), but for
# the host, the token and the ids, which come from the environment (README.md).
curl --request POST \
  --url ${GATEWAY:-http://localhost:8080}/services/customer/v1/customer.list \
  --header "authorization: Bearer ${TOKEN}" \
  --header 'accept: application/json' \
  --header 'content-type: application/json' \
  --data '{
        "id": "'"${CUSTOMER_ID:-HkhhuXESl}"',HkhhuXES3"
      }'
