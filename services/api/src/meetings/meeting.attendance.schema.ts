/**
 * The wire format of attendance: a member's status and afbud, the answers (confirm / afbud), an
 * afbud recorded for a member, and the attendance sent when a meeting is marked held.
 * Re-exported by meeting.schema.ts (which builds the held response from HeldAttendanceExample).
 */
import { ATTENDANCE_STATUSES } from '@sparring/domain';
import { Type } from 'typebox';
import { EXAMPLE_TIMES as AT, EXAMPLE_IDS as ID } from '../http/examples.js';
import { oneOf } from '../http/schemas.js';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });

/** Attendance at the first meeting: Anne gave afbud four days ahead (not late under 48 h notice). */
const attendance = (leaderId: string, status: string, updatedAt: string) => ({
  meetingId: ID.meeting1,
  leaderId,
  status,
  cancelledAt: null,
  late: null,
  updatedAt,
});
const AfbudExample = {
  meetingId: ID.meeting1,
  leaderId: ID.anne,
  status: 'cancelled',
  cancelledAt: AT.afbud,
  late: false,
  updatedAt: AT.afbud,
};
const PlannedAttendanceExample = [
  attendance(ID.mette, 'confirmed', '2027-01-04T07:30:00.000Z'),
  attendance(ID.soren, 'confirmed', '2027-01-05T18:02:00.000Z'),
  AfbudExample,
  attendance(ID.lars, 'expected', AT.modelAdopted),
  attendance(ID.camilla, 'confirmed', '2027-01-06T09:12:00.000Z'),
  attendance(ID.jesper, 'expected', AT.modelAdopted),
];
export const HeldAttendanceExample = [
  attendance(ID.mette, 'attended', AT.meeting1Held),
  attendance(ID.soren, 'attended', AT.meeting1Held),
  AfbudExample,
  attendance(ID.lars, 'attended', AT.meeting1Held),
  attendance(ID.camilla, 'attended', AT.meeting1Held),
  attendance(ID.jesper, 'no_show', AT.meeting1Held),
];

export const AttendanceSchema = Type.Object(
  {
    meetingId: Uuid,
    leaderId: Uuid,
    status: oneOf(ATTENDANCE_STATUSES),
    cancelledAt: Type.Union([DateTime, Type.Null()], {
      description: 'When the afbud was given: shown to the admin, the facilitator and the member themselves',
    }),
    late: Type.Union([Type.Boolean(), Type.Null()], {
      description:
        'The afbud came inside the charter’s notice (default 48 h); same visibility as cancelledAt',
    }),
    updatedAt: DateTime,
  },
  { examples: [AfbudExample] },
);

export const AttendanceList = Type.Object(
  { data: Type.Array(AttendanceSchema) },
  { examples: [{ data: PlannedAttendanceExample }] },
);

export const RespondBody = Type.Object(
  { status: oneOf(['confirmed', 'cancelled'] as const) },
  { additionalProperties: false, examples: [{ status: 'cancelled' }] },
);

export const HeldBody = Type.Object(
  {
    attendance: Type.Array(
      Type.Object(
        { leaderId: Uuid, status: oneOf(['attended', 'no_show'] as const) },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        attendance: [
          { leaderId: ID.mette, status: 'attended' },
          { leaderId: ID.soren, status: 'attended' },
          { leaderId: ID.lars, status: 'attended' },
          { leaderId: ID.camilla, status: 'attended' },
          { leaderId: ID.jesper, status: 'no_show' },
        ],
      },
    ],
  },
);

export const RecordAfbudBody = Type.Object(
  {
    cancelledAt: Type.String({
      format: 'date-time',
      description:
        'When the member gave the afbud (by phone, in person): late or on time is judged from it, with the charter’s notice. Not after now.',
    }),
  },
  { additionalProperties: false, examples: [{ cancelledAt: '2027-01-09T08:15:00.000Z' }] },
);

export const MeetingMemberParams = Type.Object({ id: Uuid, leaderId: Uuid }, { additionalProperties: false });
