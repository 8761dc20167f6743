/**
 * The suite's workers (test/workers/suite.ts, docs/testing.md): which files they run, in which
 * order, and the rule that keeps a file's tests inside its own subtest.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t, { standFor } from './helpers/tap.js';
import { checkTestFile, SLOWEST_FIRST, testFiles } from './workers/suite.js';

t.test('every test file of the service is run, once, the slowest known first', async (t) => {
  const files = testFiles(null);
  t.ok(files.includes('leaders.rest.test.ts'));
  t.ok(files.includes('test-workers.test.ts'), 'this file too');
  t.notOk(
    files.some((file) => file.startsWith('workers')),
    'not the workers themselves',
  );
  t.equal(new Set(files).size, files.length, 'each once');
  for (const name of SLOWEST_FIRST)
    t.ok(files.includes(name), `${name} exists (a stale name orders nothing)`);
  t.same(files.slice(0, SLOWEST_FIRST.length), SLOWEST_FIRST);
  const rest = files.slice(SLOWEST_FIRST.length);
  t.same(rest, [...rest].sort(), 'the others alphabetically');
  t.same(
    testFiles('cors.test.ts, test/auth-cache.test.ts'),
    ['auth-cache.test.ts', 'cors.test.ts'],
    'SPARRING_TEST_FILES',
  );
});

t.test("a test file importing tap's root is refused; every file here passes", async (t) => {
  t.match(checkTestFile("import t from 'tap';\n"), /helpers\/tap\.js/);
  t.match(checkTestFile("import t, { type Test } from 'tap';\n"), /helpers\/tap\.js/);
  t.equal(checkTestFile("import type { Test } from 'tap';\nimport t from './helpers/tap.js';\n"), undefined);
  const testDir = import.meta.dirname;
  for (const file of testFiles(null)) {
    t.equal(checkTestFile(readFileSync(path.join(testDir, file), 'utf8')), undefined, file);
  }
});

t.test('`t` stands for the subtest a worker gives it, then for the root again', async (t) => {
  const seen: string[] = [];
  await t.test('a file', async (file) => {
    const previous = standFor(file);
    try {
      const { default: shared } = await import('./helpers/tap.js');
      shared.test('registered on the file, not on the root', async (inner) => {
        seen.push(inner.fullname);
        inner.pass();
      });
    } finally {
      standFor(previous);
    }
  });
  t.equal(seen.length, 1, 'the test ran inside the file');
  t.match(seen[0], /a file > registered on the file, not on the root$/);
});
