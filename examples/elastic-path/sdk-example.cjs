// The official Elastic Path JavaScript SDK against the gateway: nothing but
// host and protocol changed, plus the settings every Node program should use
// (own storage and name per instance, no cart). README.md says how to run it.
//
//   GATEWAY_HOST=127.0.0.1:8080 CLIENT_ID=... CLIENT_SECRET=... node sdk-example.cjs
//
// Works the same with require('@elasticpath/js-sdk').
const { gateway, MemoryStorageFactory } = require('@moltin/sdk');

const base = {
  host: process.env.GATEWAY_HOST || '127.0.0.1:8080',
  protocol: process.env.GATEWAY_PROTOCOL || 'http',
  disableCart: true,
};
// The back office: client credentials, full access.
const admin = gateway({
  ...base, name: 'admin', storage: new MemoryStorageFactory(),
  client_id: process.env.CLIENT_ID, client_secret: process.env.CLIENT_SECRET,
});
// The storefront: implicit, reaches a customer only with that customer's token.
// One attempt: the SDK would otherwise retry a 401 (a wrong password) for ~7 s.
const shop = gateway({
  ...base, name: 'shop', storage: new MemoryStorageFactory(),
  client_id: process.env.CLIENT_ID, fetchMaxAttempts: 1,
});

function show(step, value) {
  process.stdout.write(`${step}: ${JSON.stringify(value)}\n`);
}

async function main() {
  await admin.Authenticate();
  await shop.Authenticate();
  const email = process.env.EMAIL || `ron.${Date.now()}@swanson.com`;
  const password = 'mysecretpassword';

  // Storefront self-registration.
  const { data: ron } = await shop.Customers.Create({ name: 'Ron Swanson', email, password });
  show('created', ron);

  // Back office: read, update, search.
  show('got', (await admin.Customers.Get(ron.id)).data);
  show('updated', (await admin.Customers.Update(ron.id, { external_ref: 'crm-0042' })).data);
  const page = await admin.Customers.Filter({ eq: { email } }).Sort('-created_at').Limit(10).Offset(0).All();
  show('found', { ids: page.data.map((c) => c.id), meta: page.meta });

  // Storefront login, then the shopper's own record and addresses.
  const { data: login } = await shop.Customers.TokenViaPassword(email, password);
  const customer = login.customer_id;
  const token = login.token;
  show('customer token', { customer, expires: login.expires });
  show('own record', (await shop.Customers.Get(customer, token)).data);
  const { data: address } = await shop.CustomerAddresses.Create({
    customer, token,
    body: {
      first_name: 'Ron', last_name: 'Swanson', name: 'Cabin', line_1: '1 Sunny Street',
      city: 'Sunny Town', county: 'Sunnyville', postcode: 'SU33 1YY', country: 'GB',
    },
  });
  show('address created', address);
  show('addresses', (await shop.CustomerAddresses.All({ customer, token })).data.map((a) => a.id));
  show('address', (await shop.CustomerAddresses.Get({ customer, address: address.id, token })).data.city);
  const { data: moved } = await shop.CustomerAddresses.Update({ customer, address: address.id, token, body: { city: 'Eagleton' } });
  show('address updated', moved.city);
  await shop.CustomerAddresses.Delete({ customer, address: address.id, token });
  show('address deleted', address.id);

  // Errors reject with the JSON:API body; the status is errors[0].status.
  try {
    await shop.Customers.All();
  } catch (err) {
    show('shop may not list customers', err.errors[0]);
  }

  await admin.Customers.Delete(ron.id);
  show('deleted', ron.id);
}

// The SDK logs "Token status: ..." before each request; keep the output readable.
console.info = () => {};
main().catch((err) => {
  process.stderr.write(`failed: ${err instanceof Error ? err.stack : JSON.stringify(err)}\n`);
  process.exit(1);
});
