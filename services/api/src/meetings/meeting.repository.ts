/**
 * Meetings, their model versions, agenda items and attendance in the database. Plain functions
 * taking the database (or a transaction) first; every query filters by tenant. Rows become domain
 * values through the `rowToX` mappers.
 */
import type {
  AgendaItemKind,
  Attendance,
  AttendanceStatus,
  MeetingModel,
  MeetingModelVersion,
  MeetingStatus,
  RoleAssignment,
  Venue,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import { qualified } from '../db/columns.js';
import { preparedQuery } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import {
  type AgendaItemRow,
  type AttendanceRow,
  MEETING_COLUMNS,
  type MeetingRow,
} from '../db/tables/meeting.table.js';
import type { MeetingModelVersionRow } from '../db/tables/network.table.js';

/** A stored meeting with its bookkeeping. */
export interface StoredMeeting {
  readonly id: string;
  readonly networkId: string;
  readonly sequence: number;
  readonly modelVersion: number | null;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly venue: Venue;
  readonly status: MeetingStatus;
  readonly roles: readonly RoleAssignment[];
  readonly rolesOverriddenAt: Date | null;
  readonly heldAt: Date | null;
  readonly cancelledAt: Date | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface StoredAgendaItem {
  readonly id: string;
  readonly meetingId: string;
  readonly ownerId: string;
  readonly title: string;
  readonly kind: AgendaItemKind;
  readonly position: number;
  readonly createdAt: Date;
}

export interface StoredAttendance {
  readonly meetingId: string;
  readonly leaderId: string;
  readonly status: AttendanceStatus;
  readonly cancelledAt: Date | null;
  readonly late: boolean;
  readonly updatedAt: Date;
}

/** jsonb comes back parsed from pg; PGlite may hand back text in some paths. */
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

export function rowToMeeting(row: MeetingRow): StoredMeeting {
  return {
    id: row.id,
    networkId: row.network_id,
    sequence: row.sequence,
    modelVersion: row.model_version,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    venue: json<Venue>(row.venue),
    status: row.status,
    roles: json<RoleAssignment[]>(row.roles),
    rolesOverriddenAt: row.roles_overridden_at,
    heldAt: row.held_at,
    cancelledAt: row.cancelled_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function rowToAgendaItem(row: AgendaItemRow): StoredAgendaItem {
  return {
    id: row.id,
    meetingId: row.meeting_id,
    // Every item the service writes has an owner (parseAgenda requires one).
    ownerId: row.owner_id ?? '',
    title: row.title,
    kind: row.kind,
    position: row.position,
    createdAt: row.created_at,
  };
}

/** A stored attendance as the domain's `Attendance` (a cancellation without a time uses the row's update time). */
export function toDomainAttendance(a: StoredAttendance): Attendance {
  if (a.status === 'cancelled') {
    return { memberId: a.leaderId, status: 'cancelled', cancelledAt: a.cancelledAt ?? a.updatedAt };
  }
  return { memberId: a.leaderId, status: a.status };
}

export function rowToAttendance(row: AttendanceRow): StoredAttendance {
  return {
    meetingId: row.meeting_id,
    leaderId: row.leader_id,
    status: row.status,
    cancelledAt: row.cancelled_at,
    late: row.late,
    updatedAt: row.updated_at,
  };
}

export function rowToModelVersion(row: MeetingModelVersionRow): MeetingModelVersion {
  return { version: row.version, model: json<MeetingModel>(row.model), adoptedAt: row.created_at };
}

// -- meeting model versions --

export async function latestModelVersion(
  db: Kysely<Database>,
  tenantId: string,
  networkId: string,
): Promise<MeetingModelVersion | null> {
  const row = await db
    .selectFrom('meeting_model_versions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', '=', networkId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? rowToModelVersion(row) : null;
}

/** The latest model version of each network, in one query (for loaders). */
export async function latestModelVersions(
  db: Kysely<Database>,
  tenantId: string,
  networkIds: readonly string[],
): Promise<Map<string, MeetingModelVersion>> {
  const out = new Map<string, MeetingModelVersion>();
  if (networkIds.length === 0) return out;
  const rows = await db
    .selectFrom('meeting_model_versions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds)
    .orderBy('version', 'asc')
    .execute();
  for (const row of rows) out.set(row.network_id, rowToModelVersion(row));
  return out;
}

export async function insertModelVersion(
  db: Kysely<Database>,
  tenantId: string,
  networkId: string,
  version: MeetingModelVersion,
): Promise<MeetingModelVersion> {
  const row = await db
    .insertInto('meeting_model_versions')
    .values({
      tenant_id: tenantId,
      network_id: networkId,
      version: version.version,
      model: JSON.stringify(version.model),
      created_at: version.adoptedAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToModelVersion(row);
}

// -- meetings --

export async function findMeeting(db: Kysely<Database>, tenantId: string, id: string) {
  const row = await db
    .selectFrom('meetings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? rowToMeeting(row) : undefined;
}

/** The meeting locked for the rest of the transaction (concurrent writes to it wait). */
export async function lockMeeting(trx: Kysely<Database>, tenantId: string, id: string) {
  const row = await trx
    .selectFrom('meetings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? rowToMeeting(row) : undefined;
}

/** Every meeting of a network, by sequence. */
export async function networkMeetings(db: Kysely<Database>, tenantId: string, networkId: string) {
  const rows = await db
    .selectFrom('meetings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', '=', networkId)
    .orderBy('sequence')
    .execute();
  return rows.map(rowToMeeting);
}

/** Every meeting of these networks, by sequence, in one query (for loaders). */
export async function meetingsOfNetworks(
  db: Kysely<Database>,
  tenantId: string,
  networkIds: readonly string[],
) {
  if (networkIds.length === 0) return [];
  const rows = await db
    .selectFrom('meetings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds)
    .orderBy('sequence')
    .execute();
  return rows.map(rowToMeeting);
}

/** Which page of a network's meetings to read (`networkWithMeetings`). */
export interface MeetingPageOptions {
  after?: string | undefined;
  limit: number;
  status?: MeetingStatus | undefined;
  /** Only meetings starting before this instant (a former member's cutoff). */
  startsBefore?: Date | undefined;
}

/**
 * A page of a network's meetings after the cursor id (and, for a former member, starting before
 * their cutoff: the filter is in the query, so pages stay full), with the network it lists in the
 * same round trip: the network (of the tenant) joined laterally to the page. Meetings are created
 * in sequence order and ids are UUIDv7, so id order is sequence order; fetches `limit + 1` to know
 * if there is more. Undefined when the tenant has no such network (the caller's 404); else the
 * network's time zone and the page (empty when it has no meetings).
 */
export async function networkWithMeetings(
  db: Kysely<Database>,
  tenantId: string,
  networkId: string,
  opts: MeetingPageOptions,
): Promise<{ timeZone: string; meetings: StoredMeeting[] } | undefined> {
  const rows = await networkMeetingPage(db, null, {
    tenantId,
    networkId,
    after: opts.after,
    status: opts.status,
    startsBefore: opts.startsBefore,
    limit: opts.limit + 1,
  });
  const first = rows[0];
  if (!first) return undefined;
  const meetings = rows.filter((r) => r.id !== null).map((r) => rowToMeeting(r as MeetingRow));
  return { timeZone: first.network_time_zone, meetings };
}

/** The query of `networkWithMeetings`, compiled once per set of filters (src/db/prepared.ts). */
const networkMeetingPage = preparedQuery(
  (
    db,
    _shape: null,
    v: {
      tenantId: string;
      networkId: string;
      after: string | undefined;
      status: MeetingStatus | undefined;
      startsBefore: Date | undefined;
      limit: number;
    },
  ) =>
    db
      .selectFrom('networks as n')
      .leftJoinLateral(
        (eb) => {
          let page = eb
            .selectFrom('meetings')
            .select(MEETING_COLUMNS)
            .whereRef('meetings.tenant_id', '=', 'n.tenant_id')
            .whereRef('meetings.network_id', '=', 'n.id');
          if (v.after !== undefined) page = page.where('meetings.id', '>', v.after);
          if (v.status !== undefined) page = page.where('meetings.status', '=', v.status);
          if (v.startsBefore !== undefined) page = page.where('meetings.starts_at', '<', v.startsBefore);
          return page.orderBy('meetings.id').limit(v.limit).as('m');
        },
        (join) => join.onTrue(),
      )
      .select(qualified('m', MEETING_COLUMNS))
      .select('n.time_zone as network_time_zone')
      .where('n.tenant_id', '=', v.tenantId)
      .where('n.id', '=', v.networkId)
      .orderBy('m.id'),
  { statement: 'meeting_page' },
);

// -- agenda --

export async function agendaOf(db: Kysely<Database>, tenantId: string, meetingIds: readonly string[]) {
  if (meetingIds.length === 0) return [];
  const rows = await db
    .selectFrom('agenda_items')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('meeting_id', 'in', meetingIds)
    .orderBy('meeting_id')
    .orderBy('position')
    .execute();
  return rows.map(rowToAgendaItem);
}

export async function findAgendaItem(db: Kysely<Database>, tenantId: string, id: string) {
  const row = await db
    .selectFrom('agenda_items')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? rowToAgendaItem(row) : undefined;
}

// -- attendance --

export async function attendanceOf(db: Kysely<Database>, tenantId: string, meetingIds: readonly string[]) {
  if (meetingIds.length === 0) return [];
  const rows = await db
    .selectFrom('attendance')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('meeting_id', 'in', meetingIds)
    .orderBy('meeting_id')
    .orderBy('leader_id')
    .execute();
  return rows.map(rowToAttendance);
}
