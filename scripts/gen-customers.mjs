#!/usr/bin/env node
// Generates a customer export for import tests and benchmarks, as MicroBase
// (a mongoexport of micro-customer-service's `customers` collection, JSON lines)
// or Elastic Path (v2 customer objects with an `addresses` array) would hold it.
// Deterministic for a given seed.
//
//   node scripts/gen-customers.mjs [--format microbase|elastic-path] [--count N]
//        [--addresses MAX] [--seed S] [--hash BCRYPT] [--out FILE]
//
// Each customer gets 0..MAX addresses (default 3; 1.5 on average with MAX 3).
// MicroBase customers all share one bcrypt hash (default: a valid $2a$10$
// hash of "password"): hashing is not what an import measures.
import { createWriteStream } from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const format = args.format ?? 'microbase';
const count = Number(args.count ?? 1000);
const maxAddresses = Number(args.addresses ?? 3);
let seed = Number(args.seed ?? 42) >>> 0;
// bcrypt("password", cost 10), made with htpasswd -nbB -C 10 and relabelled 2a (same algorithm).
const hash = args.hash ?? '$2a$10$HllytO2PNulnz9bGEirADOJ9EY1IZrSvYOJJMX9KH7r3LeyIygST.';
if (!['microbase', 'elastic-path'].includes(format) || !(count >= 0)) {
  console.error('usage: gen-customers.mjs [--format microbase|elastic-path] [--count N] [--addresses MAX] [--seed S] [--out FILE]');
  process.exit(2);
}

// mulberry32: small, fast, deterministic.
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const SHORTID = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-';
function shortid(n) {
  // shortid's alphabet and usual length; the sequence number keeps ids unique.
  let s = '';
  for (let i = 0; i < 5; i++) s += SHORTID[Math.floor(random() * 64)];
  let v = n;
  do { s += SHORTID[v % 64]; v = Math.floor(v / 64); } while (v > 0);
  return s;
}
function uuid() {
  const hex = () => Math.floor(random() * 16).toString(16);
  const h = (k) => Array.from({ length: k }, hex).join('');
  return `${h(8)}-${h(4)}-4${h(3)}-${pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
}

const FIRST = ['Ron', 'Leslie', 'April', 'Andy', 'Ann', 'Chris', 'Tom', 'Donna', 'Jerry', 'Zoë', 'José', 'Åsa', '美咲', 'Ben', 'Mary Ann'];
const LAST = ['Swanson', 'Knope', 'Ludgate', 'Dwyer', 'Perkins', 'Traeger', 'Haverford', 'Meagle', 'Gergich', 'Núñez', 'Øster', '佐藤', 'Wyatt', 'van der Berg'];
const CITIES = [['Pawnee', 'Indiana', 'US'], ['Bloomington', 'Illinois', 'US'], ['London', 'Greater London', 'GB'], ['Berlin', 'Berlin', 'DE'], ['Lyon', 'Rhône', 'FR'], ['Osaka', 'Osaka', 'JP']];
const TAGS = ['VIP', 'newsletter', 'wholesale', 'b2b', 'returning'];
const START = Date.UTC(2016, 0, 1);

function address(first, last, i) {
  const [city, state, country] = pick(CITIES);
  const a = {
    name: pick(['Home', 'Work', 'Holiday', 'Parents']), firstName: first, lastName: last,
    address_1: `${1 + Math.floor(random() * 2000)} ${pick(['Main', 'Elm', 'High', 'Station'])} Street`,
    address_2: random() < 0.3 ? `Unit ${i + 1}` : '',
    postCode: String(10000 + Math.floor(random() * 89999)), city, state, country,
  };
  if (random() < 0.5) a.company = `${last} Enterprises`;
  if (random() < 0.6) a.phone = 2000000000 + Math.floor(random() * 7999999999);
  if (random() < 0.2) a.instructions = 'Leave behind the bin';
  return a;
}

const out = args.out ? createWriteStream(args.out) : process.stdout;
let buffer = '';
let addressSeq = 0;
for (let n = 0; n < count; n++) {
  const first = pick(FIRST);
  const last = pick(LAST);
  const created = START + Math.floor(random() * 2.5e10);
  const updated = created + Math.floor(random() * 1e9);
  const email = `${first}.${last}.${n}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, 'x');
  const addresses = Array.from({ length: Math.floor(random() * (maxAddresses + 1)) }, (_, i) => address(first, last, i));
  let record;
  if (format === 'microbase') {
    record = {
      _id: shortid(n), email, password: hash, firstName: first, lastName: last,
      status: random() < 0.9 ? 'ACTIVE' : 'INACTIVE',
      tags: TAGS.filter(() => random() < 0.2),
      addresses: addresses.map((a) => ({ ...a, id: shortid(count + addressSeq++) })),
      createdAt: { $date: new Date(created).toISOString() },
      updatedAt: { $date: new Date(updated).toISOString() },
      __v: 0,
    };
  } else {
    const id = uuid();
    const stamps = { created_at: new Date(created).toISOString(), updated_at: new Date(updated).toISOString() };
    record = {
      type: 'customer', id, name: `${first} ${last}`, email, external_ref: random() < 0.3 ? `crm-${n}` : null,
      password: false, meta: { timestamps: stamps },
      addresses: addresses.map((a) => ({
        type: 'address', id: uuid(), name: a.name, first_name: a.firstName, last_name: a.lastName,
        line_1: a.address_1, line_2: a.address_2 || null, postcode: a.postCode, city: a.city,
        region: a.state, county: null, country: a.country, company_name: a.company ?? null,
        phone_number: a.phone !== undefined ? String(a.phone) : null, instructions: a.instructions ?? null,
        meta: { timestamps: stamps },
      })),
    };
  }
  buffer += JSON.stringify(record) + '\n';
  if (buffer.length > 1 << 20) { out.write(buffer); buffer = ''; }
}
out.write(buffer);
if (args.out) out.end();
