/**
 * Authentication: `Authorization: Bearer <key>`. An API key acts as its tenant's admin (the HR
 * platform); a member token (see members/) acts as one leader. Each route says what it needs in
 * `config.auth`; routes under /v1 and /graphql need a credential unless they say `public`.
 *
 * A valid API key is remembered for API_KEY_CACHE_MS (1 s) by its hash, so a busy client costs one
 * key lookup per second instead of one per request. A revoked key is therefore refused within a
 * second on every replica (each keeps its own short-lived copy; nothing has to be told). Unknown
 * and revoked keys are never remembered: they are looked up every time.
 */
import type { FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { bearerCredential, credentialHash } from '../auth/credential.js';
import { type AdminPrincipal, type Principal, requireAdmin } from '../auth/principal.js';
import { adminOf } from '../auth/request.js';
import type { Database } from '../db/schema.js';
import { problem } from '../errors/problem.js';
import { addRouteHook, methodsOf } from '../http/route-hooks.js';
import { recordTokenActions, restAction } from '../members/token-audit.js';
import { API_KEY_PREFIX } from '../tenants/api-key.js';
import { findApiKeyByHash } from '../tenants/tenant.repository.js';

export type { AdminPrincipal, MemberPrincipal, Principal } from '../auth/principal.js';
export { requireAdmin } from '../auth/principal.js';

/** What a route requires: any credential, an admin key, a member token, or nothing. */
export type AuthRequirement = 'any' | 'admin' | 'member' | 'public';

/**
 * Resolves a bearer credential of another kind (member tokens register one) by its stored form
 * (`hashSecret`), computed once per request (`credentialHash`).
 */
export type CredentialResolver = (db: Kysely<Database>, hash: string) => Promise<Principal | undefined>;

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRequirement;
  }
  interface FastifyInstance {
    /** Adds a resolver for credentials with this prefix (e.g. member tokens). */
    registerCredentialResolver(prefix: string, resolver: CredentialResolver): void;
    /** The principal of a request that must be an admin (throws the 401/403 problem otherwise). */
    requireAdmin(request: FastifyRequest): AdminPrincipal;
    /** Valid API keys remembered for API_KEY_CACHE_MS. */
    apiKeyCache: ApiKeyCache;
  }
}

/**
 * How long a valid API key is taken on trust without asking the database again: also the longest
 * a revoked key keeps working. One second bounds revocation tightly enough for an HR platform's
 * key while saving a round trip on every request but one per second and key (docs/benchmarks.md).
 */
export const API_KEY_CACHE_MS = 1_000;
/** At most this many keys are remembered (the oldest is forgotten first). */
const API_KEY_CACHE_SIZE = 10_000;

/**
 * Valid API keys by hash, each until its deadline. Entries are only ever added from a database
 * answer, so the cache never outlives the key by more than `ttlMs`.
 */
export class ApiKeyCache {
  readonly #entries = new Map<string, { principal: AdminPrincipal; until: number }>();
  constructor(
    private readonly ttlMs = API_KEY_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get(hash: string): AdminPrincipal | undefined {
    const entry = this.#entries.get(hash);
    if (entry === undefined) return undefined;
    if (entry.until > this.now()) return entry.principal;
    this.#entries.delete(hash);
    return undefined;
  }

  /** Forgets every key (tests that count round trips start from a known state). */
  clear(): void {
    this.#entries.clear();
  }

  set(hash: string, principal: AdminPrincipal, fetchedAt: number): void {
    if (this.ttlMs <= 0) return;
    this.#entries.delete(hash);
    this.#entries.set(hash, { principal, until: fetchedAt + this.ttlMs });
    if (this.#entries.size > API_KEY_CACHE_SIZE) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

export default fp(
  async (app) => {
    const resolvers = new Map<string, CredentialResolver>();
    const apiKeys = new ApiKeyCache();
    app.decorate('apiKeyCache', apiKeys);
    resolvers.set(API_KEY_PREFIX, async (db, hash) => {
      const cached = apiKeys.get(hash);
      if (cached) return cached;
      // The deadline counts from before the question: the answer may be older than its arrival.
      const askedAt = Date.now();
      const key = await findApiKeyByHash(db, hash);
      if (!key) return undefined;
      const principal: AdminPrincipal = Object.freeze({
        kind: 'admin',
        tenantId: key.tenant_id,
        keyId: key.id,
      });
      apiKeys.set(hash, principal, askedAt);
      return principal;
    });
    app.decorate('registerCredentialResolver', (prefix: string, resolver: CredentialResolver) => {
      resolvers.set(prefix, resolver);
    });
    app.decorate('requireAdmin', adminOf);
    app.decorateRequest('principal', null);

    // "Who acted for me": a successful REST write with a minted member token is recorded before the
    // response leaves (GraphQL mutations are recorded by the GraphQL plugin).
    // On routes that write only (a route-level hook, ../http/route-hooks.ts): reads skip it.
    const writes = (route: RouteOptions) => methodsOf(route).some((m) => m !== 'GET' && m !== 'HEAD');
    addRouteHook(app, 'onSend', writes, async (request, reply, payload) => {
      const p = request.principal;
      if (p?.kind !== 'member' || p.via !== 'token') return payload;
      if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode >= 300) return payload;
      // A replayed Idempotency-Key response did nothing new.
      if (reply.getHeader('idempotent-replayed') === 'true') return payload;
      const route = request.routeOptions.url;
      if (route === undefined || route === '/graphql') return payload;
      await recordTokenActions(app.db, p, [restAction(request.method, route)], new Date());
      return payload;
    });

    app.addHook('onRequest', async (request) => {
      const url = request.routeOptions.url ?? request.url;
      const protectedByDefault = url.startsWith('/v1/') || url === '/graphql';
      const requirement = request.routeOptions.config?.auth ?? (protectedByDefault ? 'any' : 'public');
      if (requirement === 'public') return;
      const credential = bearerCredential(request.headers.authorization);
      if (credential === undefined) {
        throw problem('unauthorized', 'Send Authorization: Bearer <API key or member token>');
      }
      const prefix = [...resolvers.keys()].find((p) => credential.startsWith(p));
      const principal = prefix ? await resolvers.get(prefix)!(app.db, credentialHash(request)!) : undefined;
      if (!principal) throw problem('unauthorized', 'The API key or member token is not valid');
      request.principal = principal;
      if (requirement === 'admin') requireAdmin(principal);
      if (requirement === 'member' && principal.kind !== 'member') {
        throw problem('forbidden', 'This is done by the member themselves, with a member token');
      }
    });
  },
  { name: 'auth', fastify: '5.x', dependencies: ['database', 'errors'] },
);
