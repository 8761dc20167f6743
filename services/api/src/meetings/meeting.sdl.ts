/**
 * The meetings slice of the GraphQL schema as SDL: the meeting model, meetings and their roles,
 * the agenda, attendance, whose case is next, and the fields, queries and mutations they add.
 * The resolvers are in meeting.graphql.ts.
 */
import { AGENDA_ITEM_KINDS, ATTENDANCE_STATUSES, MEETING_ROLES, MEETING_STATUSES } from '@sparring/domain';
import { enumSdl } from '../graphql/sdl.js';

export const meetingTypeDefs = /* GraphQL */ `
  ${enumSdl('MeetingStatus', MEETING_STATUSES)}
  ${enumSdl('MeetingRole', MEETING_ROLES)}
  ${enumSdl('AgendaItemKind', AGENDA_ITEM_KINDS)}
  ${enumSdl('AttendanceStatus', ATTENDANCE_STATUSES)}
  ${enumSdl('HeldAttendanceStatus', ['attended', 'no_show'])}

  "Danish and English text from the domain (explanations, reasons)."
  type MeetingText {
    da: String!
    en: String!
  }

  "Where a network meets: in_person (place), online (link) or hybrid (both)."
  type MeetingVenue {
    kind: String!
    place: String
    link: String
  }

  "A version of a network's meeting model."
  type MeetingModel {
    version: Int!
    cadenceMonths: Int!
    durationMinutes: Int!
    timeSlot: TimeSlot!
    localStartTime: String
    venue: MeetingVenue!
    startDate: String!
    adoptedAt: String!
  }

  "Who holds a role: a member (memberId) or the agreed outsider (name)."
  type MeetingRoleHolder {
    kind: String!
    memberId: ID
    name: String
  }

  "One role of one meeting, with its holder and the domain's reason."
  type MeetingRoleAssignment {
    role: MeetingRole!
    holder: MeetingRoleHolder
    basis: String!
    turnsBefore: Int
    lastTurn: Int
    explanation: MeetingText!
  }

  type AgendaItem {
    id: ID!
    meetingId: ID!
    ownerId: ID!
    title: String!
    kind: AgendaItemKind!
    position: Int!
    createdAt: String!
  }

  "A member's attendance. cancelledAt and late: for the admin, the facilitator and the member themselves (else null)."
  type Attendance {
    meetingId: ID!
    leaderId: ID!
    status: AttendanceStatus!
    cancelledAt: String
    late: Boolean
    updatedAt: String!
  }

  type Meeting {
    id: ID!
    networkId: ID!
    sequence: Int!
    modelVersion: Int
    status: MeetingStatus!
    startsAt: String!
    endsAt: String!
    timeZone: String!
    localStartsAt: String!
    localEndsAt: String!
    venue: MeetingVenue!
    roles: [MeetingRoleAssignment!]!
    rolesOverriddenAt: String
    heldAt: String
    cancelledAt: String
    version: Int!
    "Pass as after to Network.meetings for the meetings after this one."
    cursor: String!
    "The agenda in order."
    agenda: [AgendaItem!]!
    "Who comes (see Attendance for what is shown to whom)."
    attendance: [Attendance!]!
  }

  type CaseProposal {
    memberId: ID!
    ownCases: Int!
    lastCase: Int
    reason: MeetingText!
  }

  type NextCases {
    meetingId: ID
    meetingSequence: Int
    proposals: [CaseProposal!]!
  }

  type MeetingHeldResult {
    meeting: Meeting!
    lifecycleStatus: NetworkStatus!
  }

  input MeetingVenueInput {
    kind: String!
    place: String
    link: String
  }

  input MeetingModelInput {
    cadenceMonths: Int!
    durationMinutes: Int
    timeSlot: TimeSlot!
    localStartTime: String
    venue: MeetingVenueInput!
    startDate: String!
  }

  input MoveMeetingInput {
    startsAt: String
    endsAt: String
    venue: MeetingVenueInput
  }

  "kind: rotating | fixed (memberId) | external (name; facilitator only)."
  input MeetingRolePolicyInput {
    kind: String!
    memberId: ID
    name: String
  }

  input MeetingRolesInput {
    coordinator: MeetingRolePolicyInput
    host: MeetingRolePolicyInput
    agenda_owner: MeetingRolePolicyInput
    facilitator: MeetingRolePolicyInput
  }

  input AgendaItemInput {
    ownerId: ID
    title: String!
    kind: AgendaItemKind!
  }

  input HeldAttendanceInput {
    leaderId: ID!
    status: HeldAttendanceStatus!
  }

  extend type Network {
    "The latest meeting model version (null when none)."
    meetingModel: MeetingModel
    "Meetings in sequence order; after is the cursor (a meeting's cursor field)."
    meetings(first: Int = 50, after: String): [Meeting!]!
      @deprecated(reason: "Use meetingPage: the page shape of every list (nodes and nextCursor).")
    "Meetings in sequence order, a page at a time: pass nextCursor as after for the next."
    meetingPage(first: Int = 50, after: String): MeetingPage!
  }

  type MeetingPage {
    nodes: [Meeting!]!
    "null on the last page."
    nextCursor: String
  }

  extend type Query {
    meeting(id: ID!): Meeting!
    "Whose case is next at the network's next planned meeting."
    nextCases(networkId: ID!, count: Int): NextCases!
  }

  extend type Mutation {
    "Admin or facilitator. ifVersion: the version you read (0 when none)."
    setMeetingModel(networkId: ID!, input: MeetingModelInput!, ifVersion: Int): MeetingModel!
    generateMeetings(networkId: ID!, count: Int!): [Meeting!]!
    "ifVersion is required: a lost move would hurt."
    moveMeeting(id: ID!, input: MoveMeetingInput!, ifVersion: Int!): Meeting!
    cancelMeeting(id: ID!, ifVersion: Int): Meeting!
    "Admin only."
    setMeetingRoles(id: ID!, input: MeetingRolesInput!, ifVersion: Int): Meeting!
    addAgendaItem(meetingId: ID!, input: AgendaItemInput!): AgendaItem!
    removeAgendaItem(id: ID!): Boolean!
    "Member token."
    confirmAttendance(meetingId: ID!): Attendance!
    "Member token: an afbud."
    cancelAttendance(meetingId: ID!): Attendance!
    markMeetingHeld(id: ID!, attendance: [HeldAttendanceInput!]!): MeetingHeldResult!
    "Admin or facilitator: an afbud given by phone or in person, with the time it was given (ISO 8601; late is judged from it). Audited."
    recordAfbud(meetingId: ID!, leaderId: ID!, cancelledAt: String!): Attendance!
  }
`;
