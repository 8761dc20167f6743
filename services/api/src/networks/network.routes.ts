/**
 * REST routes for networks, members, rules, lifecycle commands and the charter under /v1/networks.
 * Handlers parse, call the use case (network.service.ts, charter.service.ts), reply.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../auth/principal.js';
import { adminOf, principalOf } from '../auth/request.js';
import { checkIfMatch, etagOf } from '../http/etag.js';
import { PageQuery, pageQuery } from '../http/pagination.js';
import { COMMON_PROBLEMS, NoBody, problemResponses } from '../http/schemas.js';
import {
  acceptCharterVersion,
  getCharter,
  listCharterVersionsPage,
  proposeCharter,
} from './charter.service.js';
import {
  AcceptanceSchema,
  AddMemberBody,
  CharterBody,
  CharterStatusSchema,
  CharterVersionPage,
  CharterVersionSchema,
  ConsentBody,
  ConsentSchema,
  CreateNetworkBody,
  LeaveBody,
  MemberParams,
  NetworkIdParams,
  NetworkListQuery,
  NetworkPage,
  NetworkSchema,
  PatchNetworkBody,
  RulesSchema,
  VersionParams,
} from './network.schema.js';
import {
  addMember,
  applyLifecycleCommand,
  createNetwork,
  getNetwork,
  type LifecycleCommand,
  listNetworksPage,
  networkRules,
  removeMember,
  setOwnSignalConsent,
  toNetworkResource,
  updateNetwork,
} from './network.service.js';

const tags = ['networks'];
const charterTags = ['charter'];
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) });

const networkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/networks',
    {
      config: { auth: 'admin', responseHeaders: { 201: ['location', 'etag'] } },
      schema: {
        tags,
        summary: 'Create a network (status forming)',
        description: 'Send `Idempotency-Key` to make retries safe (the first response is replayed for 24 h).',
        headers: IdempotencyHeaders,
        body: CreateNetworkBody,
        response: { 201: NetworkSchema, ...problemResponses(...COMMON_PROBLEMS, 409, 422) },
      },
    },
    async (request, reply) => {
      const principal = adminOf(request);
      const { row, members } = await createNetwork(app.db, principal, request.body);
      return reply
        .code(201)
        .header('location', `/v1/networks/${row.id}`)
        .header('etag', etagOf(row.version))
        .send(toNetworkResource(row, members, principal));
    },
  );

  app.get(
    '/v1/networks',
    {
      config: { auth: 'any' },
      schema: {
        tags,
        summary: 'List networks (cursor pagination, creation order; filters status and member)',
        description: 'A member token lists only the networks its leader belongs or belonged to.',
        querystring: NetworkListQuery,
        response: { 200: NetworkPage, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const page = await listNetworksPage(app.db, principal, {
        ...pageQuery(request.query),
        status: request.query.status as string | undefined,
        member: request.query.member,
      });
      return {
        data: page.items.map((row) => toNetworkResource(row, page.members, principal)),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/v1/networks/:id',
    {
      config: { auth: 'any', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Read a network (ETag = version)',
        params: NetworkIdParams,
        response: { 200: NetworkSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { row, members } = await getNetwork(app.db, principal, request.params.id);
      return reply.header('etag', etagOf(row.version)).send(toNetworkResource(row, members, principal));
    },
  );

  app.patch(
    '/v1/networks/:id',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Update name and settings (If-Match required)',
        description:
          'Send `If-Match` with the ETag you read: 428 without it, 412 when someone changed the network since. ' +
          'The status is not writable here; it changes through /trial, /pause, /resume, /dissolve.',
        params: NetworkIdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: PatchNetworkBody,
        response: { 200: NetworkSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      const principal = adminOf(request);
      const { row, members } = await updateNetwork(
        app.db,
        principal,
        request.params.id,
        request.body,
        (version) => checkIfMatch(request, version, true),
      );
      return reply.header('etag', etagOf(row.version)).send(toNetworkResource(row, members, principal));
    },
  );

  app.post(
    '/v1/networks/:id/members',
    {
      config: { auth: 'admin', responseHeaders: { 201: ['etag'] } },
      schema: {
        tags,
        summary: 'Add a member (or re-add a former one)',
        description:
          "The domain's rules apply: the size maximum (409 network_full) and no conflict of interest " +
          '(409 member_conflict: a manager–report pair or an exclusion; the other member and who excluded whom are never named).',
        params: NetworkIdParams,
        headers: IdempotencyHeaders,
        body: AddMemberBody,
        response: { 201: NetworkSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const principal = adminOf(request);
      const { row, members } = await addMember(app.db, principal, request.params.id, request.body);
      return reply
        .code(201)
        .header('etag', etagOf(row.version))
        .send(toNetworkResource(row, members, principal));
    },
  );

  const leave = async (principal: Principal, id: string, leaderId: string, leftAt?: string) => {
    const { row, members } = await removeMember(app.db, principal, id, leaderId, leftAt);
    return { row, resource: toNetworkResource(row, members, principal) };
  };

  app.delete(
    '/v1/networks/:id/members/:leaderId',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'A member leaves now (left_at is set; the membership history is kept)',
        params: MemberParams,
        response: { 200: NetworkSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request, reply) => {
      const { row, resource } = await leave(adminOf(request), request.params.id, request.params.leaderId);
      return reply.header('etag', etagOf(row.version)).send(resource);
    },
  );

  app.post(
    '/v1/networks/:id/members/:leaderId/leave',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'A member leaves at a given time (default now)',
        params: MemberParams,
        headers: IdempotencyHeaders,
        body: Type.Union([LeaveBody, Type.Null()], {
          examples: [{ leftAt: '2027-03-01T12:00:00.000Z' }],
        }),
        response: { 200: NetworkSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { row, resource } = await leave(
        adminOf(request),
        request.params.id,
        request.params.leaderId,
        request.body?.leftAt,
      );
      return reply.header('etag', etagOf(row.version)).send(resource);
    },
  );

  app.put(
    '/v1/networks/:id/members/me/consent',
    {
      config: { auth: 'member' },
      schema: {
        tags,
        summary: "The member's own consent to share member-specific signals with the facilitator",
        description:
          'Member token only. Whether the facilitator then sees them also depends on the tenant policy.',
        params: NetworkIdParams,
        body: ConsentBody,
        response: { 200: ConsentSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) =>
      setOwnSignalConsent(
        app.db,
        principalOf(request),
        request.params.id,
        request.body.shareSignalsWithFacilitator,
      ),
  );

  app.get(
    '/v1/networks/:id/rules',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: "The network's rule violations (the domain's checkNetwork), with da/en texts",
        params: NetworkIdParams,
        response: { 200: RulesSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => networkRules(app.db, adminOf(request), request.params.id),
  );

  const lifecycleRoute = (path: string, command: LifecycleCommand, summary: string, description: string) =>
    app.post(
      `/v1/networks/:id/${path}`,
      {
        config: { auth: command === 'start_trial' ? 'any' : 'admin', responseHeaders: { 200: ['etag'] } },
        schema: {
          tags,
          summary,
          description: `${description} Refusals: 409 lifecycle_refused with the domain's \`reason\`.`,
          params: NetworkIdParams,
          headers: IdempotencyHeaders,
          body: NoBody,
          response: { 200: NetworkSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { row, members } = await applyLifecycleCommand(app.db, principal, request.params.id, command);
        return reply.header('etag', etagOf(row.version)).send(toNetworkResource(row, members, principal));
      },
    );
  lifecycleRoute(
    'trial',
    'start_trial',
    'Start the trial (admin or the facilitator)',
    'Needs enough active members, a charter in force and a meeting model (reasons too_few_members, charter_not_in_force, no_meeting_model, already_started).',
  );
  lifecycleRoute('pause', 'pause', 'Pause the network (from trial or active)', 'Admin only.');
  lifecycleRoute('resume', 'resume', 'Resume a paused network where it paused', 'Admin only.');
  lifecycleRoute('dissolve', 'dissolve', 'Dissolve the network', 'Admin only.');

  // Charter (kontrakt)

  app.post(
    '/v1/networks/:id/charter-versions',
    {
      config: { auth: 'any' },
      schema: {
        tags: charterTags,
        summary: 'Propose a new charter version (admin or the facilitator)',
        description:
          'Every active member must accept the new version before it is in force. Confidentiality is always a ' +
          'ground rule; at least one goal must be more than social.',
        params: NetworkIdParams,
        headers: IdempotencyHeaders,
        body: CharterBody,
        response: { 201: CharterVersionSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const version = await proposeCharter(app.db, principalOf(request), request.params.id, request.body);
      return reply.code(201).send(version);
    },
  );

  app.get(
    '/v1/networks/:id/charter-versions',
    {
      config: { auth: 'any' },
      schema: {
        tags: charterTags,
        summary: "The network's charter versions in version order, each with its acceptances",
        description:
          'Who may read it: as `GET /v1/networks/{id}/charter` (an admin key, or a member token of a member or ' +
          'former member). `inForce` is true only for the latest version when every active member has accepted it.',
        params: NetworkIdParams,
        querystring: PageQuery,
        response: { 200: CharterVersionPage, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => {
      const page = await listCharterVersionsPage(app.db, principalOf(request), request.params.id, {
        ...pageQuery(request.query),
      });
      return { data: page.items, nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/networks/:id/charter',
    {
      config: { auth: 'any' },
      schema: {
        tags: charterTags,
        summary: 'The latest charter version, whether it is in force, and who has accepted it',
        params: NetworkIdParams,
        response: { 200: CharterStatusSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => getCharter(app.db, principalOf(request), request.params.id),
  );

  app.post(
    '/v1/networks/:id/charter-versions/:version/acceptances',
    {
      config: { auth: 'member' },
      schema: {
        tags: charterTags,
        summary: 'Accept a charter version as yourself (member token)',
        description:
          '201 for a new acceptance, 200 when it already counted. Refusals: 403 not_an_active_member, ' +
          '409 not_the_latest_version, 404 for an unknown version.',
        params: VersionParams,
        headers: IdempotencyHeaders,
        body: NoBody,
        response: {
          200: AcceptanceSchema,
          201: AcceptanceSchema,
          ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const { created, ...acceptance } = await acceptCharterVersion(
        app.db,
        principalOf(request),
        request.params.id,
        request.params.version,
      );
      return reply.code(created ? 201 : 200).send(acceptance);
    },
  );
};

export default networkRoutes;
