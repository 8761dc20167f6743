/**
 * Configuration from the environment, validated once at start. A bad value stops the process with
 * a message naming the variable, what was given and what is expected.
 */
import path from 'node:path';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absent: the embedded PostgreSQL (PGlite). Present: a real PostgreSQL through `pg`. */
  readonly databaseUrl: string | undefined;
  /** Where PGlite keeps its files; `memory://` keeps nothing (tests). */
  readonly dataDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** When set, start-up ensures a tenant with this admin key exists (local use and tests). */
  readonly bootstrapAdminKey: string | undefined;
  /** Fastify's request timeout, in ms (non-zero so a slow client cannot hold a socket forever). */
  readonly requestTimeoutMs: number;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
  /** Requests per minute per API key. */
  readonly rateLimitPerMinute: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The default data folder: `.data/` at the repository root, so `pnpm start` survives a restart. */
const DEFAULT_DATA_DIR = path.resolve(import.meta.dirname, '../../../.data/pglite');

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
  }
  return value;
}

/** Reads and validates the configuration. Throws ConfigError with a clear message on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}"`);
  }
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const bootstrapAdminKey = env.SPARRING_BOOTSTRAP_ADMIN_KEY || undefined;
  if (bootstrapAdminKey !== undefined && bootstrapAdminKey.length < 16) {
    throw new ConfigError('SPARRING_BOOTSTRAP_ADMIN_KEY must be at least 16 characters');
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir: env.SPARRING_DATA_DIR || DEFAULT_DATA_DIR,
    logLevel: logLevel as Config['logLevel'],
    bootstrapAdminKey,
    requestTimeoutMs: integer(env, 'SPARRING_REQUEST_TIMEOUT_MS', 30_000, 1, 600_000),
    bodyLimitBytes: integer(env, 'SPARRING_BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    rateLimitPerMinute: integer(env, 'SPARRING_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
  };
}
