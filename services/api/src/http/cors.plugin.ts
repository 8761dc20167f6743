/**
 * CORS for browser clients of `/v1` and `/graphql`, per tenant (docs/browser-clients.md). A
 * tenant's admin lists the origins whose browser code may call the API with the tenant's
 * credentials (`corsOrigins`, tenant settings). The member pages under `/m/`, `/docs` and
 * everything else are same-origin only.
 *
 * A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) carries no
 * credential, so the tenant is not known when it arrives:
 *
 * - the preflight is allowed for an origin that ANY tenant lists (@fastify/cors answers it 204
 *   with the allowed methods and request headers); for an origin no tenant lists it is a 403
 *   `cors_origin_not_allowed` problem, without `Access-Control-Allow-Origin`;
 * - the actual request carries the credential: `Access-Control-Allow-Origin` (with the headers a
 *   client reads, `Access-Control-Expose-Headers`) is sent only when the caller's tenant lists
 *   the origin. A response with no caller (a refused credential, a rate-limited request) is
 *   readable by an origin any tenant lists, so a browser client can read its 401 or 429
 *   problem; it holds nothing of any tenant.
 *
 * No `Access-Control-Allow-Credentials`: the API authenticates with the `Authorization` header,
 * which a browser sends on a cross-origin request without credentials mode; cookies (the member
 * session) never reach `/v1` or `/graphql` from another origin. There is no wildcard either: a
 * tenant lists each origin.
 *
 * Every tenant's origins are held in memory (`CorsOriginIndex`), reloaded at most every
 * `CORS_CACHE_TTL_MS` and at once when this process changes a tenant's list.
 */
import cors from '@fastify/cors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { problem } from '../errors/problem.js';

/**
 * How long the origins of every tenant are reused before they are read again: a change made on
 * another replica is seen by this one's preflights within 5 s, for one small query per 5 s per
 * replica (a change made through this process is seen at once).
 */
export const CORS_CACHE_TTL_MS = 5_000;

/**
 * How long a browser may reuse a preflight's answer: 2 hours, Chromium's ceiling
 * (services/network/public/cpp/cors/preflight_result.cc, kMaxTimeout; Firefox allows 24 h). A
 * stale preflight lets nothing through: each actual request is checked against its tenant.
 */
export const CORS_PREFLIGHT_MAX_AGE_S = 7_200;

/** The methods the API's routes use. */
export const CORS_ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The request headers a client sends (beyond the CORS-safelisted ones). */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'If-Match',
  'If-None-Match',
  'X-Request-Id',
] as const;

/**
 * The response headers a client reads (beyond the CORS-safelisted ones): the version for
 * If-Match, where a created resource is, the replay marker, the request id for support, and the
 * rate limit (@fastify/rate-limit's `x-ratelimit-*` names, and the IETF draft's `RateLimit-*`
 * ones, which its `enableDraftSpec` option sends).
 */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Retry-After',
  'Idempotent-Replayed',
  'X-Request-Id',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'RateLimit',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
] as const;

/** True for a path CORS applies to: the REST API and GraphQL. */
export function corsApplies(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  return path.startsWith('/v1/') || path === '/graphql' || path === '/graphql/';
}

type Loader = () => Promise<readonly { tenantId: string; origins: readonly string[] }[]>;

/**
 * Which tenants list each origin, from memory. Reloaded when older than `ttlMs` or when
 * `generation()` moved (this process changed a list); concurrent callers share one reload. When
 * a reload fails (the database is away) the last known lists stay in use and the failure is
 * reported once per attempt; the next attempt waits for the TTL.
 */
export class CorsOriginIndex {
  #byOrigin = new Map<string, ReadonlySet<string>>();
  #loadedAt = Number.NEGATIVE_INFINITY;
  #generation = Number.NaN;
  #reloading: Promise<void> | undefined;

  constructor(
    private readonly load: Loader,
    private readonly options: {
      readonly ttlMs: number;
      readonly generation: () => number;
      readonly now?: () => number;
      readonly onError?: (error: unknown) => void;
    },
  ) {}

  /** The tenants that list `origin` (empty when none does). */
  async tenantsOf(origin: string): Promise<ReadonlySet<string>> {
    await this.#fresh();
    return this.#byOrigin.get(origin) ?? new Set();
  }

  /** True when any tenant lists `origin`. */
  async anyTenantAllows(origin: string): Promise<boolean> {
    return (await this.tenantsOf(origin)).size > 0;
  }

  /** True when tenant `tenantId` lists `origin`. */
  async tenantAllows(tenantId: string, origin: string): Promise<boolean> {
    return (await this.tenantsOf(origin)).has(tenantId);
  }

  async #fresh(): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    const generation = this.options.generation();
    if (generation === this.#generation && now - this.#loadedAt < this.options.ttlMs) return;
    this.#reloading ??= this.#reload(now, generation).finally(() => {
      this.#reloading = undefined;
    });
    await this.#reloading;
  }

  async #reload(now: number, generation: number): Promise<void> {
    try {
      const byOrigin = new Map<string, Set<string>>();
      for (const { tenantId, origins } of await this.load()) {
        for (const origin of origins) {
          const tenants = byOrigin.get(origin) ?? new Set<string>();
          tenants.add(tenantId);
          byOrigin.set(origin, tenants);
        }
      }
      this.#byOrigin = byOrigin;
    } catch (error) {
      this.options.onError?.(error);
    }
    // Also after a failure: the next attempt waits for the TTL instead of every request trying.
    this.#loadedAt = now;
    this.#generation = generation;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Which tenants allow which browser origins (CORS). */
    corsOrigins: CorsOriginIndex;
  }
}

/** Adds `Origin` to the response's `Vary` (a cache must not serve one origin's answer to another). */
function varyOnOrigin(reply: FastifyReply) {
  const current = reply.getHeader('vary');
  const values = String(current ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.includes('*') || values.some((v) => v.toLowerCase() === 'origin')) return;
  reply.header('vary', [...values, 'Origin'].join(', '));
}

const isPreflight = (request: FastifyRequest) =>
  typeof request.headers.origin === 'string' &&
  typeof request.headers['access-control-request-method'] === 'string';

/** Where the tenants' origins come from (the tenant settings: tenants/tenant-settings.service.ts). */
export interface CorsPluginOptions {
  /** Every tenant that lists an origin, with its origins. */
  readonly origins: (db: Kysely<Database>) => ReturnType<Loader>;
  /** A number that changes whenever this replica changes a tenant's origins. */
  readonly generation: () => number;
}

export default fp<CorsPluginOptions>(
  async (app, { origins, generation }) => {
    const index = new CorsOriginIndex(() => origins(app.db), {
      ttlMs: CORS_CACHE_TTL_MS,
      generation,
      onError: (error) => {
        const { code, message } = error as { code?: unknown; message?: unknown };
        app.log.warn({ cause: { code, message } }, 'CORS origins could not be read; the last known are used');
      },
    });
    app.decorate('corsOrigins', index);

    // Preflights: @fastify/cors in a context of its own, so that its hook runs on its OPTIONS
    // route only. Anything under another path, or an OPTIONS that is not a preflight, is a 404.
    await app.register(async (scope) => {
      await scope.register(cors, {
        hook: 'onRequest',
        delegator: async (request: FastifyRequest) => {
          if (!corsApplies(request.url) || !isPreflight(request)) return { origin: false };
          const origin = request.headers.origin as string;
          if (!(await index.anyTenantAllows(origin)))
            throw problem(
              'cors_origin_not_allowed',
              `No tenant allows browser calls from ${JSON.stringify(origin).slice(0, 300)}; a tenant's admin lists it in corsOrigins (PATCH /v1/tenant)`,
            );
          return {
            origin,
            methods: [...CORS_ALLOWED_METHODS],
            allowedHeaders: [...CORS_ALLOWED_HEADERS],
            maxAge: CORS_PREFLIGHT_MAX_AGE_S,
          };
        },
      });
    });

    // Actual requests: decided when the caller is known (the auth plugin has run, or refused).
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.method === 'OPTIONS' || !corsApplies(request.url)) return payload;
      varyOnOrigin(reply);
      const origin = request.headers.origin;
      if (typeof origin !== 'string') return payload;
      const tenantId = request.principal?.tenantId;
      const allowed =
        tenantId === undefined
          ? await index.anyTenantAllows(origin)
          : await index.tenantAllows(tenantId, origin);
      if (allowed) {
        reply.header('access-control-allow-origin', origin);
        reply.header('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
      }
      return payload;
    });
  },
  { name: 'cors', fastify: '5.x', dependencies: ['database', 'auth', 'errors'] },
);
