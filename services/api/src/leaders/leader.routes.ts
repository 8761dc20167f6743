/** REST routes for leaders under /v1/leaders. Handlers parse, call the use case, reply. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminOf } from '../auth/request.js';
import { checkIfMatch, etagOf } from '../http/etag.js';
import { pageQuery } from '../http/pagination.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import { notifyEmailChange } from '../members/member-session.service.js';
import {
  CreateLeaderBody,
  LeaderIdParams,
  LeaderListQuery,
  LeaderPage,
  LeaderSchema,
  PatchLeaderBody,
} from './leader.schema.js';
import { createLeader, getLeader, listLeadersPage, patchLeader, toLeaderResource } from './leader.service.js';

const tags = ['leaders'];

const leaderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/leaders',
    {
      config: { auth: 'admin', responseHeaders: { 201: ['location', 'etag'] } },
      schema: {
        tags,
        summary: 'Create a leader',
        description: 'Send `Idempotency-Key` to make retries safe (the first response is replayed for 24 h).',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) }),
        body: CreateLeaderBody,
        response: { 201: LeaderSchema, ...problemResponses(...COMMON_PROBLEMS, 409, 422) },
      },
    },
    async (request, reply) => {
      const principal = adminOf(request);
      const leader = await createLeader(app.db, principal, request.body);
      return reply
        .code(201)
        .header('location', `/v1/leaders/${leader.id}`)
        .header('etag', etagOf(leader.version))
        .send(toLeaderResource(leader, principal));
    },
  );

  app.get(
    '/v1/leaders',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'List leaders (cursor pagination, creation order)',
        description:
          'Narrow the list with `externalId` (the HR system’s id), `email` or `updatedSince` (changes since ' +
          'a time, for a platform syncing what changed); the order stays creation order, so paging is stable.',
        querystring: LeaderListQuery,
        response: { 200: LeaderPage, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request) => {
      const principal = adminOf(request);
      const page = await listLeadersPage(app.db, principal, {
        ...pageQuery(request.query),
        externalId: request.query.externalId,
        email: request.query.email,
        updatedSince: request.query.updatedSince,
        active: request.query.active,
      });
      return { data: page.items.map((l) => toLeaderResource(l, principal)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/leaders/:id',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Read a leader',
        params: LeaderIdParams,
        response: { 200: LeaderSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request, reply) => {
      const principal = adminOf(request);
      const leader = await getLeader(app.db, principal, request.params.id);
      return reply.header('etag', etagOf(leader.version)).send(toLeaderResource(leader, principal));
    },
  );

  app.patch(
    '/v1/leaders/:id',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Update a leader (partial)',
        description:
          'Absent fields keep their value; `null` clears an optional one. Send `If-Match` with the ETag you read ' +
          'to refuse the update (412) if someone changed the leader since.',
        params: LeaderIdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: PatchLeaderBody,
        response: { 200: LeaderSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 410, 412) },
      },
    },
    async (request, reply) => {
      const principal = adminOf(request);
      const { leader, emailChange } = await patchLeader(
        app.db,
        principal,
        request.params.id,
        request.body,
        (version) => checkIfMatch(request, version),
      );
      if (emailChange) void notifyEmailChange(app.mailer, emailChange);
      return reply.header('etag', etagOf(leader.version)).send(toLeaderResource(leader, principal));
    },
  );
};

export default leaderRoutes;
