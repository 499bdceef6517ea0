// The published OpenAPI 3.1 documents (GET /openapi/*.json) are valid
// OpenAPI, and every answer the real binary gives — each operation of both
// dialects and of the dev mock's admin API, successes and the usual
// failures — matches its document: the status is listed for that operation
// and the body fits its (closed) schema.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { startGateway, request, epToken, ep, mb, mbToken, CLIENT_ID, CLIENT_SECRET } from './harness.mjs';
import { installTools } from '../openapi/install.mjs';

let gw;
let ajv;
const docs = {};
const validators = new Map();
const seen = { ep: new Set(), mb: new Set(), admin: new Set() };

before(async () => {
  const require = installTools();
  const Ajv2020 = require('ajv/dist/2020').default;
  const addFormats = require('ajv-formats').default;
  const { Validator } = await import(pathToFileURL(require.resolve('@seriousme/openapi-schema-validator')));
  gw = await startGateway();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const [key, file] of [['ep', 'elastic-path-v2.json'], ['mb', 'microbase-v1.json'], ['admin', 'dev-mock-admin.json']]) {
    const res = await request(gw, 'GET', `/openapi/${file}`);
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const checked = await new Validator().validate(res.json);
    assert.equal(checked.valid, true, `${file}: ${JSON.stringify(checked.errors)}`);
    assert.equal(res.json.openapi, '3.1.0');
    docs[key] = res.json;
    ajv.addSchema(res.json, key);
  }
});
after(() => gw.stop());

const escape = (s) => s.replaceAll('~', '~0').replaceAll('/', '~1');

function templateFor(doc, path) {
  const bare = path.split('?')[0];
  if (doc.paths[bare]) return bare;
  for (const template of Object.keys(doc.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (re.test(bare)) return template;
  }
  assert.fail(`no path in the document matches ${bare}`);
}

// Asserts that `res`, the answer to `method path`, is what the document says.
function conforms(key, method, path, res) {
  const doc = docs[key];
  const template = templateFor(doc, path);
  const operation = doc.paths[template][method.toLowerCase()];
  assert.ok(operation, `${method} ${template} is documented`);
  let pointer = `#/paths/${escape(template)}/${method.toLowerCase()}/responses/${res.status}`;
  let response = operation.responses[String(res.status)];
  assert.ok(response, `${method} ${template} documents status ${res.status} (body ${res.text})`);
  if (response.$ref) {
    pointer = response.$ref;
    response = response.$ref.slice(2).split('/').reduce((o, k) => o[k.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
  }
  seen[key].add(`${method} ${template} ${res.status}`);
  if (!response.content) {
    assert.equal(res.text, '', `${method} ${path} ${res.status} has no body`);
    return;
  }
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  fits(key, `${pointer}/content/application~1json/schema`, res, `${method} ${path}`);
}

// Asserts that the body of `res` fits the schema at `pointer` in document `key`.
function fits(key, pointer, res, context) {
  const ref = `${key}${pointer}`;
  if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: ref }));
  const validate = validators.get(ref);
  assert.ok(validate(res.json), `${context} ${res.status}: ${res.text}\n${ajv.errorsText(validate.errors)}`);
}

test('both documents are served without a token, on a gateway without the admin API', async () => {
  assert.equal(docs.ep.info.title, 'customer-gateway: Elastic Path Commerce Cloud v2 customers');
  assert.equal(docs.mb.info.title, 'customer-gateway: MicroBase v1 customer service');
  const missing = await request(gw, 'GET', '/openapi/nothing.json');
  assert.equal(missing.status, 404);
  const post = await request(gw, 'POST', '/openapi/microbase-v1.json', { body: '{}' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET');
});

test('Elastic Path answers match elastic-path-v2.json', async () => {
  const call = async (token, method, path, body, headers) => {
    const res = await ep(gw, token, method, path, body, headers);
    conforms('ep', method, path, res);
    return res;
  };
  const tokenCall = async (form) => {
    const res = await request(gw, 'POST', '/oauth/access_token', { form });
    conforms('ep', 'POST', '/oauth/access_token', res);
    return res;
  };
  await tokenCall({ grant_type: 'password', client_id: CLIENT_ID });
  await tokenCall({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: 'wrong' });
  const implicit = (await tokenCall({ grant_type: 'implicit', client_id: CLIENT_ID })).json.access_token;
  const token = await epToken(gw);

  const created = await call(token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Ron Swanson', email: 'ron@swanson.com', password: 'mysecretpassword' } });
  const id = created.json.data.id;
  await call(token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Ron Again', email: 'RON@swanson.com' } });
  await call(token, 'POST', '/v2/customers', { data: { type: 'customer', name: '', email: 'x' } });
  await call(token, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Leslie Knope', email: 'leslie@pawnee.gov', external_ref: 'crm-1' } });
  await call('not-a-token', 'GET', '/v2/customers');
  await call(implicit, 'GET', '/v2/customers');
  await call(token, 'GET', '/v2/customers');
  await call(token, 'GET', '/v2/customers?page[limit]=1&sort=-email&filter=like(email,*@*)');
  await call(token, 'GET', '/v2/customers?page[offset]=500');
  await call(token, 'GET', '/v2/customers?filter=in(id,1)');
  // A method a path does not have has no operation of its own: the shared 405.
  const notAllowed = await ep(gw, token, 'DELETE', '/v2/customers');
  assert.equal(notAllowed.status, 405);
  assert.equal(notAllowed.headers.get('allow'), 'GET, POST');
  fits('ep', '#/components/responses/MethodNotAllowed/content/application~1json/schema', notAllowed, 'DELETE /v2/customers');
  await call(token, 'GET', `/v2/customers/${id}`);
  await call(token, 'GET', '/v2/customers/missing-id');
  await call(token, 'PUT', `/v2/customers/${id}`, { data: { type: 'customer', external_ref: 'crm-7' } });

  await call(token, 'POST', '/v2/customers/tokens', { data: { type: 'token', email: 'ron@swanson.com', password: 'wrong', authentication_mechanism: 'password' } });
  await call(token, 'POST', '/v2/customers/tokens', { data: { type: 'token', email: 'ron@swanson.com', password: 'x', authentication_mechanism: 'oidc' } });
  const login = await call(implicit, 'POST', '/v2/customers/tokens', { data: { type: 'token', email: 'ron@swanson.com', password: 'mysecretpassword', authentication_mechanism: 'password' } });
  const asRon = { 'X-Moltin-Customer-Token': login.json.data.token };
  await call(implicit, 'GET', `/v2/customers/${id}`);
  await call(implicit, 'GET', `/v2/customers/${id}`, undefined, asRon);

  const address = { type: 'address', name: 'Home', first_name: 'Ron', last_name: 'Swanson', line_1: '1 Sunny Street', postcode: 'SU33 1YY', county: 'Sunnyville', country: 'GB', phone_number: '(555) 555-1234' };
  await call(token, 'POST', `/v2/customers/${id}/addresses`, { data: { ...address, country: 'gb' } });
  const addr = await call(implicit, 'POST', `/v2/customers/${id}/addresses`, { data: address }, asRon);
  const addrPath = `/v2/customers/${id}/addresses/${addr.json.data.id}`;
  await call(token, 'GET', `/v2/customers/${id}/addresses`);
  await call(token, 'GET', addrPath);
  await call(token, 'GET', `/v2/customers/${id}/addresses/none`);
  await call(token, 'PUT', addrPath, { data: { type: 'address', line_2: 'Unit 101', instructions: null } });
  await call(token, 'DELETE', addrPath);
  await call(token, 'DELETE', `/v2/customers/${id}`);
  await call(token, 'DELETE', `/v2/customers/${id}`);
});

test('MicroBase answers match microbase-v1.json', async () => {
  const call = async (method, args, opts) => {
    const res = await mb(gw, method, args, opts);
    conforms('mb', 'POST', `/services/customer/v1/${method}`, res);
    return res;
  };
  const oauth = async (form, headers = {}) => {
    const res = await request(gw, 'POST', '/services/oauth/v2/token', { form, headers });
    conforms('mb', 'POST', '/services/oauth/v2/token', res);
    return res;
  };
  const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
  const issued = await oauth({ grant_type: 'client_credentials' }, { authorization: basic });
  assert.equal(issued.status, 200);
  await oauth({ grant_type: 'password' }, { authorization: basic });
  await oauth({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: 'wrong' });

  const address = { name: 'Work', firstName: 'John', lastName: 'Doe', address_1: '1650 Bolman Court', postCode: '61701', city: 'Bloomington', state: 'Illinois', country: 'US', company: 'My Company', phone: 2173203531 };
  const created = await call('customer.create', { email: 'john.doe@gmail.com', password: 'mypassword', firstName: 'John', lastName: 'Doe', tags: ['VIP'], addresses: [address] }, { token: issued.json.access_token });
  const id = created.json.customer.id;
  const addressId = created.json.customer.addresses[0].id;
  await call('customer.create', { email: 'john.doe@gmail.com', password: 'x', firstName: 'J', lastName: 'D' });
  await call('customer.create', { email: 'bad' });
  await call('customer.info', { id });
  await call('customer.info', { id: 'missing' });
  await call('customer.update', { id, firstName: 'Johnny', status: 'INACTIVE' });
  await call('customer.list', {});
  await call('customer.list', { fields: 'email,tags', limit: 5 });
  await call('customer.list', { skip: -1 });
  await call('customer.checkCredentials', { email: 'john.doe@gmail.com', password: 'mypassword' });
  await call('customer.checkCredentials', { email: 'john.doe@gmail.com', password: 'wrong' });
  await call('customer.address.create', { customerId: id, addresses: [{ ...address, name: 'Home', phone: '+1 (217) 320-3531' }] });
  await call('customer.address.create', { customerId: id, addresses: [{ ...address, country: 'USA' }] });
  await call('customer.address.info', { customerId: id, addressId });
  await call('customer.address.info', { customerId: id, addressId: 'none' });
  await call('customer.address.update', { customerId: id, address: { ...address, id: addressId, instructions: 'Back door' } });
  await call('customer.address.remove', { customerId: id, addressId });
  await call('customer.remove', { id });
  await call('customer.remove', { id });
  await call('customer.info', { id }, { token: mbToken('wrong-secret') });
  // An unknown method has no operation of its own: its answer is the shared response.
  const unknown = await mb(gw, 'customer.nothing', {});
  assert.equal(unknown.status, 404);
  fits('mb', '#/components/responses/MethodNotFound/content/application~1json/schema', unknown, 'customer.nothing');
  const broken = await request(gw, 'POST', '/services/customer/v1/customer.info', { body: '{"id":', headers: { authorization: `Bearer ${mbToken()}` } });
  conforms('mb', 'POST', '/services/customer/v1/customer.info', broken);
});

test('dev mock admin answers match dev-mock-admin.json', async () => {
  const adminGw = await startGateway({ args: ['--admin-token', 'adm'] });
  const call = async (method, path, body, auth = 'adm') => {
    const res = await request(adminGw, method, path, { body, headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    conforms('admin', method, path, res);
    return res;
  };
  try {
    await call('POST', '/__gateway/reset', undefined, 'wrong');
    const notAllowed = await request(adminGw, 'GET', '/__gateway/reset', { headers: { authorization: 'Bearer adm' } });
    assert.equal(notAllowed.status, 405);
    fits('admin', '#/components/responses/MethodNotAllowed/content/application~1json/schema', notAllowed, 'GET /__gateway/reset');
    await mb(adminGw, 'customer.create', { email: 'a@example.com', password: 'pw-secret', firstName: 'A', lastName: 'B' }, { query: { access_token: 'x' } });
    await request(adminGw, 'POST', '/oauth/access_token', { form: { grant_type: 'implicit', client_id: CLIENT_ID } });
    await ep(adminGw, 'bad-token', 'GET', '/v2/customers', undefined, { 'x-gateway-fault': 'status=503' });
    await request(adminGw, 'POST', '/services/customer/v1/customer.info', { body: 'x'.repeat(70000), headers: { authorization: `Bearer ${mbToken()}`, 'content-type': 'text/plain' } });
    await request(adminGw, 'GET', '/v2/customers', { headers: { 'x-gateway-fault': 'drop' } }).catch(() => {});
    await call('GET', '/__gateway/requests');
    await call('GET', '/__gateway/requests?after=1');
    await call('GET', '/__gateway/requests?after=x');
    await call('DELETE', '/__gateway/requests');
    await call('POST', '/__gateway/snapshots/one');
    await call('POST', '/__gateway/snapshots/one');
    await call('PUT', '/__gateway/snapshots/one');
    await call('PUT', '/__gateway/snapshots/three');
    await call('POST', '/__gateway/snapshots/two');
    await call('POST', '/__gateway/snapshots/bad%20name');
    await call('GET', '/__gateway/snapshots');
    await call('POST', '/__gateway/reset');
    await call('POST', '/__gateway/snapshots/one/restore');
    await call('POST', '/__gateway/snapshots/none/restore');
    await call('DELETE', '/__gateway/snapshots/two');
    await call('DELETE', '/__gateway/snapshots/two');
    await call('POST', '/__gateway/seed?format=microbase', '{"_id":"s1","email":"s1@example.com","firstName":"S","lastName":"One"}\n{"_id":"s2","email":"bad"}');
    await call('POST', '/__gateway/seed?format=elastic-path', '');
    await call('POST', '/__gateway/seed?format=xml', '{}');
    const rule = await call('POST', '/__gateway/faults', { dialect: 'microbase', method: 'POST', path: '/services/*', fraction: 0.5, times: 3, latency_ms: 1, jitter_ms: 1, status: 503 });
    await call('POST', '/__gateway/faults', { drop: true, times: 1 });
    await call('POST', '/__gateway/faults', { status: 200 });
    await call('GET', '/__gateway/faults');
    await call('DELETE', `/__gateway/faults/${rule.json.id}`);
    await call('DELETE', '/__gateway/faults/999');
    await call('DELETE', '/__gateway/faults');
  } finally {
    await adminGw.stop();
  }
});

test('every documented success status was exercised', () => {
  for (const key of ['ep', 'mb', 'admin']) {
    for (const [template, item] of Object.entries(docs[key].paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue;
        for (const status of Object.keys(operation.responses).filter((s) => s.startsWith('2'))) {
          const label = `${method.toUpperCase()} ${template} ${status}`;
          assert.ok(seen[key].has(label), `${key}: ${label} was not exercised`);
        }
      }
    }
  }
});
