/**
 * Configuration from the environment, validated once at start. A bad value stops the process with
 * a message naming the variable, what was given and what is expected.
 */
import { isIP } from 'node:net';
import path from 'node:path';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absent: the embedded PostgreSQL (PGlite). Present: a real PostgreSQL through `pg`. */
  readonly databaseUrl: string | undefined;
  /** Where PGlite keeps its files; `memory://` keeps nothing (tests). */
  readonly dataDir: string;
  /**
   * Whether the queries marked for it are sent as named (server-side) prepared statements,
   * planned once per connection (src/db/prepared.ts). Off for a pooler that cannot carry them,
   * e.g. PgBouncer before 1.21 in transaction mode (docs/scaling.md).
   */
  readonly namedStatements: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** When set, start-up ensures a tenant with this admin key exists (local use and tests). */
  readonly bootstrapAdminKey: string | undefined;
  /** Fastify's request timeout, in ms (non-zero so a slow client cannot hold a socket forever). */
  readonly requestTimeoutMs: number;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
  /** Requests per minute per API key. */
  readonly rateLimitPerMinute: number;
  /**
   * Where the rate limit counts, shared by every replica: `redis` (REDIS_URL), `postgres` (the
   * service's own database), or `memory` (this process only: right for one process alone).
   */
  readonly rateLimitStore: RateLimitStoreKind;
  /**
   * With the `postgres` store, the share of the limit (in %) a process leases from the shared
   * counter at a time (at least one request): each process writes to PostgreSQL about once per
   * block instead of once per request. 0 leases one request at a time (a write per request).
   */
  readonly rateLimitLeasePercent: number;
  /**
   * Independent searches per formation run, each in its own worker thread (its own core), the best
   * kept. 1 (the default) leaves the other cores to the requests; 2 on a machine that can spare a
   * core finds better networks in the same time budget (docs/benchmarks.md, MDGPLIB).
   */
  readonly formationSearches: number;
  /** The Redis of the rate limit, e.g. `redis://127.0.0.1:6379`; absent: PostgreSQL counts. */
  readonly redisUrl: string | undefined;
  /** The prefix of the rate limit's Redis keys, so several services (or test runs) share one Redis. */
  readonly rateLimitRedisPrefix: string;
  /** Where mail goes (sign-in links), e.g. `smtp://user:pass@host:587`; absent: mail is written to the log. */
  readonly smtpUrl: string | undefined;
  /** The From of every mail the service sends. */
  readonly mailFrom: string;
  /** The base URL links in mail point to (no trailing slash), e.g. `https://sparring.example.dk`. */
  readonly publicUrl: string;
  /** Whether the member session cookie is `Secure` (sent over HTTPS only). */
  readonly secureCookies: boolean;
  /** Whether this process runs background work (webhook delivery, releases, sweeps). */
  readonly backgroundJobs: boolean;
  /** How often, in ms, this process asks whether a background task is due. */
  readonly schedulerPollMs: number;
  /** How many days domain events are kept (docs/events.md); at least 30. */
  readonly eventRetentionDays: number;
  /** How often, in ms, time-driven events (releases by deadline, signals) are looked for. */
  readonly eventAnnounceEveryMs: number;
  /**
   * Whether webhook endpoints may point at loopback, private, link-local, unique-local or
   * multicast addresses (docs/webhooks.md, SSRF policy). Off by default; tests and local use.
   */
  readonly webhookAllowPrivate: boolean;
  /** How long one webhook delivery attempt may take, in ms, before it counts as failed. */
  readonly webhookTimeoutMs: number;
}

export const RATE_LIMIT_STORES = ['redis', 'postgres', 'memory'] as const;
export type RateLimitStoreKind = (typeof RATE_LIMIT_STORES)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A DNS host name (RFC 1123 labels). */
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

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

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false; got "${raw}"`);
}

/** The URL in `name`, when set, if its scheme is one of `schemes`; else a ConfigError. */
function url(env: NodeJS.ProcessEnv, name: string, schemes: readonly string[]): URL | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL (${schemes.join(' or ')})`);
  }
  if (!schemes.includes(parsed.protocol.slice(0, -1))) {
    throw new ConfigError(`${name} must be a URL (${schemes.join(' or ')})`);
  }
  return parsed;
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
  // Credentials are told apart by their prefix: a key without `sk_` would be stored and then
  // never match a request (every call a 401), so it is refused here.
  if (bootstrapAdminKey !== undefined && !bootstrapAdminKey.startsWith('sk_')) {
    throw new ConfigError(
      'SPARRING_BOOTSTRAP_ADMIN_KEY must start with "sk_" (API keys do), e.g. sk_local_development_key',
    );
  }
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  if (isIP(host) === 0 && !HOSTNAME.test(host)) {
    throw new ConfigError(
      `HOST must be an IP address or a host name (e.g. 127.0.0.1, 0.0.0.0, ::); got "${host}"`,
    );
  }
  // Never echo SMTP_URL in the message: it carries the SMTP password.
  const smtpUrl = url(env, 'SMTP_URL', ['smtp', 'smtps']) ? env.SMTP_URL : undefined;
  const mailFrom = env.SPARRING_MAIL_FROM || 'Sparring <no-reply@sparring.local>';
  if (/[\r\n]/.test(mailFrom) || !mailFrom.includes('@')) {
    throw new ConfigError('SPARRING_MAIL_FROM must be one address, e.g. "Sparring <no-reply@example.dk>"');
  }
  const publicUrl = url(env, 'SPARRING_PUBLIC_URL', ['http', 'https']);
  if (publicUrl && (publicUrl.search || publicUrl.hash || publicUrl.username)) {
    throw new ConfigError('SPARRING_PUBLIC_URL must be a plain base URL (no query, fragment or credentials)');
  }
  // Never echo REDIS_URL either: it may carry a password.
  const redisUrl = url(env, 'REDIS_URL', ['redis', 'rediss']) ? env.REDIS_URL : undefined;
  // Replicas share the count (Redis, else their PostgreSQL); the embedded database is held by one
  // process at a time, so there the count stays in memory (no write per request on PGlite's one
  // connection).
  const rateLimitStore = (env.SPARRING_RATE_LIMIT_STORE ||
    (redisUrl ? 'redis' : databaseUrl ? 'postgres' : 'memory')) as RateLimitStoreKind;
  if (!RATE_LIMIT_STORES.includes(rateLimitStore)) {
    throw new ConfigError(
      `SPARRING_RATE_LIMIT_STORE must be one of ${RATE_LIMIT_STORES.join(', ')}; got "${rateLimitStore}"`,
    );
  }
  if (rateLimitStore === 'redis' && redisUrl === undefined) {
    throw new ConfigError('SPARRING_RATE_LIMIT_STORE=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379)');
  }
  // Links must open in a browser: 0.0.0.0 (listen everywhere) is reached locally as 127.0.0.1.
  const base = publicUrl
    ? publicUrl.toString().replace(/\/+$/, '')
    : `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  return {
    port,
    host,
    databaseUrl,
    dataDir: env.SPARRING_DATA_DIR || DEFAULT_DATA_DIR,
    logLevel: logLevel as Config['logLevel'],
    bootstrapAdminKey,
    requestTimeoutMs: integer(env, 'SPARRING_REQUEST_TIMEOUT_MS', 30_000, 1, 600_000),
    bodyLimitBytes: integer(env, 'SPARRING_BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    rateLimitPerMinute: integer(env, 'SPARRING_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    rateLimitStore,
    // 10 %: a block of 60 at the default limit of 600, so a process asks PostgreSQL about once
    // per 60 requests of a key, while a replica idle with its block holds back at most a tenth.
    rateLimitLeasePercent: integer(env, 'SPARRING_RATE_LIMIT_LEASE_PERCENT', 10, 0, 100),
    // One search: a 2-core machine keeps a core for requests while a run searches.
    formationSearches: integer(env, 'SPARRING_FORMATION_SEARCHES', 1, 1, 4),
    redisUrl,
    rateLimitRedisPrefix: env.SPARRING_RATE_LIMIT_REDIS_PREFIX || 'sparring-rate-limit:',
    smtpUrl,
    mailFrom,
    publicUrl: base,
    secureCookies: flag(env, 'SPARRING_SECURE_COOKIES', base.startsWith('https:')),
    backgroundJobs: flag(env, 'SPARRING_BACKGROUND_JOBS', true),
    namedStatements: flag(env, 'DATABASE_NAMED_STATEMENTS', true),
    schedulerPollMs: integer(env, 'SPARRING_SCHEDULER_POLL_MS', 1000, 50, 60_000),
    // 30 days, the floor promised to consumers (docs/events.md): a month of downtime can be caught up.
    eventRetentionDays: integer(env, 'SPARRING_EVENT_RETENTION_DAYS', 30, 30, 3650),
    // One minute: evaluation windows and signals move in days, so a minute's delay is immaterial.
    eventAnnounceEveryMs: integer(env, 'SPARRING_EVENT_ANNOUNCE_EVERY_MS', 60_000, 1000, 86_400_000),
    webhookAllowPrivate: flag(env, 'SPARRING_WEBHOOK_ALLOW_PRIVATE', false),
    // 15 s: the lower end of the Standard Webhooks spec's recommended 15–30 s request timeout.
    webhookTimeoutMs: integer(env, 'SPARRING_WEBHOOK_TIMEOUT_MS', 15_000, 100, 60_000),
  };
}
