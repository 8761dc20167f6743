/** REST route of the bulk upsert: POST /v1/leaders/bulk (docs/provisioning.md, "Bulk upsert"). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LEADER_UPSERT_MAX } from '@sparring/domain';
import { Type } from 'typebox';
import { adminOf } from '../auth/request.js';
import type { Config } from '../config.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import { notifyEmailChange } from '../members/member-session.service.js';
import { LeaderUpsertBody, LeaderUpsertResponse } from './leader-bulk.schema.js';
import { upsertLeaders } from './leader-bulk.service.js';

/**
 * The body limit of this route: 8 KiB per leader for LEADER_UPSERT_MAX leaders. A profile with
 * every field at its maximum length is about 2.1 KiB of JSON (test/leaders.bulk.test.ts sends
 * 1,000 of them); the rest holds some 150 exclusions (38 bytes each) per leader on average. The
 * service's own limit (SPARRING_BODY_LIMIT_BYTES) applies when it is larger.
 */
export const BULK_BODY_LIMIT_BYTES = LEADER_UPSERT_MAX * 8 * 1024;

const leaderBulkRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  app.post(
    '/v1/leaders/bulk',
    {
      config: { auth: 'admin' },
      bodyLimit: Math.max(config.bodyLimitBytes, BULK_BODY_LIMIT_BYTES),
      schema: {
        tags: ['leaders'],
        summary: `Create or update up to ${LEADER_UPSERT_MAX} leaders by the HR system's id`,
        description:
          'Each item is matched by `externalId`: a new one is created (a complete profile, as on create), a ' +
          'known one updated (a partial update, as on PATCH) or, when it already says the same, left `unchanged` ' +
          '(no write, no event, same version), so sending the same batch again changes nothing. All or nothing: ' +
          'if any item is invalid, the answer is a 400 `validation_failed` naming every invalid item by index ' +
          '(`issues[].path` such as `leaders[3].email`) and nothing is written. Send `Idempotency-Key` to have a ' +
          'retry replay the first response (24 h).',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) }),
        body: LeaderUpsertBody,
        response: { 200: LeaderUpsertResponse, ...problemResponses(...COMMON_PROBLEMS, 409, 422) },
      },
    },
    async (request) => {
      const { outcome, emailChanges } = await upsertLeaders(app.db, adminOf(request), request.body.leaders);
      for (const change of emailChanges) void notifyEmailChange(app.mailer, change);
      return outcome;
    },
  );
};

export default leaderBulkRoutes;
