#!/usr/bin/env bash
# customer.address.update, exactly as MicroBase documents it (api/customer.address.update.md), but for
# the host, the token and the ids, which come from the environment (README.md).
curl --request POST \
  --url ${GATEWAY:-http://localhost:8080}/services/customer/v1/customer.address.update \
  --header "authorization: Bearer ${TOKEN}" \
  --header 'accept: application/json' \
  --header 'content-type: application/json' \
  --data '{
        "customerId": "'"${CUSTOMER_ID:-HkhhuXESl}"'",
        "address": {
          "id": "'"${ADDRESS_ID:-B1Q5HiGHg88}"'",
          "name": "Work",
          "firstName": "John",
          "lastName": "Doe",
          "address_1": "1650 Bolman Court",
          "address_2": "",
          "postCode": "61701",
          "city": "Bloomington",
          "state": "Illinois",
          "country": "US",
          "company" : "My Company",
          "phone" : 2173203531,
          "instructions" : "Instructions"
        }
      }'
