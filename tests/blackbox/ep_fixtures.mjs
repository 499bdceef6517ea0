// Shared pieces of the Elastic Path black-box suites (ep_*.test.mjs): reply
// assertions in the dialect's JSON:API error format, and small builders.
import assert from 'node:assert/strict';
import http from 'node:http';
import { ep } from './harness.mjs';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const ISO_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// Asserts the status and that the reply is labelled JSON.
export function assertJson(res, status, context = '') {
  assert.equal(res.status, status, `${context} → ${res.status} ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, context);
}

// Asserts one JSON:API error with the integer status repeated inside, and
// returns it. `expected` may pin source, title and detail (a RegExp or string).
export function assertError(res, status, expected = {}, context = '') {
  assertJson(res, status, context);
  assert.ok(Array.isArray(res.json?.errors), `${context}: errors array in ${res.text}`);
  assert.equal(res.json.errors.length, 1, context);
  const e = res.json.errors[0];
  assert.equal(e.status, status, context);
  assert.equal(typeof e.title, 'string', context);
  assert.equal(typeof e.detail, 'string', context);
  for (const key of ['source', 'title', 'detail']) {
    if (!(key in expected)) continue;
    if (expected[key] instanceof RegExp) assert.match(e[key], expected[key], `${context}: ${key}`);
    else assert.equal(e[key], expected[key], `${context}: ${key}`);
  }
  return e;
}

let serial = 0;
// A unique email per call, so suites never collide with their own seeds.
export function uniqueEmail(prefix = 'user') {
  serial += 1;
  return `${prefix}.${process.pid}.${serial}@example.com`;
}

// Creates a customer through Elastic Path and returns its `data`.
export async function createCustomer(gw, token, attrs = {}) {
  const body = { data: { type: 'customer', name: 'Test Customer', email: uniqueEmail(), ...attrs } };
  const res = await ep(gw, token, 'POST', '/v2/customers', body);
  assertJson(res, 201, 'create customer');
  return res.json.data;
}

// POST /v2/customers/tokens with the password mechanism.
export function customerToken(gw, bearer, email, password, extra = {}) {
  return ep(gw, bearer, 'POST', '/v2/customers/tokens', {
    data: { type: 'token', authentication_mechanism: 'password', email, password, ...extra },
  });
}

// Headers carrying a customer token.
export function asCustomer(token) {
  return { 'x-moltin-customer-token': token };
}

// Every documented address member, filled in.
export const fullAddress = {
  first_name: 'Ron', last_name: 'Swanson', name: 'Home', phone_number: '(555) 555-1234',
  instructions: 'Leave behind bin', company_name: 'Ron Swanson Enterprises', line_1: '1 Sunny Street',
  line_2: 'Unit 101', city: 'Sunny Town', county: 'Sunnyville', region: 'Pawnee', postcode: 'SU33 1YY',
  country: 'GB',
};

// GET that returns the parsed JSON of a 200, failing otherwise.
export async function getJson(gw, token, path, headers = {}) {
  const res = await ep(gw, token, 'GET', path, undefined, headers);
  assertJson(res, 200, `GET ${path}`);
  return res.json;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A GET with headers fetch will not send as given (Host), through node:http;
// resolves with the parsed JSON body.
export function getWithHeaders(gw, path, headers) {
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end();
  });
}
