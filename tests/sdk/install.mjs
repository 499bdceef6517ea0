// Installs the official Elastic Path SDKs listed in ./package.json from the
// npm registry into a scratch folder, once: the folder is keyed by the
// manifest, so an unchanged manifest reuses the previous run's install.
// Used by tests/blackbox/ep_sdk.test.mjs and ep_examples.test.mjs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const manifest = readFileSync(new URL('./package.json', import.meta.url));
export const sdkDir = join(tmpdir(), `customer-gateway-ep-sdk-${createHash('sha256').update(manifest).digest('hex').slice(0, 12)}`);

// Installs into a fresh folder and renames it into place, so an interrupted
// or concurrent install never leaves a half-filled copy behind. Returns the
// folder whose node_modules holds the SDKs.
export function installSdks() {
  if (existsSync(join(sdkDir, 'node_modules', '@moltin', 'sdk', 'package.json'))) return sdkDir;
  rmSync(sdkDir, { recursive: true, force: true });  // a broken copy from an older run
  const staging = mkdtempSync(`${sdkDir}-staging-`);
  try {
    writeFileSync(join(staging, 'package.json'), manifest);
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: staging, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      renameSync(staging, sdkDir);
    } catch (err) {
      if (!existsSync(sdkDir)) throw err;  // another run won the race; use its copy
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return sdkDir;
}

// Loads an installed SDK package, or null when it did not install.
export function loadSdk(name) {
  try {
    return createRequire(join(sdkDir, 'package.json'))(name);
  } catch {
    return null;
  }
}
