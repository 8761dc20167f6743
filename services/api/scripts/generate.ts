/**
 * `pnpm generate`: writes the API contract files (OpenAPI document, typed client, GraphQL SDL)
 * from the service's code. `--check` writes nothing and exits 1 naming the stale files.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { contractFiles } from './contract.js';

const root = path.resolve(import.meta.dirname, '../../..');
const check = process.argv.includes('--check');
const config = loadConfig({
  ...process.env,
  SPARRING_DATA_DIR: 'memory://',
  DATABASE_URL: '',
  SPARRING_BACKGROUND_JOBS: 'false',
});
// Opened before the app, so a slow first PGlite start is not a plugin timeout.
const database = await openDatabase({ url: undefined, dataDir: config.dataDir });
const app = await buildApp(config, { database, logger: false });
await app.ready();
const stale: string[] = [];
try {
  for (const [file, content] of await contractFiles(app)) {
    const target = path.join(root, file);
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current === content) continue;
    stale.push(file);
    if (!check) await writeFile(target, content);
  }
} finally {
  await app.close();
}
if (check && stale.length > 0) {
  console.error(`stale contract files (run pnpm generate): ${stale.join(', ')}`);
  process.exit(1);
}
console.log(stale.length === 0 ? 'contract files are up to date' : `wrote ${stale.join(', ')}`);
