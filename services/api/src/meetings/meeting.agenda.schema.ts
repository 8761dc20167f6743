/**
 * The wire format of a meeting's agenda (items, the agenda list) and of whose case is next
 * (the domain's proposeNextCases). Re-exported by meeting.schema.ts.
 */
import { AGENDA_ITEM_KINDS, AGENDA_LIMITS } from '@sparring/domain';
import { Type } from 'typebox';
import { EXAMPLE_IDS as ID } from '../http/examples.js';
import { LocalizedTextSchema, oneOf } from '../http/schemas.js';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const LocalizedText = LocalizedTextSchema;

export const NextCasesQuery = Type.Object(
  { count: Type.Optional(Type.Integer({ minimum: 1, maximum: AGENDA_LIMITS.itemsMax })) },
  { additionalProperties: false },
);

/** Who has had the fewest own cases: after meeting 1, where Mette and Søren brought theirs. */
const nextCase = (memberId: string) => ({
  memberId,
  ownCases: 0,
  lastCase: null,
  reason: {
    da: 'Færrest egne sager (0) blandt de 6 medlemmer, der kan deltage; har ikke haft en egen sag endnu.',
    en: 'Fewest own cases (0) among the 6 members who can attend; has not had a case of their own yet.',
  },
});

export const NextCasesSchema = Type.Object(
  {
    networkId: Uuid,
    meetingId: Type.Union([Uuid, Type.Null()], {
      description: 'The next planned meeting (null when none)',
    }),
    meetingSequence: Type.Union([Type.Integer(), Type.Null()]),
    proposals: Type.Array(
      Type.Object({
        memberId: Type.String(),
        ownCases: Type.Integer(),
        lastCase: Type.Union([Type.Integer(), Type.Null()]),
        reason: LocalizedText,
      }),
    ),
  },
  {
    examples: [
      {
        networkId: ID.network,
        meetingId: ID.meeting2,
        meetingSequence: 2,
        proposals: [nextCase(ID.anne), nextCase(ID.lars)],
      },
    ],
  },
);

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

const AgendaItemExample = {
  id: ID.agendaItem,
  meetingId: ID.meeting2,
  ownerId: ID.anne,
  title: 'Når en medarbejder ikke vil forandring',
  kind: 'dilemma',
  position: 1,
  createdAt: '2027-01-20T08:15:00.000Z',
};

export const AgendaItemSchema = Type.Object(
  {
    id: Uuid,
    meetingId: Uuid,
    ownerId: Uuid,
    title: Type.String(),
    kind: oneOf(AGENDA_ITEM_KINDS),
    position: Type.Integer(),
    createdAt: DateTime,
  },
  { examples: [AgendaItemExample] },
);

export const AgendaList = Type.Object(
  { data: Type.Array(AgendaItemSchema) },
  {
    examples: [
      {
        data: [
          AgendaItemExample,
          {
            id: '0190a5f8-2c3e-7f50-8a6c-9e0f1a2b3c4d',
            meetingId: ID.meeting2,
            ownerId: ID.lars,
            title: 'Strategi for grøn omstilling i produktionen',
            kind: 'strategic_theme',
            position: 2,
            createdAt: '2027-01-22T13:40:00.000Z',
          },
        ],
      },
    ],
  },
);
