/**
 * One process at a time on the embedded database's data folder. PGlite has no lock of its own:
 * two processes opening the same folder (the running server and `pnpm sparring tenant create`,
 * say) each work on their own copy in memory and write it back over the other's, so what one of
 * them wrote is lost (a tenant whose printed key never works). Like PostgreSQL's `postmaster.pid`,
 * the process that opens the folder writes its pid to `sparring.pid` in it and removes it when
 * it closes the database; another process finding the pid of a running process there refuses to
 * open. A file left by a process that died (its pid no longer runs) is taken over.
 */
import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'sparring.pid';

/** Another running process has the embedded database's folder open. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by another process (pid ${pid}), e.g. a running ` +
        'server: stop it first (or use a PostgreSQL server through DATABASE_URL, which many processes ' +
        `can share). If no such process runs, remove ${path.join(dataDir, LOCK_FILE)}.`,
    );
  }
}

/** Whether a process with this pid runs (EPERM: it runs, as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Takes the data folder (which must exist) for this process and returns the release, which is
 * also run when the process exits. Throws DataDirInUseError when a running process holds it.
 * The pid file appears whole or not at all: it is written under a private name and hard-linked
 * into place, which fails when the file exists (link(2) never replaces).
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  const draft = path.join(dataDir, `${LOCK_FILE}.${process.pid}`);
  writeFileSync(draft, `${process.pid}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 2) throw error;
      }
      const holder = readHolder(file);
      // Our own pid is a file left by an earlier process that had it (a container's pid 1).
      if (holder !== undefined && holder !== process.pid && isRunning(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      rmSync(file, { force: true }); // left by a process that died
    }
  } finally {
    rmSync(draft, { force: true });
  }
  const release = () => {
    process.off('exit', release);
    if (readHolder(file) === process.pid) unlinkSync(file);
  };
  process.on('exit', release);
  return release;
}
