/**
 * The meetings' wire format (REST and the OpenAPI document). Vocabularies come from the domain
 * package; the domain's parseMeetingModel / parseRolesPolicy / parseAgenda then check the rules.
 */
import {
  AGENDA_ITEM_KINDS,
  AGENDA_LIMITS,
  ATTENDANCE_STATUSES,
  CADENCES_IN_MONTHS,
  MAX_SCHEDULED_MEETINGS,
  MEETING_DURATION,
  MEETING_ROLES,
  TIME_SLOTS,
} from '@sparring/domain';
import { Type } from 'typebox';

const oneOf = <const T extends readonly (string | number)[]>(values: T) => Type.Enum([...values] as [...T]);
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const LocalizedText = Type.Object({ da: Type.String(), en: Type.String() });

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
        networkId: '0190a5f4-3c1e-7a3b-9d2e-4f5a6b7c8d9e',
        version: 1,
        model: MeetingModelExample,
        adoptedAt: '2026-12-01T09:00:00.000Z',
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
  { additionalProperties: false, examples: [{ count: 3 }] },
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

const MeetingExample = {
  id: '0190a5f4-4000-7a3b-9d2e-4f5a6b7c8d9e',
  networkId: '0190a5f4-3c1e-7a3b-9d2e-4f5a6b7c8d9e',
  sequence: 1,
  modelVersion: 1,
  status: 'planned',
  startsAt: '2027-01-12T16:00:00.000Z',
  endsAt: '2027-01-12T19:00:00.000Z',
  timeZone: 'Europe/Copenhagen',
  localStartsAt: '2027-01-12T17:00',
  localEndsAt: '2027-01-12T20:00',
  venue: { kind: 'in_person', place: 'Rådhuset, mødelokale 3, Aarhus' },
  roles: [
    {
      role: 'coordinator',
      holder: { kind: 'member', memberId: '0190a5f4-5000-7a3b-9d2e-4f5a6b7c8d9e' },
      basis: 'rotation',
      turnsBefore: 0,
      lastTurn: null,
      explanation: {
        da: 'Færrest tidligere ture i rollen (0) …',
        en: 'Fewest past turns in the role (0) …',
      },
    },
  ],
  rolesOverriddenAt: null,
  heldAt: null,
  cancelledAt: null,
  version: 1,
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
};

export const MeetingSchema = Type.Object(
  {
    id: Uuid,
    networkId: Uuid,
    sequence: Type.Integer({ description: '1, 2, 3, … within the network' }),
    modelVersion: Type.Union([Type.Integer(), Type.Null()]),
    status: oneOf(['planned', 'held', 'cancelled'] as const),
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

export const MeetingList = Type.Object({ data: Type.Array(MeetingSchema) });

export const MeetingPage = Type.Object({
  data: Type.Array(MeetingSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= for the next page' }),
});

export const MeetingPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'The nextCursor of the previous page' }),
    ),
    status: Type.Optional(oneOf(['planned', 'held', 'cancelled'] as const)),
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
        coordinator: { kind: 'fixed', memberId: '0190a5f4-5000-7a3b-9d2e-4f5a6b7c8d9e' },
        facilitator: { kind: 'external', name: 'Hanne Facilitator' },
      },
    ],
  },
);

export const NextCasesQuery = Type.Object(
  { count: Type.Optional(Type.Integer({ minimum: 1, maximum: AGENDA_LIMITS.itemsMax })) },
  { additionalProperties: false },
);

export const NextCasesSchema = Type.Object({
  networkId: Uuid,
  meetingId: Type.Union([Uuid, Type.Null()], { description: 'The next planned meeting (null when none)' }),
  meetingSequence: Type.Union([Type.Integer(), Type.Null()]),
  proposals: Type.Array(
    Type.Object({
      memberId: Type.String(),
      ownCases: Type.Integer(),
      lastCase: Type.Union([Type.Integer(), Type.Null()]),
      reason: LocalizedText,
    }),
  ),
});

export const AgendaItemBody = Type.Object(
  {
    ownerId: Type.Optional(Uuid),
    title: Type.String({ minLength: 1, maxLength: AGENDA_LIMITS.titleMax }),
    kind: oneOf(AGENDA_ITEM_KINDS),
  },
  {
    additionalProperties: false,
    description: 'ownerId defaults to the calling member; admins and the facilitator name the owner',
    examples: [{ title: 'Når en medarbejder ikke vil forandring', kind: 'dilemma' }],
  },
);

export const AgendaItemSchema = Type.Object({
  id: Uuid,
  meetingId: Uuid,
  ownerId: Uuid,
  title: Type.String(),
  kind: oneOf(AGENDA_ITEM_KINDS),
  position: Type.Integer(),
  createdAt: DateTime,
});

export const AgendaList = Type.Object({ data: Type.Array(AgendaItemSchema) });

export const AttendanceSchema = Type.Object({
  meetingId: Uuid,
  leaderId: Uuid,
  status: oneOf(ATTENDANCE_STATUSES),
  cancelledAt: Type.Union([DateTime, Type.Null()], {
    description: 'When the afbud was given: shown to the admin, the facilitator and the member themselves',
  }),
  late: Type.Union([Type.Boolean(), Type.Null()], {
    description: 'The afbud came inside the charter’s notice (default 48 h); same visibility as cancelledAt',
  }),
  updatedAt: DateTime,
});

export const AttendanceList = Type.Object({ data: Type.Array(AttendanceSchema) });

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
    examples: [{ attendance: [{ leaderId: '0190a5f4-5000-7a3b-9d2e-4f5a6b7c8d9e', status: 'attended' }] }],
  },
);

export const HeldSchema = Type.Object({
  meeting: MeetingSchema,
  attendance: Type.Array(AttendanceSchema),
  lifecycleStatus: Type.String({
    description: 'The network’s lifecycle status after the meeting was counted',
  }),
});

export const NetworkIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const MeetingIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
