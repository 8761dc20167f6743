/**
 * How long each phase of this process's start-up took, in ms: server.ts logs them in its
 * "sparring is ready" line, and `pnpm bench:startup` reads them from there. A phase run again (an
 * app built twice in one process, as tests do) keeps its last duration.
 */
export const startupTimings: Record<string, number> = {};

/** Runs `phase` and records how long it took under `name`. */
export async function timed<T>(name: string, phase: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await phase();
  } finally {
    startupTimings[name] = Math.round(performance.now() - start);
  }
}
