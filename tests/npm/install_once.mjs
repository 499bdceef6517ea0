// Installs the npm packages a manifest lists into a scratch folder, once: the
// folder is keyed by the manifest, so an unchanged manifest reuses the
// previous run's install. Shared by tests/sdk/install.mjs (the Elastic Path
// SDKs) and tests/openapi/install.mjs (the OpenAPI validators).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The folder `manifestUrl`'s packages go to, named `${prefix}-<manifest hash>`.
export function installDir(prefix, manifestUrl) {
  const manifest = readFileSync(manifestUrl);
  return join(tmpdir(), `${prefix}-${createHash('sha256').update(manifest).digest('hex').slice(0, 12)}`);
}

// Installs unless `marker` (a path inside node_modules) is already there.
// Installs into a fresh folder and renames it into place, so an interrupted
// or concurrent install never leaves a half-filled copy behind. Returns the
// folder whose node_modules holds the packages.
export function installOnce(prefix, manifestUrl, marker) {
  const dir = installDir(prefix, manifestUrl);
  if (existsSync(join(dir, 'node_modules', marker))) return dir;
  rmSync(dir, { recursive: true, force: true });  // a broken copy from an older run
  const staging = mkdtempSync(`${dir}-staging-`);
  try {
    writeFileSync(join(staging, 'package.json'), readFileSync(manifestUrl));
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: staging, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      renameSync(staging, dir);
    } catch (err) {
      if (!existsSync(dir)) throw err;  // another run won the race; use its copy
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}
