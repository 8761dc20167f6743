/**
 * REST routes for the meeting model, the schedule, meetings and their roles; with the agenda and
 * whose case is next (meeting.agenda.routes.ts) and attendance (meeting.attendance.routes.ts),
 * which this plugin registers in the document's order. Handlers parse, call the use case
 * (meeting.service.ts), reply.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { MeetingStatus } from '@sparring/domain';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../auth/request.js';
import { checkIfMatch, etagOf } from '../http/etag.js';
import { pageQuery } from '../http/pagination.js';
import { COMMON_PROBLEMS, NoBody, problemResponses } from '../http/schemas.js';
import { registerAgendaRoutes, registerNextCasesRoute } from './meeting.agenda.routes.js';
import type { AfterMeetingHeld } from './meeting.attendance.js';
import { registerAttendanceRoutes } from './meeting.attendance.routes.js';
import {
  GenerateMeetingsBody,
  MeetingIdParams,
  MeetingList,
  MeetingModelBody,
  MeetingModelSchema,
  MeetingPage,
  MeetingPageQuery,
  MeetingRolesBody,
  MeetingSchema,
  MoveMeetingBody,
  NetworkIdParams,
} from './meeting.schema.js';
import {
  cancelMeeting,
  generateMeetings,
  getMeetingModel,
  listMeetingsPage,
  meetingForCaller,
  moveMeeting,
  setMeetingModel,
  setMeetingRoles,
  toMeetingResource,
  toModelResource,
} from './meeting.service.js';

const tags = ['meetings'];
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) });
const IfMatchHeaders = Type.Object({ 'if-match': Type.Optional(Type.String()) });

/** A meeting as the reply: its ETag and its resource in the network's time zone. */
const sendMeeting = (
  reply: FastifyReply,
  meeting: Parameters<typeof toMeetingResource>[0],
  network: { time_zone: string },
) => reply.header('etag', etagOf(meeting.version)).send(toMeetingResource(meeting, network.time_zone));

/** Options: what runs once a meeting is held (app.ts hands in the reviews' `openReviewIfDue`). */
export interface MeetingRoutesOptions {
  readonly afterHeld: AfterMeetingHeld;
}

const meetingRoutes: FastifyPluginAsyncTypebox<MeetingRoutesOptions> = async (app, options) => {
  app.put(
    '/v1/networks/:id/meeting-model',
    {
      config: { responseHeaders: { 201: ['etag'] } },
      schema: {
        tags,
        summary: 'Adopt a new version of the meeting model (admin or facilitator)',
        description:
          'Each call adopts the next version (1, 2, …); earlier versions are kept. Meetings already generated keep ' +
          'their times; the new model applies to meetings generated afterwards. While the network is `review_due` ' +
          'the new version is what an adjusting review decision refers to. Send `If-Match` with the ETag of the ' +
          'version you read (`"0"` when there is none) to refuse the change (412) if someone adopted another since.',
        params: NetworkIdParams,
        headers: IfMatchHeaders,
        body: MeetingModelBody,
        response: { 201: MeetingModelSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const version = await setMeetingModel(
        app.db,
        principalOf(request),
        request.params.id,
        request.body,
        (v) => checkIfMatch(request, v),
      );
      return reply
        .code(201)
        .header('etag', etagOf(version.version))
        .send(toModelResource(request.params.id, version));
    },
  );

  app.get(
    '/v1/networks/:id/meeting-model',
    {
      config: { responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Read the latest meeting model and its version',
        params: NetworkIdParams,
        response: { 200: MeetingModelSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request, reply) => {
      const latest = await getMeetingModel(app.db, principalOf(request), request.params.id);
      return reply.header('etag', etagOf(latest.version)).send(toModelResource(request.params.id, latest));
    },
  );

  app.post(
    '/v1/networks/:id/meetings/generate',
    {
      schema: {
        tags,
        summary: 'Generate the next meetings from the latest model (admin or facilitator)',
        description:
          'Creates `count` planned meetings in one transaction: times by the domain’s scheduleMeetings in the ' +
          'network’s time zone (from the model’s start date, continuing after the latest stored meeting), role ' +
          'holders by the domain’s assignRoles (fair rotation over every earlier turn, the network’s roles policy), ' +
          'and an `expected` attendance for every active member. 409 `no_meeting_model` without a model.',
        params: NetworkIdParams,
        headers: IdempotencyHeaders,
        body: GenerateMeetingsBody,
        response: { 201: MeetingList, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { network, meetings } = await generateMeetings(
        app.db,
        principalOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(201).send({ data: meetings.map((m) => toMeetingResource(m, network.time_zone)) });
    },
  );

  app.get(
    '/v1/networks/:id/meetings',
    {
      schema: {
        tags,
        summary: 'List a network’s meetings (cursor pagination, in sequence order)',
        params: NetworkIdParams,
        querystring: MeetingPageQuery,
        response: { 200: MeetingPage, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => {
      const { timeZone, page } = await listMeetingsPage(app.db, principalOf(request), request.params.id, {
        ...pageQuery(request.query),
        status: request.query.status as MeetingStatus | undefined,
      });
      return {
        data: page.items.map((m) => toMeetingResource(m, timeZone)),
        nextCursor: page.nextCursor,
      };
    },
  );

  registerNextCasesRoute(app);

  app.get(
    '/v1/meetings/:id',
    {
      config: { responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Read a meeting',
        params: MeetingIdParams,
        response: { 200: MeetingSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request, reply) => {
      const { meeting, network } = await meetingForCaller(app.db, principalOf(request), request.params.id);
      return sendMeeting(reply, meeting, network);
    },
  );

  app.patch(
    '/v1/meetings/:id',
    {
      config: { responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Move a planned meeting (admin or facilitator; If-Match required)',
        description:
          'New `startsAt` and/or `endsAt` (moving only the start keeps the length) and/or `venue`. `If-Match` with ' +
          'the ETag you read is required (428 without, 412 when stale): members plan around the time.',
        params: MeetingIdParams,
        headers: IfMatchHeaders,
        body: MoveMeetingBody,
        response: { 200: MeetingSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      const { meeting, network } = await moveMeeting(
        app.db,
        principalOf(request),
        request.params.id,
        request.body,
        (v) => checkIfMatch(request, v, true),
      );
      return sendMeeting(reply, meeting, network);
    },
  );

  app.post(
    '/v1/meetings/:id/cancel',
    {
      config: { responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Cancel a whole planned meeting (admin or facilitator)',
        description: 'The meeting stays, with status `cancelled`; `If-Match` is honoured when sent.',
        params: MeetingIdParams,
        headers: Type.Intersect([IdempotencyHeaders, IfMatchHeaders]),
        body: NoBody,
        response: { 200: MeetingSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { meeting, network } = await cancelMeeting(app.db, principalOf(request), request.params.id, (v) =>
        checkIfMatch(request, v),
      );
      return sendMeeting(reply, meeting, network);
    },
  );

  app.put(
    '/v1/meetings/:id/roles',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Set who holds the roles of a planned meeting (admin)',
        description:
          'Validated by the domain’s parseRolesPolicy (a fixed holder must be an active member; an external holder ' +
          'is allowed for the facilitator only) and filled by assignRoles (a missing or `rotating` role rotates; a ' +
          'fixed member who cancelled is replaced by rotation, and the assignment says so).',
        params: MeetingIdParams,
        headers: IfMatchHeaders,
        body: MeetingRolesBody,
        response: { 200: MeetingSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const { meeting, network } = await setMeetingRoles(
        app.db,
        principalOf(request),
        request.params.id,
        request.body,
        (v) => checkIfMatch(request, v),
      );
      return sendMeeting(reply, meeting, network);
    },
  );

  registerAgendaRoutes(app);
  registerAttendanceRoutes(app, options.afterHeld);
};

export default meetingRoutes;
