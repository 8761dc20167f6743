/**
 * `Idempotency-Key` on POST, Stripe's model: the first response to a key is stored and replayed
 * for 24 hours; the same key with another request is a 422 problem; a second request while the
 * first is still running is a 409 problem, and nothing is stored twice. Server errors (5xx) are
 * not kept, so the client can retry with the same key.
 */
import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { problem } from '../errors/problem.js';

/** How long a key is remembered (Stripe: 24 hours). */
export const IDEMPOTENCY_TTL_HOURS = 24;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { key: string; principal: string } | null;
  }
}

export default fp(
  async (app) => {
    app.decorateRequest('idempotency', null);

    app.addHook('preHandler', async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (request.method !== 'POST' || key === undefined || !request.principal) return;
      if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
        throw problem('bad_request', 'Idempotency-Key must be 1–255 visible ASCII characters');
      }
      const { tenantId } = request.principal;
      const p = request.principal;
      const principal = p.kind === 'admin' ? p.keyId : p.via === 'token' ? p.tokenId : p.sessionId;
      const requestHash = createHash('sha256')
        .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
        .digest('hex');
      // Forget expired keys of this caller first, so an old key can be reused after 24 h.
      await app.db
        .deleteFrom('idempotency_keys')
        .where('tenant_id', '=', tenantId)
        .where('principal', '=', principal)
        .where('key', '=', key)
        .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`)
        .execute();
      const inserted = await app.db
        .insertInto('idempotency_keys')
        .values({ tenant_id: tenantId, principal, key, request_hash: requestHash, state: 'in_progress' })
        .onConflict((oc) => oc.doNothing())
        .returning('key')
        .executeTakeFirst();
      if (inserted) {
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

    app.addHook('onSend', async (request, reply, payload) => {
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
  { name: 'idempotency', fastify: '5.x', dependencies: ['database', 'auth'] },
);
