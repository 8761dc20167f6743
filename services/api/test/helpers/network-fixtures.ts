/**
 * Network fixtures for the tests, inserting rows directly (the networks and meetings routes were
 * other slices when these were written; the rows are what those routes write). Leaders and member
 * tokens go through REST; lifecycles are built with the domain's own transitions.
 *
 * - `createNetwork`: a network in `forming` or a started trial, with members (meetings tests).
 * - `seedNetwork`: a network part-way through its life: members, an accepted charter, a meeting
 *   model, held meetings with attendance, and evaluations (evaluations/health/reviews tests). Each
 *   held meeting carries the evaluation round the service freezes when it marks a meeting held
 *   (`evaluation_k`, `evaluation_closes_at`); by default every window has closed, so the results
 *   are released (see `SeedOptions.windowsOpen`).
 * - `closeEvaluationWindow`: time passes for a meeting marked held through the API (flow tests).
 */
import {
  type AttendanceStatus,
  DEFAULT_ROLES_POLICY,
  formingNetwork,
  type LifecycleEvent,
  type LifecycleState,
  parseCharter,
  parseMeetingModel,
  transition,
} from '@sparring/domain';
import { v7 as uuidv7 } from 'uuid';
import { serializeLifecycle } from '../../src/networks/lifecycle-state.js';
import type { Auth, TestApp } from './build.js';
import { leaderBody } from './fixtures.js';

const DAY = 86_400_000;
/** The networks' evaluation window (the default), days. */
const WINDOW_DAYS = 14;

// ---------------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------------

/** Creates `n` leaders (profile fields of leader i overridden by `overrides(i)`); their ids in order. */
export async function createLeaders(
  app: TestApp,
  auth: Auth,
  n: number,
  overrides: (i: number) => Record<string, unknown> = () => ({}),
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/leaders',
      headers: auth,
      payload: leaderBody(overrides(i)),
    });
    if (res.statusCode !== 201) throw new Error(`leader: ${res.statusCode} ${res.body}`);
    ids.push(res.json().id);
  }
  return ids;
}

export async function memberToken(app: TestApp, auth: Auth, leaderId: string): Promise<Auth> {
  const res = await app.inject({
    method: 'POST',
    url: `/v1/leaders/${leaderId}/member-tokens`,
    headers: auth,
    payload: {},
  });
  if (res.statusCode !== 201) throw new Error(`token: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json().token}` };
}

/** The domain's transition, throwing when it refuses. */
function applyTransition(state: LifecycleState, event: LifecycleEvent, at: Date): LifecycleState {
  const r = transition(state, event, at);
  if (!r.ok) throw new Error(`lifecycle ${event.type}: ${r.error.code}`);
  return r.value;
}

function startTrial(memberCount: number, minimumMembers: number): LifecycleEvent {
  return {
    type: 'start_trial',
    readiness: { memberCount, minimumMembers, charterInForce: true, hasMeetingModel: true },
  };
}

interface NetworkRow {
  name: string;
  lifecycle: LifecycleState;
  minMembers: number;
  timeZone: string;
  facilitatorId: string | null;
  minResponses: number;
}

/** Inserts the network row and its members (joined at `joinedAt`; consent per member index). */
async function insertNetwork(
  app: TestApp,
  tenantId: string,
  id: string,
  row: NetworkRow,
  members: { leaderIds: readonly string[]; joinedAt: Date; consents?: (j: number) => boolean },
): Promise<void> {
  await app.db
    .insertInto('networks')
    .values({
      tenant_id: tenantId,
      id,
      name: row.name,
      status: row.lifecycle.status,
      lifecycle: serializeLifecycle(row.lifecycle),
      min_members: row.minMembers,
      max_members: 12,
      trial_length: 3,
      review_every: 6,
      time_zone: row.timeZone,
      roles_policy: JSON.stringify(DEFAULT_ROLES_POLICY),
      facilitator: row.facilitatorId ? JSON.stringify({ kind: 'member', leaderId: row.facilitatorId }) : null,
      min_responses: row.minResponses,
      evaluation_window_days: WINDOW_DAYS,
    })
    .execute();
  if (members.leaderIds.length > 0)
    await app.db
      .insertInto('network_members')
      .values(
        members.leaderIds.map((leader_id, j) => ({
          tenant_id: tenantId,
          network_id: id,
          leader_id,
          joined_at: members.joinedAt,
          left_at: null,
          signal_consent: members.consents?.(j) ?? false,
        })),
      )
      .execute();
}

/** Parses the charter with the domain and inserts it as version 1. */
async function insertCharter(
  app: TestApp,
  tenantId: string,
  networkId: string,
  input: unknown,
  createdAt?: Date,
): Promise<void> {
  const charter = parseCharter(input);
  if (!charter.ok) throw new Error(`charter: ${JSON.stringify(charter.error.issues)}`);
  await app.db
    .insertInto('charter_versions')
    .values({
      tenant_id: tenantId,
      network_id: networkId,
      version: 1,
      charter: JSON.stringify(charter.value),
      ...(createdAt ? { created_at: createdAt } : {}),
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------
// createNetwork and the meetings helpers
// ---------------------------------------------------------------------------------------------

const LONG_AGO = new Date('2020-01-01T00:00:00Z');

/** A network in `forming`, or in a started 3-meeting `trial`, with these members (joined long ago). */
export async function createNetwork(
  app: TestApp,
  tenantId: string,
  memberIds: readonly string[],
  opts: { status?: 'forming' | 'trial'; timeZone?: string; facilitatorId?: string } = {},
): Promise<string> {
  let lifecycle: LifecycleState = formingNetwork(LONG_AGO);
  if (opts.status === 'trial')
    lifecycle = applyTransition(
      lifecycle,
      startTrial(memberIds.length, 1),
      new Date(LONG_AGO.getTime() + 1000),
    );
  const id = uuidv7();
  await insertNetwork(
    app,
    tenantId,
    id,
    {
      name: `Network ${id.slice(-4)}`,
      lifecycle,
      minMembers: 6,
      timeZone: opts.timeZone ?? 'Europe/Copenhagen',
      facilitatorId: opts.facilitatorId ?? null,
      minResponses: 3,
    },
    { leaderIds: memberIds, joinedAt: LONG_AGO },
  );
  return id;
}

/** A charter version with this cancellation notice (hours), as the charter routes store it. */
export async function addCharter(app: TestApp, tenantId: string, networkId: string, noticeHours: number) {
  await insertCharter(app, tenantId, networkId, {
    purpose: 'Sparring on leading people through change',
    goals: [{ category: 'people_leadership', description: 'Bring one dilemma each per cycle' }],
    groundRules: [{ kind: 'cancellation_notice', hours: noticeHours }],
  });
}

export const MODEL = {
  cadenceMonths: 1,
  durationMinutes: 180,
  timeSlot: 'weekday_evening',
  localStartTime: '17:00',
  venue: { kind: 'in_person', place: 'Rådhuset, Aarhus' },
  startDate: '2027-03-01',
};

/** Sets the model and generates `count` meetings; returns the meetings (REST resources). */
export async function modelAndMeetings(
  app: TestApp,
  auth: Auth,
  networkId: string,
  count: number,
  model: Record<string, unknown> = MODEL,
) {
  const put = await app.inject({
    method: 'PUT',
    url: `/v1/networks/${networkId}/meeting-model`,
    headers: auth,
    payload: model,
  });
  if (put.statusCode !== 201) throw new Error(`model: ${put.statusCode} ${put.body}`);
  const gen = await app.inject({
    method: 'POST',
    url: `/v1/networks/${networkId}/meetings/generate`,
    headers: auth,
    payload: { count },
  });
  if (gen.statusCode !== 201) throw new Error(`generate: ${gen.statusCode} ${gen.body}`);
  return gen.json().data as MeetingJson[];
}

export interface MeetingJson {
  id: string;
  sequence: number;
  status: string;
  startsAt: string;
  endsAt: string;
  localStartsAt: string;
  version: number;
  roles: { role: string; holder: { kind: string; memberId?: string; name?: string } | null; basis: string }[];
}

/** Moves a meeting so it starts at `startsAt` (REST, with If-Match). */
export async function moveTo(app: TestApp, auth: Auth, meeting: { id: string }, startsAt: Date) {
  const current = await app.inject({ url: `/v1/meetings/${meeting.id}`, headers: auth });
  const res = await app.inject({
    method: 'PATCH',
    url: `/v1/meetings/${meeting.id}`,
    headers: { ...auth, 'if-match': current.headers.etag as string },
    payload: { startsAt: startsAt.toISOString() },
  });
  if (res.statusCode !== 200) throw new Error(`move: ${res.statusCode} ${res.body}`);
  return res.json() as MeetingJson;
}

export const PAST_MODEL = { ...MODEL, startDate: '2024-01-08' };

// ---------------------------------------------------------------------------------------------
// seedNetwork
// ---------------------------------------------------------------------------------------------

export interface Answers {
  benefit: number;
  energy: number;
  purposeFit: number;
  relations: number;
  giveGet: number;
  comment?: string | null;
}

export interface SeedOptions {
  /** Members (default 6). */
  members?: number;
  /** k (default 5). */
  minResponses?: number;
  /** Held meetings (default 3; with the default trial of 3 the network ends review_due). */
  held?: number;
  /** Days between meetings (default 30); the last meeting is `lastHeldDaysAgo` days ago (default 2). */
  spacingDays?: number;
  lastHeldDaysAgo?: number;
  /** Attendance of member j at meeting i (default attended). */
  attendance?: (i: number, j: number) => AttendanceStatus;
  /** Answers of member j about meeting i, or null for none (default: none). */
  answers?: (i: number, j: number) => Answers | null;
  /** Index of the member who facilitates (default none). */
  facilitator?: number;
  /** Members (by index) who consent to the facilitator seeing their signals. */
  consenting?: number[];
  /** A planned (not held) meeting after the held ones. */
  planned?: boolean;
  /**
   * Whether the held meetings' evaluation windows are still open (default false). Closed: each
   * window closed at `held_at + 4 h` as if everyone had answered by then (the early close), or at
   * its deadline `held_at + 14 days` when that has already passed; the results are released (at
   * least k answers) or pooled. Open: each closes at its deadline, in the future for a recent meeting.
   */
  windowsOpen?: boolean;
}

export interface SeededNetwork {
  networkId: string;
  leaderIds: string[];
  /** Authorization headers of each member's token. */
  tokens: { authorization: string }[];
  /** Held meetings, oldest first (then the planned one, if any). */
  meetingIds: string[];
  plannedMeetingId: string | null;
  lifecycle: LifecycleState;
}

export const charterInput = {
  purpose: 'Sparring on our own leadership dilemmas',
  goals: [{ category: 'dilemma_sparring', description: 'Bring one real dilemma each meeting' }],
};
export const meetingModelInput = {
  cadenceMonths: 1,
  timeSlot: 'weekday_daytime',
  venue: { kind: 'in_person', place: 'Aarhus' },
  startDate: '2026-06-01',
};

export async function seedNetwork(
  app: TestApp,
  tenantId: string,
  auth: Auth,
  opts: SeedOptions = {},
): Promise<SeededNetwork> {
  const n = opts.members ?? 6;
  const held = opts.held ?? 3;
  const spacing = (opts.spacingDays ?? 30) * DAY;
  const now = Date.now();
  const lastAt = now - (opts.lastHeldDaysAgo ?? 2) * DAY;
  const startsAt = Array.from({ length: held }, (_, i) => new Date(lastAt - (held - 1 - i) * spacing));
  const t0 = new Date((startsAt[0]?.getTime() ?? lastAt) - 20 * DAY);

  // Each leader, then its token.
  const leaderIds: string[] = [];
  const tokens: Auth[] = [];
  for (let j = 0; j < n; j++) {
    const [leaderId] = await createLeaders(app, auth, 1);
    if (!leaderId) throw new Error('seed: no leader');
    leaderIds.push(leaderId);
    tokens.push(await memberToken(app, auth, leaderId));
  }

  // The lifecycle through the domain's own transitions.
  let lifecycle = applyTransition(
    formingNetwork(t0),
    startTrial(n, Math.min(6, n)),
    new Date(t0.getTime() + DAY),
  );
  for (const at of startsAt)
    lifecycle = applyTransition(lifecycle, { type: 'meeting_held' }, new Date(at.getTime() + 3 * 3_600_000));

  const networkId = uuidv7();
  const k = opts.minResponses ?? 5;
  await insertNetwork(
    app,
    tenantId,
    networkId,
    {
      name: 'Seeded network',
      lifecycle,
      minMembers: Math.min(6, n),
      timeZone: 'Europe/Copenhagen',
      facilitatorId: opts.facilitator === undefined ? null : (leaderIds[opts.facilitator] ?? null),
      minResponses: k,
    },
    { leaderIds, joinedAt: t0, consents: (j) => (opts.consenting ?? []).includes(j) },
  );
  await insertCharter(app, tenantId, networkId, charterInput, t0);
  await app.db
    .insertInto('charter_acceptances')
    .values(
      leaderIds.map((id) => ({
        tenant_id: tenantId,
        network_id: networkId,
        version: 1,
        leader_id: id,
        accepted_at: t0,
      })),
    )
    .execute();
  const model = parseMeetingModel(meetingModelInput);
  if (!model.ok) throw new Error('seed: meeting model invalid');
  await app.db
    .insertInto('meeting_model_versions')
    .values({
      tenant_id: tenantId,
      network_id: networkId,
      version: 1,
      model: JSON.stringify(model.value),
      created_at: t0,
    })
    .execute();

  /** The round the service freezes when a meeting is marked held (k and when answers stop). */
  const round = (heldAt: Date) => {
    const deadline = heldAt.getTime() + WINDOW_DAYS * DAY;
    const closesAt = opts.windowsOpen || deadline < now ? deadline : heldAt.getTime() + 4 * 3_600_000;
    return { evaluation_k: k, evaluation_closes_at: new Date(closesAt) };
  };
  const meetingIds: string[] = [];
  const addMeeting = async (seq: number, start: Date, status: 'held' | 'planned') => {
    const id = uuidv7();
    const heldAt = status === 'held' ? new Date(start.getTime() + 3 * 3_600_000) : null;
    await app.db
      .insertInto('meetings')
      .values({
        tenant_id: tenantId,
        id,
        network_id: networkId,
        sequence: seq,
        model_version: 1,
        starts_at: start,
        ends_at: new Date(start.getTime() + 3 * 3_600_000),
        venue: JSON.stringify({ kind: 'in_person', place: 'Aarhus' }),
        status,
        roles: JSON.stringify([]),
        held_at: heldAt,
        cancelled_at: null,
        ...(heldAt ? round(heldAt) : {}),
      })
      .execute();
    return id;
  };
  for (const [i, start] of startsAt.entries()) {
    const id = await addMeeting(i + 1, start, 'held');
    meetingIds.push(id);
    await app.db
      .insertInto('attendance')
      .values(
        leaderIds.map((leaderId, j) => {
          const status = opts.attendance?.(i, j) ?? 'attended';
          return {
            tenant_id: tenantId,
            meeting_id: id,
            leader_id: leaderId,
            status,
            cancelled_at: status === 'cancelled' ? new Date(start.getTime() - 24 * 3_600_000) : null,
            late: status === 'cancelled',
          };
        }),
      )
      .execute();
    for (const [j, leaderId] of leaderIds.entries()) {
      const a = opts.answers?.(i, j);
      if (!a) continue;
      const at = new Date(start.getTime() + 4 * 3_600_000);
      await app.db
        .insertInto('evaluations')
        .values({
          tenant_id: tenantId,
          meeting_id: id,
          leader_id: leaderId,
          benefit: a.benefit,
          energy: a.energy,
          purpose_fit: a.purposeFit,
          relations: a.relations,
          give_get: a.giveGet,
          comment: a.comment ?? null,
          submitted_at: at,
          updated_at: at,
        })
        .execute();
    }
  }
  let plannedMeetingId: string | null = null;
  if (opts.planned) {
    plannedMeetingId = await addMeeting(held + 1, new Date(now + 20 * DAY), 'planned');
    meetingIds.push(plannedMeetingId);
  }
  return { networkId, leaderIds, tokens, meetingIds, plannedMeetingId, lifecycle };
}

/**
 * Time passes: the evaluation window of a meeting marked held through the API closes (its
 * `evaluation_closes_at` moved a second into the past), so its results can be released (at least
 * k answers) or pooled. What the service does at the deadline, without waiting 14 days.
 */
export async function closeEvaluationWindow(
  app: TestApp,
  tenantId: string,
  meetingId: string,
): Promise<void> {
  const res = await app.db
    .updateTable('meetings')
    .set({ evaluation_closes_at: new Date(Date.now() - 1000) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', meetingId)
    .where('status', '=', 'held')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new Error(`closeEvaluationWindow: ${meetingId} is not held`);
}
