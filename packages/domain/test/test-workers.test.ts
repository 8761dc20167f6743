/** The domain's suite as its workers run it (test/workers/suite.ts, @sparring/test-workers). */
import { suiteProblems, testFiles } from '@sparring/test-workers';
import t from '@sparring/test-workers/tap';
import { suite } from './workers/suite.js';

t.test('every test file of the domain is run, once, none refused', async (t) => {
  const files = testFiles(suite, null);
  t.ok(files.includes('src/charter.test.ts'), 'a file beside its module');
  t.ok(files.includes('src/formation/matrix.test.ts'), 'one in a folder below');
  t.ok(files.includes('test/test-workers.test.ts'), 'this file');
  t.notOk(
    files.some((file) => file.startsWith('test/workers/')),
    'not the workers',
  );
  t.equal(new Set(files).size, files.length, 'each once');
  t.same(files.slice(0, suite.slowestFirst.length), suite.slowestFirst, 'the slowest first');
  t.same(suiteProblems(suite), []);
});
