/**
 * The test workers (@sparring/test-workers, docs/testing.md): which files they run, in which order,
 * and the rule that keeps a file's tests inside its own subtest; the service's suite as written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkTestFile, suiteProblems, testFiles } from '@sparring/test-workers';
import t, { standFor } from '@sparring/test-workers/tap';
import { suite } from './workers/suite.js';

t.test('every test file of the service is run, once, the slowest known first', async (t) => {
  const files = testFiles(suite, null);
  t.ok(files.includes('test/leaders.rest.test.ts'));
  t.ok(files.includes('test/test-workers.test.ts'), 'this file too');
  t.notOk(
    files.some((file) => file.startsWith('test/workers/')),
    'not the workers themselves',
  );
  t.equal(new Set(files).size, files.length, 'each once');
  t.same(files.slice(0, suite.slowestFirst.length), suite.slowestFirst);
  const rest = files.slice(suite.slowestFirst.length);
  t.same(rest, [...rest].sort(), 'the others alphabetically');
  t.same(
    testFiles(suite, 'cors.test.ts, test/auth-cache.test.ts'),
    ['test/auth-cache.test.ts', 'test/cors.test.ts'],
    'SPARRING_TEST_FILES',
  );
});

t.test("a test file importing tap's root is refused; every file here passes", async (t) => {
  t.match(checkTestFile("import t from 'tap';\n"), /test-workers\/tap/);
  t.match(checkTestFile("import t, { type Test } from 'tap';\n"), /test-workers\/tap/);
  t.equal(
    checkTestFile("import type { Test } from 'tap';\nimport t from '@sparring/test-workers/tap';\n"),
    undefined,
  );
  t.same(suiteProblems(suite), [], 'no stale name in slowestFirst, no file refused');
  t.same(
    suiteProblems({ ...suite, slowestFirst: ['test/gone.test.ts'] }),
    ['test/gone.test.ts: in slowestFirst, not a test file'],
    'a stale name is a problem',
  );
  const root = mkdtempSync(path.join(tmpdir(), 'sparring-suite-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(path.join(root, 'root.test.ts'), "import t from 'tap';\nt.pass();\n");
  t.match(suiteProblems({ ...suite, root, folders: ['.'], slowestFirst: [] }), [
    /^root\.test\.ts: imports tap's root test/,
  ]);
});

t.test('`t` stands for the subtest a worker gives it, then for the root again', async (t) => {
  const seen: string[] = [];
  await t.test('a file', async (file) => {
    const previous = standFor(file);
    try {
      const { default: shared } = await import('@sparring/test-workers/tap');
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
