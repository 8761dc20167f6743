/**
 * REST routes for a leader's leaving (docs/provisioning.md, "Leaving and erasure"): deactivate and
 * reactivate. Erasure is `DELETE /v1/leaders/{id}` (leader.routes.ts). Admin key only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adminOf } from '../auth/request.js';
import { etagOf } from '../http/etag.js';
import { COMMON_PROBLEMS, NoBody, problemResponses } from '../http/schemas.js';
import { DeactivateLeaderBody, LeaderIdParams, LeaderSchema } from './leader.schema.js';
import { toLeaderResource } from './leader.service.js';
import { deactivateLeader, reactivateLeader } from './leader-lifecycle.service.js';

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
};

export default leaderLifecycleRoutes;
