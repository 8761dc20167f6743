/**
 * REST routes for attendance: a member's answer (confirm / afbud), an afbud recorded for a member,
 * who comes, and marking a meeting held with its attendance. The meetings plugin
 * (meeting.routes.ts) registers them last, in this order.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/request.js';
import { etagOf } from '../http/etag.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import {
  AttendanceList,
  AttendanceSchema,
  HeldBody,
  HeldSchema,
  MeetingIdParams,
  MeetingMemberParams,
  RecordAfbudBody,
  RespondBody,
} from './meeting.schema.js';
import {
  type AfterMeetingHeld,
  listAttendance,
  markMeetingHeld,
  recordAfbudForMember,
  respondToMeeting,
  toAttendanceResource,
  toMeetingResource,
} from './meeting.service.js';

/** The instance the meetings plugin registers its routes on. */
type App = Parameters<FastifyPluginAsyncTypebox>[0];

const tags = ['meetings'];
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) });

/** Answers, recorded afbud, the attendance list and marking a meeting held. */
export function registerAttendanceRoutes(app: App, afterHeld: AfterMeetingHeld) {
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
      const held = await markMeetingHeld(
        app.db,
        principal,
        request.params.id,
        { attendance: request.body.attendance as { leaderId: string; status: 'attended' | 'no_show' }[] },
        afterHeld,
      );
      return reply.header('etag', etagOf(held.meeting.version)).send({
        meeting: toMeetingResource(held.meeting, held.network.time_zone),
        attendance: held.attendance.map((a) => toAttendanceResource(a, principal, held.network)),
        lifecycleStatus: held.lifecycleStatus,
      });
    },
  );
}
