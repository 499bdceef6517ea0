#!/usr/bin/env bash
# customer.address.info, exactly as MicroBase documents it (api/customer.address.info.md), but for
# the host, the token and the ids, which come from the environment (README.md).
curl --request POST \
  --url ${GATEWAY:-http://localhost:8080}/services/customer/v1/customer.address.info \
  --header "authorization: Bearer ${TOKEN}" \
  --header 'accept: application/json' \
  --header 'content-type: application/json' \
  --data '{
        "customerId": "'"${CUSTOMER_ID:-HkhhuXESl}"'",
        "addressId": "'"${ADDRESS_ID:-B1Q5HiGHg88}"'"
      }'
