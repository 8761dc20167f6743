/**
 * The meetings' wire format (REST and the OpenAPI document). Vocabularies come from the domain
 * package; the domain's parseMeetingModel / parseRolesPolicy / parseAgenda then check the rules.
 * This file holds the meeting model, the schedule, meetings and their roles, and the held
 * response; the agenda (meeting.agenda.schema.ts) and attendance (meeting.attendance.schema.ts)
 * have their own files, re-exported here so importers keep one path.
 */
import {
  CADENCES_IN_MONTHS,
  MAX_SCHEDULED_MEETINGS,
  MEETING_DURATION,
  MEETING_ROLES,
  MEETING_STATUSES,
  TIME_SLOTS,
} from '@sparring/domain';
import { Type } from 'typebox';
import { EXAMPLE_TIMES as AT, EXAMPLE_IDS as ID } from '../http/examples.js';
import { encodeCursor } from '../http/pagination.js';
import { LocalizedTextSchema, oneOf } from '../http/schemas.js';
import { AttendanceSchema, HeldAttendanceExample } from './meeting.attendance.schema.js';

export {
  AgendaItemBody,
  AgendaItemSchema,
  AgendaList,
  NextCasesQuery,
  NextCasesSchema,
} from './meeting.agenda.schema.js';
export {
  AttendanceList,
  AttendanceSchema,
  HeldBody,
  MeetingMemberParams,
  RecordAfbudBody,
  RespondBody,
} from './meeting.attendance.schema.js';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const LocalizedText = LocalizedTextSchema;

export const VenueSchema = Type.Union(
  [
    Type.Object(
      { kind: Type.Literal('in_person'), place: Type.String({ minLength: 1, maxLength: 500 }) },
      { additionalProperties: false },
    ),
    Type.Object(
      { kind: Type.Literal('online'), link: Type.String({ minLength: 1, maxLength: 2000 }) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('hybrid'),
        place: Type.String({ minLength: 1, maxLength: 500 }),
        link: Type.String({ minLength: 1, maxLength: 2000 }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'In person (place), online (an https link) or hybrid (both)' },
);

export const MeetingModelExample = {
  cadenceMonths: 1,
  durationMinutes: 180,
  timeSlot: 'weekday_evening',
  localStartTime: '17:00',
  venue: { kind: 'in_person', place: 'Rådhuset, mødelokale 3, Aarhus' },
  startDate: '2027-01-12',
};

const modelProperties = {
  cadenceMonths: oneOf(CADENCES_IN_MONTHS),
  durationMinutes: Type.Optional(
    Type.Integer({
      minimum: MEETING_DURATION.min,
      maximum: MEETING_DURATION.max,
      default: MEETING_DURATION.default,
    }),
  ),
  timeSlot: oneOf(TIME_SLOTS),
  localStartTime: Type.Optional(
    Type.Union([
      Type.String({ description: 'HH:MM inside the slot’s window; default the slot’s start' }),
      Type.Null(),
    ]),
  ),
  venue: VenueSchema,
  startDate: Type.String({
    description: 'YYYY-MM-DD: the local date of the first meeting',
    examples: ['2027-01-12'],
  }),
};

export const MeetingModelBody = Type.Object(modelProperties, {
  additionalProperties: false,
  examples: [MeetingModelExample],
});

export const MeetingModelSchema = Type.Object(
  {
    networkId: Uuid,
    version: Type.Integer({ description: 'The model version; the ETag is its quoted form' }),
    model: Type.Object({
      cadenceMonths: oneOf(CADENCES_IN_MONTHS),
      durationMinutes: Type.Integer(),
      timeSlot: oneOf(TIME_SLOTS),
      localStartTime: Type.Union([Type.String(), Type.Null()]),
      venue: VenueSchema,
      startDate: Type.String(),
    }),
    adoptedAt: DateTime,
  },
  {
    examples: [
      {
        networkId: ID.network,
        version: 1,
        model: MeetingModelExample,
        adoptedAt: AT.modelAdopted,
      },
    ],
  },
);

export const GenerateMeetingsBody = Type.Object(
  {
    count: Type.Integer({
      minimum: 1,
      maximum: MAX_SCHEDULED_MEETINGS,
      description: 'How many meetings to add',
    }),
  },
  { additionalProperties: false, examples: [{ count: 2 }] },
);

const RoleHolderSchema = Type.Union([
  Type.Object({ kind: Type.Literal('member'), memberId: Type.String() }),
  Type.Object({ kind: Type.Literal('external'), name: Type.String() }),
  Type.Null(),
]);

export const RoleAssignmentSchema = Type.Object({
  role: oneOf(MEETING_ROLES),
  holder: RoleHolderSchema,
  basis: oneOf(['rotation', 'fixed', 'fixed_unavailable_rotation', 'external', 'unfilled'] as const),
  turnsBefore: Type.Union([Type.Integer(), Type.Null()]),
  lastTurn: Type.Union([Type.Integer(), Type.Null()]),
  explanation: LocalizedText,
});

/** A rotation pick as the domain explains it (6 active members, none away). */
const rotation = (role: string, memberId: string, turnsBefore: number, earlierTurns: number) => ({
  role,
  holder: { kind: 'member', memberId },
  basis: 'rotation',
  turnsBefore,
  lastTurn: null,
  explanation: {
    da: `Færrest tidligere ture i rollen (${turnsBefore}) blandt de 6 medlemmer, der kan deltage; har ikke haft rollen før; tidligere ture i alle roller: ${earlierTurns}.`,
    en: `Fewest past turns in the role (${turnsBefore}) among the 6 members who can attend; has not held it before; earlier turns in any role: ${earlierTurns}.`,
  },
});

const MeetingExample = {
  id: ID.meeting1,
  networkId: ID.network,
  sequence: 1,
  modelVersion: 1,
  status: 'planned',
  startsAt: AT.meeting1Starts,
  endsAt: AT.meeting1Ends,
  timeZone: 'Europe/Copenhagen',
  localStartsAt: '2027-01-12T17:00',
  localEndsAt: '2027-01-12T20:00',
  venue: { kind: 'in_person', place: 'Rådhuset, mødelokale 3, Aarhus' },
  roles: [
    rotation('coordinator', ID.mette, 0, 0),
    rotation('host', ID.soren, 0, 0),
    rotation('agenda_owner', ID.anne, 0, 0),
    rotation('facilitator', ID.lars, 0, 0),
  ],
  rolesOverriddenAt: null,
  heldAt: null,
  cancelledAt: null,
  version: 1,
  createdAt: AT.modelAdopted,
  updatedAt: AT.modelAdopted,
};

/** The second monthly meeting (12 February, same local time): the roles rotate on. */
const SecondMeetingExample = {
  ...MeetingExample,
  id: ID.meeting2,
  sequence: 2,
  startsAt: AT.meeting2Starts,
  endsAt: AT.meeting2Ends,
  localStartsAt: '2027-02-12T17:00',
  localEndsAt: '2027-02-12T20:00',
  roles: [
    rotation('coordinator', ID.camilla, 0, 0),
    rotation('host', ID.jesper, 0, 0),
    rotation('agenda_owner', ID.mette, 0, 1),
    rotation('facilitator', ID.soren, 0, 1),
  ],
};

/** The first meeting once the facilitator marked it held. */
const HeldMeetingExample = {
  ...MeetingExample,
  status: 'held',
  heldAt: AT.meeting1Held,
  version: 2,
  updatedAt: AT.meeting1Held,
};

export const MeetingSchema = Type.Object(
  {
    id: Uuid,
    networkId: Uuid,
    sequence: Type.Integer({ description: '1, 2, 3, … within the network' }),
    modelVersion: Type.Union([Type.Integer(), Type.Null()]),
    status: oneOf(MEETING_STATUSES),
    startsAt: DateTime,
    endsAt: DateTime,
    timeZone: Type.String({ description: 'The network’s time zone' }),
    localStartsAt: Type.String({ description: 'Local wall-clock start in timeZone, YYYY-MM-DDTHH:MM' }),
    localEndsAt: Type.String(),
    venue: VenueSchema,
    roles: Type.Array(RoleAssignmentSchema, { description: 'Coordinator, host, agenda owner, facilitator' }),
    rolesOverriddenAt: Type.Union([DateTime, Type.Null()], {
      description: 'When an admin last set the roles',
    }),
    heldAt: Type.Union([DateTime, Type.Null()]),
    cancelledAt: Type.Union([DateTime, Type.Null()]),
    version: Type.Integer({ description: 'Row version; the ETag is its quoted form' }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { examples: [MeetingExample] },
);

export const MeetingList = Type.Object(
  { data: Type.Array(MeetingSchema) },
  { examples: [{ data: [MeetingExample, SecondMeetingExample] }] },
);

export const MeetingPage = Type.Object(
  {
    data: Type.Array(MeetingSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as ?cursor= for the next page',
    }),
  },
  {
    examples: [
      { data: [HeldMeetingExample, SecondMeetingExample], nextCursor: encodeCursor(SecondMeetingExample.id) },
    ],
  },
);

export const MeetingPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'The nextCursor of the previous page' }),
    ),
    status: Type.Optional(oneOf(MEETING_STATUSES)),
  },
  { additionalProperties: false },
);

export const MoveMeetingBody = Type.Object(
  {
    startsAt: Type.Optional(DateTime),
    endsAt: Type.Optional(DateTime),
    venue: Type.Optional(VenueSchema),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    examples: [
      { startsAt: '2027-01-19T16:00:00.000Z' },
      { venue: { kind: 'online', link: 'https://meet.example.dk/abc' } },
    ],
  },
);

const RolePolicyBody = Type.Union([
  Type.Object({ kind: Type.Literal('rotating') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('fixed'), memberId: Uuid }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('external'), name: Type.String({ minLength: 1, maxLength: 200 }) },
    { additionalProperties: false, description: 'For the facilitator only' },
  ),
]);

export const MeetingRolesBody = Type.Object(
  {
    coordinator: Type.Optional(RolePolicyBody),
    host: Type.Optional(RolePolicyBody),
    agenda_owner: Type.Optional(RolePolicyBody),
    facilitator: Type.Optional(RolePolicyBody),
  },
  {
    additionalProperties: false,
    description: 'Per role: a fixed member, an external facilitator, or rotating (a missing role rotates)',
    examples: [
      {
        coordinator: { kind: 'fixed', memberId: ID.soren },
        facilitator: { kind: 'external', name: 'Hanne Facilitator' },
      },
    ],
  },
);

export const HeldSchema = Type.Object(
  {
    meeting: MeetingSchema,
    attendance: Type.Array(AttendanceSchema),
    lifecycleStatus: Type.String({
      description: 'The network’s lifecycle status after the meeting was counted',
    }),
  },
  {
    examples: [{ meeting: HeldMeetingExample, attendance: HeldAttendanceExample, lifecycleStatus: 'trial' }],
  },
);

export const NetworkIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const MeetingIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
