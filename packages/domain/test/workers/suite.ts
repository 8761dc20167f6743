/**
 * The domain's test files as its two workers run them (worker-1.test.ts, worker-2.test.ts; the
 * workers themselves: @sparring/test-workers, the repository's docs/testing.md). Run one process
 * per file, each file compiled the domain's modules again through ts-node: the suite took ~90 s
 * for ~50 s of tests; in two workers each module is compiled once per worker.
 */
import path from 'node:path';
import type { Suite } from '@sparring/test-workers';

export const suite: Suite = {
  root: path.resolve(import.meta.dirname, '../..'),
  folders: ['src', 'test'],
  workers: 'test/workers',
  /** The four longest files, one process per file, 2026-12-04 (seconds of their own tests). */
  slowestFirst: [
    'test/package-build.test.ts', // 11.8 s
    'src/formation/form-networks.test.ts', // 8.3 s
    'src/formation/progress.test.ts', // 8.1 s
    'src/formation/leader-space.test.ts', // 7.4 s
  ],
  /** What .taprc gave a file before the workers (the property tests' longest runs). */
  fileTimeoutMs: 600_000,
};
