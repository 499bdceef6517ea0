// Elastic Path customer tokens and the access rules, through the real binary:
// POST /v2/customers/tokens, and who may reach which customer with
// client_credentials, implicit and X-Moltin-Customer-Token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, request, epToken, ep, mb, signJwt, JWT_SECRET } from './harness.mjs';
import {
  UUID_RE, assertJson, assertError, uniqueEmail, createCustomer, customerToken, asCustomer, fullAddress,
} from './ep_fixtures.mjs';

let gw;
let admin;    // client_credentials
let shopper;  // implicit
before(async () => {
  gw = await startGateway();
  admin = await epToken(gw, 'client_credentials');
  shopper = await epToken(gw, 'implicit');
});
after(async () => { await gw.stop(); });

function decodeJwt(jwt) {
  const [header, payload, signature] = jwt.split('.');
  assert.ok(signature, 'three parts');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url')),
    payload: JSON.parse(Buffer.from(payload, 'base64url')),
  };
}

// A customer with a password, and a customer token for it.
async function customerWithToken(label) {
  const password = `${label}-password`;
  const c = await createCustomer(gw, admin, { name: `${label} Customer`, password });
  const res = await customerToken(gw, shopper, c.email, password);
  assertJson(res, 200, `token for ${label}`);
  return { customer: c, token: res.json.data.token, password };
}

test('the access token endpoint answers both grants in the documented shape', async () => {
  for (const grant of ['client_credentials', 'implicit']) {
    const form = { grant_type: grant, client_id: 'test-client' };
    if (grant === 'client_credentials') form.client_secret = 'test-client-secret';
    const res = await request(gw, 'POST', '/oauth/access_token', { form });
    assertJson(res, 200, grant);
    assert.equal(res.json.identifier, grant);
    assert.equal(res.json.token_type, 'Bearer');
    assert.equal(res.json.expires_in, 3600);
    const now = Math.floor(Date.now() / 1000);
    assert.ok(Math.abs(res.json.expires - (now + 3600)) <= 5, 'expires is epoch seconds an hour ahead');
  }
  const wrong = await request(gw, 'POST', '/oauth/access_token', {
    form: { grant_type: 'client_credentials', client_id: 'test-client', client_secret: 'nope' },
  });
  assertError(wrong, 401);
});

test('customer token: the documented token object with a signed HS256 JWT', async () => {
  const password = 'correct horse battery staple';
  const c = await createCustomer(gw, admin, { name: 'Token Holder', password });
  for (const bearer of [shopper, admin]) {
    const before = Math.floor(Date.now() / 1000);
    // The second login leaves authentication_mechanism out, as older SDKs and
    // docs do: the reference marks it optional, so it means a password login.
    const res = bearer === shopper
      ? await customerToken(gw, bearer, c.email, password)
      : await ep(gw, bearer, 'POST', '/v2/customers/tokens', { data: { type: 'token', email: c.email, password } });
    assertJson(res, 200);
    const t = res.json.data;
    assert.deepEqual(Object.keys(t).sort(), ['customer_id', 'expires', 'id', 'token', 'type']);
    assert.equal(t.type, 'token');
    assert.match(t.id, UUID_RE);
    assert.equal(t.customer_id, c.id);
    assert.ok(t.expires >= before + 86400 && t.expires <= before + 86400 + 5, 'expires 24 h ahead, epoch seconds');
    const { header, payload } = decodeJwt(t.token);
    assert.equal(header.alg, 'HS256');
    assert.equal(payload.sub, c.id);
    assert.equal(payload.jti, t.id);
    assert.equal(payload.exp, t.expires);
    // The reference's sample token carries the customer's name.
    assert.equal(payload.name, 'Token Holder');
  }
  // The email is matched case-insensitively.
  assertJson(await customerToken(gw, shopper, c.email.toUpperCase(), password), 200);
});

test('customer token: wrong password, unknown email and no password are the same 401', async () => {
  const c = await createCustomer(gw, admin, { password: 'right-password' });
  const noPassword = await createCustomer(gw, admin);
  const answers = [
    await customerToken(gw, shopper, c.email, 'wrong-password'),
    await customerToken(gw, shopper, uniqueEmail('nobody'), 'right-password'),
    await customerToken(gw, shopper, noPassword.email, 'right-password'),
  ];
  for (const res of answers) assertError(res, 401);
  const details = answers.map((r) => JSON.stringify({ ...r.json.errors[0] }));
  assert.equal(new Set(details).size, 1, `one indistinguishable answer: ${details}`);
});

test('customer token: oidc is a clear 501, other mechanisms and bad bodies 400', async () => {
  const oidc = await ep(gw, shopper, 'POST', '/v2/customers/tokens', {
    data: {
      type: 'token', authentication_mechanism: 'oidc', oauth_authorization_code: 'code',
      oauth_redirect_uri: 'https://shop.example/cb', oauth_code_verifier: 'verifier',
    },
  });
  assertError(oidc, 501, { detail: /oidc.*not supported/, source: 'data.authentication_mechanism' });
  const c = await createCustomer(gw, admin, { password: 'pw-pw-pw' });
  const cases = [
    ['mechanism null', { data: { type: 'token', authentication_mechanism: null, email: c.email, password: 'pw-pw-pw' } }, 'data.authentication_mechanism'],
    ['mechanism unknown', { data: { type: 'token', authentication_mechanism: 'magic', email: c.email, password: 'pw-pw-pw' } }, 'data.authentication_mechanism'],
    ['mechanism a number', { data: { type: 'token', authentication_mechanism: 1, email: c.email, password: 'pw-pw-pw' } }, 'data.authentication_mechanism'],
    ['type wrong', { data: { type: 'customer', authentication_mechanism: 'password', email: c.email, password: 'pw-pw-pw' } }, 'data.type'],
    ['email missing', { data: { type: 'token', authentication_mechanism: 'password', password: 'pw-pw-pw' } }, 'data.email'],
    ['email a number', { data: { type: 'token', authentication_mechanism: 'password', email: 5, password: 'pw-pw-pw' } }, 'data.email'],
    ['password missing', { data: { type: 'token', authentication_mechanism: 'password', email: c.email } }, 'data.password'],
    ['password empty', { data: { type: 'token', authentication_mechanism: 'password', email: c.email, password: '' } }, 'data.password'],
    ['data missing', { type: 'token' }, 'data'],
    ['malformed JSON', '{"data":', undefined],
  ];
  for (const [label, body, source] of cases) {
    assertError(await ep(gw, shopper, 'POST', '/v2/customers/tokens', body), 400, source ? { source } : {}, label);
  }
});

test('a password set through MicroBase logs in through Elastic Path', async () => {
  const email = uniqueEmail('mb-login');
  const created = await mb(gw, 'customer.create', { email, password: 'from-microbase', firstName: 'April', lastName: 'Ludgate' });
  assert.equal(created.json.ok, true, created.text);
  const res = await customerToken(gw, shopper, email, 'from-microbase');
  assertJson(res, 200);
  assert.equal(res.json.data.customer_id, created.json.customer.id);
});

test('implicit: may self-register and get tokens, may not list or reach customers bare', async () => {
  const email = uniqueEmail('self');
  const reg = await ep(gw, shopper, 'POST', '/v2/customers', { data: { type: 'customer', name: 'Self Registered', email, password: 'pw-self' } });
  assertJson(reg, 201);
  const id = reg.json.data.id;
  assertError(await ep(gw, shopper, 'GET', '/v2/customers'), 403, { title: 'Forbidden' }, 'list');
  assertError(await ep(gw, shopper, 'GET', '/v2/customers?page[limit]=1'), 403, {}, 'list with a query');
  assertError(await ep(gw, shopper, 'GET', `/v2/customers/${id}`), 403, {}, 'get');
  assertError(await ep(gw, shopper, 'PUT', `/v2/customers/${id}`, { data: { type: 'customer', name: 'Hijacked Name' } }), 403, {}, 'put');
  assertError(await ep(gw, shopper, 'DELETE', `/v2/customers/${id}`), 403, {}, 'delete');
  assertError(await ep(gw, shopper, 'GET', `/v2/customers/${id}/addresses`), 403, {}, 'addresses');
  assertError(await ep(gw, shopper, 'POST', `/v2/customers/${id}/addresses`, { data: { type: 'address', ...fullAddress } }), 403, {}, 'add address');
  // Nothing was changed by the refused writes.
  const got = await ep(gw, admin, 'GET', `/v2/customers/${id}`);
  assert.deepEqual(got.json.data, reg.json.data);
  assert.deepEqual((await ep(gw, admin, 'GET', `/v2/customers/${id}/addresses`)).json.data, []);
  // 403 comes before 404: an implicit caller learns nothing about other ids.
  assertError(await ep(gw, shopper, 'GET', '/v2/customers/00000000-0000-4000-8000-000000000000'), 403);
});

test('implicit + own customer token: the whole own record and its addresses', async () => {
  const { customer: c, token } = await customerWithToken('Own');
  const h = asCustomer(token);
  const got = await ep(gw, shopper, 'GET', `/v2/customers/${c.id}`, undefined, h);
  assertJson(got, 200);
  assert.deepEqual(got.json.data, c);
  const put = await ep(gw, shopper, 'PUT', `/v2/customers/${c.id}`, { data: { type: 'customer', name: 'Own Renamed' } }, h);
  assertJson(put, 200);
  assert.equal(put.json.data.name, 'Own Renamed');
  const add = await ep(gw, shopper, 'POST', `/v2/customers/${c.id}/addresses`, { data: { type: 'address', ...fullAddress } }, h);
  assertJson(add, 201);
  const aid = add.json.data.id;
  assertJson(await ep(gw, shopper, 'GET', `/v2/customers/${c.id}/addresses`, undefined, h), 200);
  assertJson(await ep(gw, shopper, 'GET', `/v2/customers/${c.id}/addresses/${aid}`, undefined, h), 200);
  const upd = await ep(gw, shopper, 'PUT', `/v2/customers/${c.id}/addresses/${aid}`, { data: { type: 'address', city: 'Eagleton' } }, h);
  assertJson(upd, 200);
  assert.equal(upd.json.data.city, 'Eagleton');
  const del = await ep(gw, shopper, 'DELETE', `/v2/customers/${c.id}/addresses/${aid}`, undefined, h);
  assert.equal(del.status, 204);
  // The header name is matched case-insensitively (the SDK sends it upper-case).
  const upper = await ep(gw, shopper, 'GET', `/v2/customers/${c.id}`, undefined, { 'X-MOLTIN-CUSTOMER-TOKEN': token });
  assertJson(upper, 200);
  const gone = await ep(gw, shopper, 'DELETE', `/v2/customers/${c.id}`, undefined, h);
  assert.equal(gone.status, 204);
  assertError(await ep(gw, admin, 'GET', `/v2/customers/${c.id}`), 404);
  // A still-valid token for a deleted customer finds nothing.
  assertError(await ep(gw, shopper, 'GET', `/v2/customers/${c.id}`, undefined, h), 404);
});

test('a token for A never reaches B, with either grant, and changes nothing', async () => {
  const a = await customerWithToken('Alpha');
  const b = await customerWithToken('Bravo');
  const bAddress = await ep(gw, admin, 'POST', `/v2/customers/${b.customer.id}/addresses`, { data: { type: 'address', ...fullAddress } });
  assertJson(bAddress, 201);
  const baid = bAddress.json.data.id;
  const bBefore = (await ep(gw, admin, 'GET', `/v2/customers/${b.customer.id}`)).json.data;
  const h = asCustomer(a.token);
  for (const bearer of [shopper, admin]) {
    const calls = [
      ['GET', `/v2/customers/${b.customer.id}`],
      ['PUT', `/v2/customers/${b.customer.id}`, { data: { type: 'customer', name: 'Changed By Alpha' } }],
      ['DELETE', `/v2/customers/${b.customer.id}`],
      ['GET', `/v2/customers/${b.customer.id}/addresses`],
      ['POST', `/v2/customers/${b.customer.id}/addresses`, { data: { type: 'address', ...fullAddress } }],
      ['GET', `/v2/customers/${b.customer.id}/addresses/${baid}`],
      ['PUT', `/v2/customers/${b.customer.id}/addresses/${baid}`, { data: { type: 'address', city: 'Changed' } }],
      ['DELETE', `/v2/customers/${b.customer.id}/addresses/${baid}`],
    ];
    for (const [method, path, body] of calls) {
      assertError(await ep(gw, bearer, method, path, body, h), 403, { title: 'Forbidden' }, `${method} ${path}`);
    }
    // B's address is not reachable through A's own path either.
    assertError(await ep(gw, bearer, 'GET', `/v2/customers/${a.customer.id}/addresses/${baid}`, undefined, h), 404);
    assertError(await ep(gw, bearer, 'DELETE', `/v2/customers/${a.customer.id}/addresses/${baid}`, undefined, h), 404);
  }
  // client_credentials with A's token still reaches A.
  assertJson(await ep(gw, admin, 'GET', `/v2/customers/${a.customer.id}`, undefined, h), 200);
  const bNow = await ep(gw, admin, 'GET', `/v2/customers/${b.customer.id}`);
  assert.deepEqual(bNow.json.data, bBefore);
  const bAddresses = await ep(gw, admin, 'GET', `/v2/customers/${b.customer.id}/addresses`);
  assert.deepEqual(bAddresses.json.data, [bAddress.json.data]);
});

test('an invalid customer token is 403 with either grant', async () => {
  const { customer: c } = await customerWithToken('Charlie');
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: c.id, scope: 'customer', jti: 'x', iat: now - 10, exp: now + 3600 };
  const invalid = {
    'garbage': 'not-a-jwt',
    'expired': signJwt({ ...claims, exp: now - 1 }, JWT_SECRET),
    'wrong secret': signJwt(claims, 'some-other-secret'),
    'alg none': `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`,
    'access token, not a customer token': admin,
    'implicit token, not a customer token': shopper,
    'no scope': signJwt({ sub: c.id, iat: now, exp: now + 3600 }, JWT_SECRET),
  };
  for (const [label, value] of Object.entries(invalid)) {
    for (const bearer of [shopper, admin]) {
      const res = await ep(gw, bearer, 'GET', `/v2/customers/${c.id}`, undefined, asCustomer(value));
      assertError(res, 403, { title: 'Forbidden' }, label);
    }
  }
  // An empty header counts as no token at all.
  assertJson(await ep(gw, admin, 'GET', `/v2/customers/${c.id}`, undefined, asCustomer('')), 200);
  assertError(await ep(gw, shopper, 'GET', `/v2/customers/${c.id}`, undefined, asCustomer('')), 403);
  // A hand-made token with the right secret, scope and subject is accepted:
  // the gateway's own signature is what counts.
  const forged = signJwt(claims, JWT_SECRET);
  assertJson(await ep(gw, shopper, 'GET', `/v2/customers/${c.id}`, undefined, asCustomer(forged)), 200);
});

test('expired access tokens are 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  const expired = signJwt({ scope: 'client_credentials', iat: now - 7200, exp: now - 3600, jti: 'e' }, JWT_SECRET);
  assertError(await ep(gw, expired, 'GET', '/v2/customers'), 401, { detail: 'Unable to validate access token' });
});
