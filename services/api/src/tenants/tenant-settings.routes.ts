/** REST routes for the tenant's own settings: GET and PATCH /v1/tenant (admin key). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminOf } from '../auth/request.js';
import { EXAMPLE_IDS } from '../http/examples.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import {
  CORS_ORIGINS_MAX,
  FRAME_ANCESTORS_MAX,
  getTenantSettings,
  updateTenantSettings,
} from './tenant-settings.service.js';

const tags = ['tenant'];

const FrameAncestors = Type.Array(Type.String({ maxLength: 300 }), {
  maxItems: FRAME_ANCESTORS_MAX,
  description:
    'https origins (https://host[:port]) that may frame the member pages under /m/ (CSP frame-ancestors); empty: none may (default)',
});

const CorsOrigins = Type.Array(Type.String({ maxLength: 300 }), {
  maxItems: CORS_ORIGINS_MAX,
  description:
    "Origins whose browser code may call /v1 and /graphql with this tenant's credentials (CORS): each exactly as the browser sends it in `Origin`, https://host[:port] (http only for localhost, 127.0.0.1 and [::1]), no path, no wildcard; empty: none may (default)",
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
    corsOrigins: CorsOrigins,
  },
  {
    examples: [
      {
        tenantId: EXAMPLE_IDS.tenant,
        name: 'Acme HR',
        facilitatorSeesMemberSignals: false,
        frameAncestors: ['https://hr.example.com'],
        corsOrigins: ['https://hr.example.com'],
      },
    ],
  },
);

const TenantSettingsBody = Type.Object(
  {
    facilitatorSeesMemberSignals: Type.Optional(Type.Boolean()),
    frameAncestors: Type.Optional(FrameAncestors),
    corsOrigins: Type.Optional(CorsOrigins),
  },
  {
    additionalProperties: false,
    examples: [
      { facilitatorSeesMemberSignals: true },
      { frameAncestors: ['https://hr.example.com'] },
      { corsOrigins: ['https://hr.example.com', 'http://localhost:5173'] },
    ],
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
          "Change the tenant's policy (whether facilitators may see consenting members' signals), which origins may frame the member pages, and which may call the API from a browser (CORS)",
        body: TenantSettingsBody,
        response: { 200: TenantSettingsSchema, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request) => updateTenantSettings(app.db, adminOf(request), request.body),
  );
};

export default tenantSettingsRoutes;
