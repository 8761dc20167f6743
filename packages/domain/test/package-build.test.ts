/**
 * "Another program can import @sparring/domain and run the whole method on plain data": the
 * package is built as it would be published (tsc, tsconfig.build.json, no Node types), and plain
 * Node — no TypeScript loader — runs docs/domain.md's example against the built files.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from '@sparring/test-workers/tap';
import ts from 'typescript';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

t.test('the built package runs the docs example in plain Node', (t) => {
  // Inside the package, so the built files resolve its dependencies (date-fns, pure-rand) as published.
  const out = mkdtempSync(join(packageDir, '.build-test-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  // Its own build info too: the config's (dist/.tsbuildinfo) would tell the service's `tsc -b`
  // that dist/ is up to date while dist/ still holds the previous build.
  execFileSync(
    process.execPath,
    [
      tsc,
      '-p',
      join(packageDir, 'tsconfig.build.json'),
      '--outDir',
      out,
      '--tsBuildInfoFile',
      join(out, '.tsbuildinfo'),
    ],
    { stdio: 'pipe' },
  );

  const docs = readFileSync(join(packageDir, '../../docs/domain.md'), 'utf8');
  const section = docs.slice(docs.indexOf('## Example: using the package from another program'));
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  t.ok(example, 'docs/domain.md has the example');
  const js = ts
    .transpileModule(example!, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    })
    .outputText.replace("'@sparring/domain'", `'${pathToFileURL(join(out, 'index.js')).href}'`);
  const program = join(out, 'example.mjs');
  writeFileSync(program, js);
  // No --import/--loader: the parent's TypeScript hooks must not reach the child.
  const printed = execFileSync(process.execPath, [program], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const lines = printed.trim().split('\n');
  t.equal(lines[0], 'ready', 'six members who all accepted the charter may start');
  t.same(
    lines.slice(1, 4),
    ['1 2026-09-15T15:00:00.000Z', '2 2026-10-15T15:00:00.000Z', '3 2026-11-16T16:00:00.000Z'],
    'the dates the example promises in its comments',
  );
  const roles = lines.slice(4).map((l) => /^(\w+) \{ kind: 'member', memberId: '(\w+)' \} (.+)$/.exec(l));
  t.same(
    roles.map((m) => m?.[1]),
    ['coordinator', 'host', 'agenda_owner', 'facilitator'],
    'every role is assigned',
  );
  t.notOk(
    roles.some((m) => m?.[2] === 'bo'),
    'bo gave afbud and holds no role',
  );
  t.ok(
    roles.every((m) => m?.[3]?.startsWith('Fewest past turns')),
    'each assignment is explained',
  );
  t.end();
});
