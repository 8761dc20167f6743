/**
 * The `t` every test file imports (`import t from '@sparring/test-workers/tap'`) instead of tap's
 * own root.
 *
 * Run alone (`npx tap test/x.test.ts`), it is tap's root test, exactly as `import t from 'tap'`.
 * Run by a package's test workers (./index.ts), many test files share one process, one after
 * another, and each runs inside a subtest of its own: `t` then stands for that subtest, so the
 * file's tests, its `t.teardown` (closing an app, say) and its failures belong to the file, and
 * its teardown runs before the next file starts. A file written against tap's root instead would
 * register on the worker's root, so the workers refuse a test file that imports tap's `t`
 * (`checkTestFile` in ./index.ts).
 */
import tap from 'tap';

type Root = typeof tap;

let current: Root = tap;

/**
 * Makes `t` stand for `test` (a worker's subtest for one file) from now on, or for tap's root again
 * with no argument. A worker sets it when a file's subtest starts and resets it after that subtest
 * has ended: the file's tests run after its import has returned, and may use its `t` until then.
 * Returns what `t` stood for before.
 */
export function standFor(test?: object): object {
  const previous = current;
  current = (test ?? tap) as Root;
  return previous;
}

const t: Root = new Proxy(tap, {
  get(_, key) {
    const value = Reflect.get(current, key, current);
    return typeof value === 'function' ? value.bind(current) : value;
  },
  set: (_, key, value) => Reflect.set(current, key, value, current),
  has: (_, key) => Reflect.has(current, key),
});

export default t;
