/**
 * REST routes for the meeting model, the schedule, meetings, roles, agenda and attendance.
 * Handlers parse, call the use case (meeting.service.ts), reply.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { checkIfMatch, etagOf } from '../http/etag.js';
import { COMMON_PROBLEMS, NoBody, problemResponses } from '../http/schemas.js';
import { principalOf } from '../plugins/auth.plugin.js';
import {
  AgendaItemBody,
  AgendaItemSchema,
  AgendaList,
  AttendanceList,
  AttendanceSchema,
  GenerateMeetingsBody,
  HeldBody,
  HeldSchema,
  MeetingIdParams,
  MeetingList,
  MeetingMemberParams,
  MeetingModelBody,
  MeetingModelSchema,
  MeetingPage,
  MeetingPageQuery,
  MeetingRolesBody,
  MeetingSchema,
  MoveMeetingBody,
  NetworkIdParams,
  NextCasesQuery,
  NextCasesSchema,
  RecordAfbudBody,
  RespondBody,
} from './meeting.schema.js';
import {
  addAgendaItem,
  cancelMeeting,
  deleteAgendaItem,
  generateMeetings,
  getMeetingModel,
  listAgenda,
  listAttendance,
  listMeetingsPage,
  markMeetingHeld,
  meetingForCaller,
  moveMeeting,
  nextCases,
  recordAfbudForMember,
  respondToMeeting,
  setMeetingModel,
  setMeetingRoles,
  toAgendaItemResource,
  toAttendanceResource,
  toMeetingResource,
  toModelResource,
} from './meeting.service.js';
import type { MeetingStatus } from './meeting.table.js';

const tags = ['meetings'];
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) });
const IfMatchHeaders = Type.Object({ 'if-match': Type.Optional(Type.String()) });

/** A meeting as the reply: its ETag and its resource in the network's time zone. */
const sendMeeting = (
  reply: FastifyReply,
  meeting: Parameters<typeof toMeetingResource>[0],
  network: { time_zone: string },
) => reply.header('etag', etagOf(meeting.version)).send(toMeetingResource(meeting, network.time_zone));

const meetingRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
      const { network, page } = await listMeetingsPage(app.db, principalOf(request), request.params.id, {
        limit: request.query.limit ?? 50,
        cursor: request.query.cursor,
        status: request.query.status as MeetingStatus | undefined,
      });
      return {
        data: page.items.map((m) => toMeetingResource(m, network.time_zone)),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/v1/networks/:id/next-cases',
    {
      schema: {
        tags,
        summary: 'Whose case is next (the domain’s proposeNextCases)',
        description:
          'For the next planned meeting: members with the fewest own cases (dilemma items of held meetings) ' +
          'first, skipping members who cancelled for it; each proposal says why.',
        params: NetworkIdParams,
        querystring: NextCasesQuery,
        response: { 200: NextCasesSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => nextCases(app.db, principalOf(request), request.params.id, request.query.count),
  );

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

  app.post(
    '/v1/meetings/:id/agenda-items',
    {
      schema: {
        tags,
        summary: 'Add an agenda item to a planned meeting',
        description:
          'A member (member token) adds their own item; the admin or the facilitator adds one for any active member. ' +
          'The domain’s parseAgenda checks the owner, the title and the limits (at most 12 items).',
        params: MeetingIdParams,
        headers: IdempotencyHeaders,
        body: AgendaItemBody,
        response: { 201: AgendaItemSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const item = await addAgendaItem(app.db, principalOf(request), request.params.id, {
        ...request.body,
        kind: String(request.body.kind),
      });
      return reply.code(201).send(toAgendaItemResource(item));
    },
  );

  app.get(
    '/v1/meetings/:id/agenda-items',
    {
      schema: {
        tags,
        summary: 'Read a meeting’s agenda (in order)',
        params: MeetingIdParams,
        response: { 200: AgendaList, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => ({
      data: (await listAgenda(app.db, principalOf(request), request.params.id)).map(toAgendaItemResource),
    }),
  );

  app.delete(
    '/v1/agenda-items/:id',
    {
      schema: {
        tags,
        summary: 'Remove an agenda item of a planned meeting (its owner, the admin or the facilitator)',
        params: MeetingIdParams,
        response: {
          204: Type.Null({ description: 'Removed' }),
          ...problemResponses(...COMMON_PROBLEMS, 404, 409),
        },
      },
    },
    async (request, reply) => {
      await deleteAgendaItem(app.db, principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/meetings/:id/attendance/me',
    {
      config: { auth: 'member' },
      schema: {
        tags,
        summary: 'Confirm or cancel (afbud) with a member token',
        description:
          'For a planned meeting of a network the member is active in. An afbud keeps its time (a repeated afbud ' +
          'keeps the first) and is flagged `late` when given inside the notice of the network’s latest charter ' +
          '(default 48 h). If the member held a role, the meeting’s roles are re-assigned by rotation (unless an ' +
          'admin set them by hand).',
        params: MeetingIdParams,
        headers: IdempotencyHeaders,
        body: RespondBody,
        response: { 200: AttendanceSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { attendance, network } = await respondToMeeting(
        app.db,
        principal,
        request.params.id,
        request.body.status as 'confirmed' | 'cancelled',
      );
      return toAttendanceResource(attendance, principal, network);
    },
  );

  app.post(
    '/v1/meetings/:id/attendance/:leaderId/afbud',
    {
      schema: {
        tags,
        summary: 'Record an afbud for a member with the time it was given (admin or facilitator)',
        description:
          'For an afbud given by phone or in person: the member’s attendance becomes `cancelled` with `cancelledAt` ' +
          'as given, and `late` is judged from that time with the notice of the network’s latest charter. For a ' +
          'planned or held meeting (409 `meeting_not_planned` when cancelled). 400 when the time is after now, the ' +
          'member is recorded as attended, or is not a member. Audited (who recorded it, the time given); a new ' +
          'afbud emits `meeting.afbud`.',
        params: MeetingMemberParams,
        headers: IdempotencyHeaders,
        body: RecordAfbudBody,
        response: { 200: AttendanceSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { attendance, network } = await recordAfbudForMember(
        app.db,
        principal,
        request.params.id,
        request.params.leaderId,
        new Date(request.body.cancelledAt),
        request.log,
      );
      return toAttendanceResource(attendance, principal, network);
    },
  );

  app.get(
    '/v1/meetings/:id/attendance',
    {
      schema: {
        tags,
        summary: 'Who comes: every member’s attendance status',
        description:
          'Attendance is not secret inside a network: members see everyone’s status. `cancelledAt` and `late` are ' +
          'shown to the admin, the facilitator and the member themselves; null for other members.',
        params: MeetingIdParams,
        response: { 200: AttendanceList, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => ({ data: await listAttendance(app.db, principalOf(request), request.params.id) }),
  );

  app.post(
    '/v1/meetings/:id/held',
    {
      config: { responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Mark a meeting held with its attendance (admin or facilitator)',
        description:
          'One transaction: the meeting becomes `held`, each listed member is `attended` or `no_show` (members not ' +
          'listed keep their status), and the lifecycle event `meeting_held` is applied (the trial counts the ' +
          'meeting; the review becomes due by the domain’s rules). Refused with 409 `meeting_not_started` before the ' +
          'start, `meeting_not_planned` when held or cancelled, `lifecycle_refused` when the network has not started ' +
          'its trial, is paused or dissolved; nothing is written then.',
        params: MeetingIdParams,
        headers: IdempotencyHeaders,
        body: HeldBody,
        response: { 200: HeldSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const held = await markMeetingHeld(app.db, principal, request.params.id, {
        attendance: request.body.attendance as { leaderId: string; status: 'attended' | 'no_show' }[],
      });
      return reply.header('etag', etagOf(held.meeting.version)).send({
        meeting: toMeetingResource(held.meeting, held.network.time_zone),
        attendance: held.attendance.map((a) => toAttendanceResource(a, principal, held.network)),
        lifecycleStatus: held.lifecycleStatus,
      });
    },
  );
};

export default meetingRoutes;
