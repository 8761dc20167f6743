/**
 * The service's test files as its two workers run them (worker-1.test.ts, worker-2.test.ts; the
 * workers themselves: @sparring/test-workers, docs/testing.md). A service file pays an app import
 * and a copy of the template database; in a worker the import is paid once.
 */
import path from 'node:path';
import type { Suite } from '@sparring/test-workers';

export const suite: Suite = {
  root: path.resolve(import.meta.dirname, '../..'),
  folders: ['test'],
  workers: 'test/workers',
  /** The eight longest files in the quiet run of 2026-12-04 on PGlite (docs/benchmarks.md, "Test speed"). */
  slowestFirst: [
    'test/bad-input.test.ts', // 119 s
    'test/runtime.test.ts', // 55 s
    'test/webhooks.process.test.ts', // 22 s
    'test/replicas.test.ts', // 18 s
    'test/tenants.test.ts', // 15 s
    'test/formation.searches.test.ts', // 13 s
    'test/confidentiality.test.ts', // 12 s
    'test/webhooks.ssrf.test.ts', // 7 s
  ],
  /**
   * The longest file, bad-input, took 644 s on a machine at load 6–7 running one file per process,
   * and 1,160 s in a worker there with a benchmark beside it.
   */
  fileTimeoutMs: 1_800_000,
};
