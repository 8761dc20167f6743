/**
 * The domain's test files as its two workers run them (worker-1.test.ts, worker-2.test.ts; the
 * workers themselves: @sparring/test-workers, the repository's docs/testing.md). Run one process
 * per file, each file compiled the domain's modules again through ts-node: the suite took ~90 s
 * for ~50 s of tests; in two workers each module is compiled once per worker (~16 s in all).
 */
import path from 'node:path';
import type { Suite } from '@sparring/test-workers';

export const suite: Suite = {
  root: path.resolve(import.meta.dirname, '../..'),
  folders: ['src', 'test'],
  workers: 'test/workers',
  /** The four longest files in the workers, quiet, 2026-12-04 (docs/benchmarks.md, "Test speed"). */
  slowestFirst: [
    'test/package-build.test.ts', // 5.7 s
    'src/formation/form-networks.test.ts', // 5.2 s
    'src/formation/leader-space.test.ts', // 4.2 s
    'src/formation/progress.test.ts', // 2.7 s
  ],
  /** What .taprc gave a file before the workers (the property tests' longest runs). */
  fileTimeoutMs: 600_000,
};
