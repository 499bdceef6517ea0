// Installs the validators listed in ./package.json from the npm registry,
// once per manifest (tests/npm/install_once.mjs).
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { installOnce } from '../npm/install_once.mjs';

const MANIFEST = new URL('./package.json', import.meta.url);

// Returns a require() that loads from the installed validators.
export function installTools() {
  const dir = installOnce('customer-gateway-openapi', MANIFEST,
    join('@seriousme', 'openapi-schema-validator', 'package.json'));
  return createRequire(join(dir, 'package.json'));
}
