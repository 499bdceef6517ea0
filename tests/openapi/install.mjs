// Installs the validators listed in ./package.json from the npm registry into
// a scratch folder, once: the folder is keyed by the manifest, so an unchanged
// manifest reuses the previous run's install (as tests/sdk/install.mjs does).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const manifest = readFileSync(new URL('./package.json', import.meta.url));
const toolsDir = join(tmpdir(), `customer-gateway-openapi-${createHash('sha256').update(manifest).digest('hex').slice(0, 12)}`);

// Installs into a fresh folder and renames it into place, so an interrupted
// or concurrent install never leaves a half-filled copy behind.
export function installTools() {
  if (!existsSync(join(toolsDir, 'node_modules', '@seriousme', 'openapi-schema-validator', 'package.json'))) {
    rmSync(toolsDir, { recursive: true, force: true });
    const staging = mkdtempSync(`${toolsDir}-staging-`);
    try {
      writeFileSync(join(staging, 'package.json'), manifest);
      execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: staging, stdio: ['ignore', 'ignore', 'pipe'] });
      try {
        renameSync(staging, toolsDir);
      } catch (err) {
        if (!existsSync(toolsDir)) throw err;  // another run won the race; use its copy
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return createRequire(join(toolsDir, 'package.json'));
}
