// Address answers against Elastic Path's official Customer Addresses schema
// (tests/openapi/official/customer-addresses.schema.json, transcribed from
// elasticpath-dev's OpenAPI spec; source and licence in its $comment): the
// list, the single address, create and update, for a full address and for
// one with only the members we require (the rest unset, rendered "").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startGateway, epToken, ep } from './harness.mjs';
import { installTools } from '../openapi/install.mjs';

const schema = JSON.parse(readFileSync(new URL('../openapi/official/customer-addresses.schema.json', import.meta.url)));
const id = (name) => `${schema.$id}#/$defs/${name}`;

let gw;
let token;
let ajv;

before(async () => {
  const require = installTools();
  const Ajv2020 = require('ajv/dist/2020').default;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(schema);
  gw = await startGateway();
  token = await epToken(gw);
});
after(async () => { await gw?.stop(); });

function assertValid(name, body, context) {
  const validate = ajv.getSchema(id(name));
  assert.ok(validate(body), `${context}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`);
}

test('the schema catches what it should: a null member fails', () => {
  const validate = ajv.getSchema(id('GetCustomerAddress200'));
  assert.equal(validate({ data: { type: 'address', id: 'a', line_2: null } }), false);
  assert.equal(validate({ data: { type: 'address', id: 'a', line_2: '' } }), true);
});

test('list, single, create and update answers validate against CustomerAddressResponse', async () => {
  const customer = await ep(gw, token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Ron Swanson', email: 'ron@swanson.com' } });
  assert.equal(customer.status, 201, customer.text);
  const base = `/v2/customers/${customer.json.data.id}/addresses`;
  const minimal = { type: 'address', first_name: 'Ron', last_name: 'Swanson', line_1: '1 Sunny Street', postcode: 'SU33 1YY', country: 'GB' };
  const full = {
    ...minimal, name: 'Home', phone_number: '(555) 555-1234', instructions: 'Leave behind bin', company_name: 'Ron Swanson Enterprises',
    line_2: 'Unit 101', city: 'Sunny Town', county: 'Sunnyville', region: 'Pawnee',
  };
  const ids = [];
  for (const [label, body] of [['minimal', minimal], ['full', full]]) {
    const created = await ep(gw, token, 'POST', base, { data: body });
    assert.equal(created.status, 201, created.text);
    assertValid('GetCustomerAddress200', created.json, `create ${label}`);
    ids.push(created.json.data.id);
    const got = await ep(gw, token, 'GET', `${base}/${created.json.data.id}`);
    assertValid('GetCustomerAddress200', got.json, `get ${label}`);
  }
  const cleared = await ep(gw, token, 'PUT', `${base}/${ids[1]}`, { data: { type: 'address', line_2: null, county: '' } });
  assert.equal(cleared.status, 200, cleared.text);
  assertValid('GetCustomerAddress200', cleared.json, 'update clearing members');
  assert.equal(cleared.json.data.line_2, '');
  const list = await ep(gw, token, 'GET', base);
  assert.equal(list.json.data.length, 2);
  assertValid('GetCustomerAddresses200', list.json, 'list');
});
