/**
 * Minting and revoking member tokens (admin), and `GET /v1/me` (the member themselves).
 * Registers the `mt_` credential resolver with the auth plugin.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminOf, principalOf } from '../auth/request.js';
import { EXAMPLE_IDS } from '../http/examples.js';
import { PageQuery, pageQuery } from '../http/pagination.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import { LeaderIdParams, LeaderSchema } from '../leaders/leader.schema.js';
import { toLeaderResource } from '../leaders/leader.service.js';
import {
  findLiveMemberToken,
  MEMBER_TOKEN_PREFIX,
  MEMBER_TOKEN_TTL,
} from '../members/member-token.repository.js';
import {
  currentLeader,
  issueMemberToken,
  listMemberTokensPage,
  withdrawMemberToken,
} from './member-token.service.js';

const tags = ['member tokens'];

export const MemberTokenSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    leaderId: Type.String({ format: 'uuid' }),
    token: Type.String({ description: 'Shown once. Send as `Authorization: Bearer mt_…`.' }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  {
    examples: [
      {
        id: EXAMPLE_IDS.memberToken,
        leaderId: EXAMPLE_IDS.mette,
        token: 'mt_Duq2tSKQnim69WveL-7Rx1RbUW4zx5yqPTOx7cZHq3A',
        expiresAt: '2026-11-28T08:00:00.000Z',
      },
    ],
  },
);

const MemberTokenInfoExample = {
  id: EXAMPLE_IDS.memberToken,
  leaderId: EXAMPLE_IDS.mette,
  createdAt: '2026-11-28T07:00:00.000Z',
  expiresAt: '2026-11-28T08:00:00.000Z',
  revokedAt: null,
  status: 'live',
};

/** A token as listed: never the token or its hash. */
export const MemberTokenInfoSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    leaderId: Type.String({ format: 'uuid' }),
    createdAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    status: Type.Enum(['live', 'expired', 'revoked'], {
      description: 'revoked if revokedAt is set, else expired once expiresAt has passed, else live',
    }),
  },
  { examples: [MemberTokenInfoExample] },
);

export const MemberTokenPage = Type.Object(
  {
    data: Type.Array(MemberTokenInfoSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as ?cursor= for older tokens',
    }),
  },
  { examples: [{ data: [MemberTokenInfoExample], nextCursor: null }] },
);

const memberTokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.registerCredentialResolver(MEMBER_TOKEN_PREFIX, async (db, hash) => {
    const token = await findLiveMemberToken(db, hash, new Date());
    return token
      ? {
          kind: 'member',
          via: 'token',
          tenantId: token.tenant_id,
          leaderId: token.leader_id,
          tokenId: token.id,
        }
      : undefined;
  });

  app.post(
    '/v1/leaders/:id/member-tokens',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Mint a short-lived member token for one leader',
        description:
          'The HR platform mints a token when its user (the leader) opens the network in its product, and acts ' +
          'for them with it: accept the charter, confirm or cancel (afbud), answer evaluations, consent. A token acts, ' +
          "never reads the leader's private data (their answers, comment, private signals, exclusions, consents): " +
          'that is read only in a session the leader opens from a link the service emails them (docs/confidentiality.md). ' +
          'Every write done with a token is listed to the leader ("who acted for me").',
        params: LeaderIdParams,
        body: Type.Object(
          {
            ttlSeconds: Type.Optional(
              Type.Integer({
                minimum: MEMBER_TOKEN_TTL.minSeconds,
                maximum: MEMBER_TOKEN_TTL.maxSeconds,
                default: MEMBER_TOKEN_TTL.defaultSeconds,
              }),
            ),
          },
          { additionalProperties: false, examples: [{ ttlSeconds: 3600 }] },
        ),
        response: { 201: MemberTokenSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 410) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await issueMemberToken(
            app.db,
            adminOf(request),
            request.params.id,
            request.body.ttlSeconds,
            request.log,
          ),
        ),
  );

  app.get(
    '/v1/leaders/:id/member-tokens',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: "A leader's member tokens, newest first (cursor pagination)",
        description:
          'When each was minted, expires and was revoked, and its status now. Never the token itself or its hash: ' +
          'a token is shown once, when minted.',
        params: LeaderIdParams,
        querystring: PageQuery,
        response: { 200: MemberTokenPage, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => {
      const page = await listMemberTokensPage(app.db, adminOf(request), request.params.id, {
        ...pageQuery(request.query),
      });
      return { data: page.items, nextCursor: page.nextCursor };
    },
  );

  app.delete(
    '/v1/member-tokens/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Revoke a member token',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request, reply) => {
      await withdrawMemberToken(app.db, adminOf(request), request.params.id, request.log);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/me',
    {
      config: { auth: 'member' },
      schema: {
        tags,
        summary: 'The leader a member token belongs to',
        response: { 200: LeaderSchema, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return toLeaderResource(await currentLeader(app.db, principal), principal);
    },
  );
};

export default memberTokenRoutes;
