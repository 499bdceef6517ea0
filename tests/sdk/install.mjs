// Installs the official Elastic Path SDKs listed in ./package.json from the
// npm registry, once per manifest (tests/npm/install_once.mjs).
// Used by tests/blackbox/ep_sdk.test.mjs and ep_examples.test.mjs.
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { installDir, installOnce } from '../npm/install_once.mjs';

const PREFIX = 'customer-gateway-ep-sdk';
const MANIFEST = new URL('./package.json', import.meta.url);
export const sdkDir = installDir(PREFIX, MANIFEST);

// Returns the folder whose node_modules holds the SDKs.
export function installSdks() {
  return installOnce(PREFIX, MANIFEST, join('@moltin', 'sdk', 'package.json'));
}

// Loads an installed SDK package, or null when it did not install.
export function loadSdk(name) {
  try {
    return createRequire(join(sdkDir, 'package.json'))(name);
  } catch {
    return null;
  }
}
