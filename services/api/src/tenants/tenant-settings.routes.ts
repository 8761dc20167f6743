/** REST routes for the tenant's own settings: GET and PATCH /v1/tenant (admin key). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EXAMPLE_IDS } from '../http/examples.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import { adminOf } from '../plugins/auth.plugin.js';
import { FRAME_ANCESTORS_MAX, getTenantSettings, updateTenantSettings } from './tenant-settings.service.js';

const tags = ['tenant'];

const FrameAncestors = Type.Array(Type.String({ maxLength: 300 }), {
  maxItems: FRAME_ANCESTORS_MAX,
  description:
    'https origins (https://host[:port]) that may frame the member pages under /m/ (CSP frame-ancestors); empty: none may (default)',
});

const TenantSettingsSchema = Type.Object(
  {
    tenantId: Type.String({ format: 'uuid' }),
    name: Type.String(),
    facilitatorSeesMemberSignals: Type.Boolean({
      description:
        'When true, a member facilitator sees the member-specific signals of members who consented (default false)',
    }),
    frameAncestors: FrameAncestors,
  },
  {
    examples: [
      {
        tenantId: EXAMPLE_IDS.tenant,
        name: 'Acme HR',
        facilitatorSeesMemberSignals: false,
        frameAncestors: ['https://hr.example.com'],
      },
    ],
  },
);

const TenantSettingsBody = Type.Object(
  {
    facilitatorSeesMemberSignals: Type.Optional(Type.Boolean()),
    frameAncestors: Type.Optional(FrameAncestors),
  },
  {
    additionalProperties: false,
    examples: [{ facilitatorSeesMemberSignals: true }, { frameAncestors: ['https://hr.example.com'] }],
  },
);

const tenantSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/tenant',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: "The calling key's tenant and its policy",
        response: { 200: TenantSettingsSchema, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request) => getTenantSettings(app.db, adminOf(request)),
  );

  app.patch(
    '/v1/tenant',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary:
          "Change the tenant's policy (whether facilitators may see consenting members' signals) and which origins may frame the member pages",
        body: TenantSettingsBody,
        response: { 200: TenantSettingsSchema, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request) => updateTenantSettings(app.db, adminOf(request), request.body),
  );
};

export default tenantSettingsRoutes;
