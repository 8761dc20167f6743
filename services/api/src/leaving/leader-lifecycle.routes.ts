/**
 * REST routes for a leader's leaving (docs/provisioning.md, "Leaving and erasure"): deactivate,
 * reactivate and erasure (`DELETE /v1/leaders/{id}`). Admin key only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminOf } from '../auth/request.js';
import { etagOf } from '../http/etag.js';
import { COMMON_PROBLEMS, NoBody, problemResponses } from '../http/schemas.js';
import { DeactivateLeaderBody, LeaderIdParams, LeaderSchema } from '../leaders/leader.schema.js';
import { toLeaderResource } from '../leaders/leader.service.js';
import { deactivateLeader, eraseLeader, reactivateLeader } from './leader-lifecycle.service.js';

const tags = ['leaders'];

const leaderLifecycleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/leaders/:id/deactivate',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Deactivate a leader (they leave)',
        description:
          'From `from` (default now) the leader is no longer active: every open membership ends then (a ' +
          'member facilitator stops facilitating), their member tokens, sessions, sign-in links and calendar ' +
          'feeds stop, and formation no longer places them. Records `leader.deactivated`. Already deactivated: ' +
          'the leader is returned unchanged. A `from` ahead ends memberships and credentials when it comes.',
        params: LeaderIdParams,
        body: DeactivateLeaderBody,
        response: { 200: LeaderSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request, reply) => {
      const principal = adminOf(request);
      const leader = await deactivateLeader(app.db, principal, request.params.id, {
        from: request.body?.from,
        log: request.log,
      });
      return reply.header('etag', etagOf(leader.version)).send(toLeaderResource(leader, principal));
    },
  );

  app.post(
    '/v1/leaders/:id/reactivate',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Reactivate a deactivated leader',
        description:
          'The leader is active again; memberships that ended are not restored (add them to a network ' +
          'again). An active leader is returned unchanged; an erased one cannot come back (410 `leader_erased`).',
        params: LeaderIdParams,
        body: NoBody,
        response: { 200: LeaderSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 410) },
      },
    },
    async (request, reply) => {
      const principal = adminOf(request);
      const leader = await reactivateLeader(app.db, principal, request.params.id, { log: request.log });
      return reply.header('etag', etagOf(leader.version)).send(toLeaderResource(leader, principal));
    },
  );

  app.delete(
    '/v1/leaders/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Delete (erase) a leader',
        description:
          'GDPR art. 17 erasure. A leader who was never a member is deleted; one who is or was a member is ' +
          'deactivated and erased in place: name, email, HR id and profile become placeholders, their free ' +
          'texts and mentions are erased, and the anonymised row stays so released results do not change. ' +
          'Never a 409 for having been a member; repeating it is a 204 again. See docs/provisioning.md.',
        params: LeaderIdParams,
        response: {
          204: Type.Null({ description: 'Deleted' }),
          ...problemResponses(...COMMON_PROBLEMS, 404),
        },
      },
    },
    async (request, reply) => {
      await eraseLeader(app.db, adminOf(request), request.params.id, { log: request.log });
      return reply.code(204).send(null);
    },
  );
};

export default leaderLifecycleRoutes;
