#!/usr/bin/env bash
# customer.checkCredentials, exactly as MicroBase documents it (api/customer.checkCredentials.md), but for
# the host, the token and the ids, which come from the environment (README.md).
curl --request POST \
  --url ${GATEWAY:-http://localhost:8080}/services/customer/v1/customer.checkCredentials \
  --header "authorization: Bearer ${TOKEN}" \
  --header 'accept: application/json' \
  --header 'content-type: application/json' \
  --data '{
        "email": "john.doe@gmail.com",
        "password": "mypassword"
      }'
