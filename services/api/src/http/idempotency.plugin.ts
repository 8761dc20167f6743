/**
 * `Idempotency-Key` on POST, Stripe's model: the first response to a key is stored and replayed
 * for 24 hours; the same key with another request is a 422 problem; a second request while the
 * first is still running is a 409 problem, and nothing is stored twice. Server errors (5xx) are
 * not kept, so the client can retry with the same key.
 *
 * "Still running" is a lease, not a promise: a request that died with its process (or lost the
 * database before it could record its outcome) leaves its key `in_progress`. After
 * IDEMPOTENCY_LEASE_SECONDS the same request may take the key over and run again, instead of
 * being refused with a 409 for 24 hours.
 */
import { createHash } from 'node:crypto';
import type { RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { problem } from '../errors/problem.js';
import { addRouteHook, methodsOf } from './route-hooks.js';

/** How long a key is remembered (Stripe: 24 hours). */
export const IDEMPOTENCY_TTL_HOURS = 24;
/**
 * How long an in-progress key is held for the request that took it: twice the request timeout's
 * default (30 s, config.ts), longer than any request here runs, so a request that is merely slow
 * keeps its key, and a retry after a crash waits about a minute, not a day.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 60;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

/** What identifies "the same request" under one key: SHA-256 of method, URL and (validated) body. */
export function idempotencyRequestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { key: string; principal: string } | null;
  }
}

/** How often keys older than IDEMPOTENCY_TTL_HOURS are deleted (a key lives a day; hourly keeps the table near that). */
export const IDEMPOTENCY_SWEEP_EVERY_MS = 60 * 60_000;

/** Deletes every key older than IDEMPOTENCY_TTL_HOURS (the scheduled sweep); returns how many. */
export async function sweepIdempotencyKeys(db: Kysely<Database>): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export default fp(
  async (app) => {
    app.decorateRequest('idempotency', null);
    // Expired keys of a caller are also forgotten when the caller reuses one (below); the sweep
    // removes the rest, once per period across every replica (the shared scheduler).
    app.scheduler.add({
      name: 'idempotency-keys-sweep',
      everyMs: IDEMPOTENCY_SWEEP_EVERY_MS,
      run: async (db) => {
        const deleted = await sweepIdempotencyKeys(db);
        app.log.info({ task: 'idempotency-keys-sweep', deleted }, 'expired idempotency keys deleted');
      },
    });

    // On POST routes only (route-level hooks, ./route-hooks.ts): every other request skips them.
    const isPost = (route: RouteOptions) => methodsOf(route).includes('POST');
    addRouteHook(app, 'preHandler', isPost, async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (request.method !== 'POST' || key === undefined || !request.principal) return;
      if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
        throw problem('bad_request', 'Idempotency-Key must be 1–255 visible ASCII characters');
      }
      const { tenantId } = request.principal;
      const p = request.principal;
      const principal = p.kind === 'admin' ? p.keyId : p.via === 'token' ? p.tokenId : p.sessionId;
      const requestHash = idempotencyRequestHash(request.method, request.url, request.body);
      // Forget expired keys of this caller first, so an old key can be reused after 24 h.
      await app.db
        .deleteFrom('idempotency_keys')
        .where('tenant_id', '=', tenantId)
        .where('principal', '=', principal)
        .where('key', '=', key)
        .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`)
        .execute();
      // Take the key: a new row, or the row of the same request whose lease has run out (one
      // statement, so two retries cannot both take it: the second sees the renewed lease).
      const taken = await app.db
        .insertInto('idempotency_keys')
        .values({ tenant_id: tenantId, principal, key, request_hash: requestHash, state: 'in_progress' })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'principal', 'key'])
            .doUpdateSet({ created_at: sql<Date>`now()` })
            .where('idempotency_keys.state', '=', 'in_progress')
            .where('idempotency_keys.request_hash', '=', requestHash)
            .where(
              'idempotency_keys.created_at',
              '<',
              sql<Date>`now() - make_interval(secs => ${IDEMPOTENCY_LEASE_SECONDS})`,
            ),
        )
        .returning('key')
        .executeTakeFirst();
      if (taken) {
        request.idempotency = { key, principal };
        return;
      }
      const existing = await app.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('principal', '=', principal)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!existing) throw problem('idempotency_request_in_progress', 'Retry the request');
      if (existing.request_hash !== requestHash) {
        throw problem('idempotency_key_reused', 'This Idempotency-Key was sent before with another request');
      }
      if (existing.state === 'in_progress') {
        throw problem('idempotency_request_in_progress', 'The first request with this key has not finished');
      }
      reply.code(existing.status_code ?? 200);
      for (const [name, value] of Object.entries(existing.response_headers ?? {})) reply.header(name, value);
      reply.header('idempotent-replayed', 'true');
      return reply.send(existing.response_body);
    });

    addRouteHook(app, 'onSend', isPost, async (request, reply, payload) => {
      const idem = request.idempotency;
      if (!idem || !request.principal) return payload;
      request.idempotency = null;
      const where = { tenantId: request.principal.tenantId, ...idem };
      if (reply.statusCode >= 500) {
        await app.db
          .deleteFrom('idempotency_keys')
          .where('tenant_id', '=', where.tenantId)
          .where('principal', '=', where.principal)
          .where('key', '=', where.key)
          .execute();
        return payload;
      }
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      await app.db
        .updateTable('idempotency_keys')
        .set({
          state: 'completed',
          status_code: reply.statusCode,
          response_headers: JSON.stringify(headers) as unknown as Record<string, string>,
          response_body: typeof payload === 'string' ? payload : payload === null ? '' : String(payload),
        })
        .where('tenant_id', '=', where.tenantId)
        .where('principal', '=', where.principal)
        .where('key', '=', where.key)
        .execute();
      return payload;
    });
  },
  { name: 'idempotency', fastify: '5.x', dependencies: ['database', 'auth', 'scheduler'] },
);
