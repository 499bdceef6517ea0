#!/usr/bin/env bash
# customer.create, exactly as MicroBase documents it (api/customer.create.md), but for
# the host, the token and the ids, which come from the environment (README.md).
curl --request POST \
  --url ${GATEWAY:-http://localhost:8080}/services/customer/v1/customer.create \
  --header "authorization: Bearer ${TOKEN}" \
  --header 'accept: application/json' \
  --header 'content-type: application/json' \
  --data '{
        "email": "john.doe@gmail.com",
        "password": "mypassword",
        "firstName": "John",
        "lastName": "Doe",
        "tags": ["VIP"],
        "status": "ACTIVE",
        "addresses": [{
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
          "instructions" : "Some Instructions"
        }]
      }'
