// Checks the package as it would be published: packs it to a temporary folder (prepack builds
// dist/ afresh; publishConfig.exports drops the workspace-only "@sparring/source" condition), then
// runs publint (warnings count as errors) and attw (ESM-only profile: the package has no CommonJS
// entry, so the node10 and CommonJS-importing-ESM resolutions do not apply) on the tarball.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The pnpm running this script (npx pnpm@…) when it says so, else the one on PATH.
const pnpm = process.env.npm_execpath?.match(/pnpm\.c?js$/)
  ? [process.execPath, process.env.npm_execpath]
  : ['pnpm'];
const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });

const out = mkdtempSync(join(tmpdir(), 'sparring-domain-pack-'));
try {
  run(pnpm[0], [...pnpm.slice(1), 'pack', '--pack-destination', out]);
  const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack left no tarball in ${out}`);
  run('publint', ['run', '--strict', join(out, tarball)]);
  run('attw', ['--profile', 'esm-only', join(out, tarball)]);
} catch (error) {
  console.error(`check:package failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
