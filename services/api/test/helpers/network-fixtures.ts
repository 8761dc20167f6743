/**
 * Network fixtures for the tests, built through the REST API as an HR integrator would: leaders,
 * a network, members, a charter accepted with member tokens, a meeting model, the trial, meetings
 * generated, moved, answered (afbud), marked held and evaluated. What needs the past (members who
 * joined long ago, meetings held weeks ago) is done by moving the clock, not by writing rows: the
 * requests are made with JavaScript's Date faked (`@sinonjs/fake-timers`, `toFake: ['Date']`) at
 * the instant the service should record, and the clock is uninstalled afterwards. That works
 * because the service reads the time of everything these fixtures create from `new Date()`. The
 * columns the database fills with its own `now()` (`events.occurred_at`, `member_tokens.created_at`,
 * `leaders.created_at`, the rate-limit windows) are another clock: on PostgreSQL they keep the real
 * time; PGlite (PostgreSQL in WebAssembly) reads JavaScript's clock, so there they follow the faked
 * one (and its internal timers print a TimeoutOverflowWarning when the clock jumps). No test reads
 * them for these rows.
 *
 * - `createNetwork`: a network in `forming` or a started 3-meeting `trial`, with members who joined
 *   on 2020-01-01 (meetings tests).
 * - `seedNetwork`: a network part-way through its life: members, an accepted charter, a meeting
 *   model, held meetings with attendance, and evaluations (evaluations/health/reviews tests).
 * - `addCharter`: a charter version with a cancellation notice, proposed by the admin.
 * - `closeEvaluationWindow`: time passes for a meeting marked held through the API (flow tests).
 *
 * What the API cannot do, and what these fixtures do instead:
 * - A trial needs at least `size.min` active members, and `size.min` is at least 4 (the domain's
 *   NETWORK_SIZE_LIMITS). A trial of fewer members starts with stand-in leaders who leave right
 *   after the start (before any meeting is generated), as a member who leaves early would: the
 *   network lists them as former members, and its `minMembers` is 4, not the member count.
 * - An evaluation window closes `evaluationWindowDays` (14) after the meeting was marked held, or
 *   early when every member who could answer has answered. The deadline is frozen, in the real
 *   future for a meeting held less than 14 days ago, and a faked JavaScript clock moves nothing
 *   once the fixture has returned. So the window of such a meeting (when not every member
 *   answered) is closed by one direct update of `meetings.evaluation_closes_at` (the
 *   `closeWindows` step of `seedNetwork`, and `closeEvaluationWindow`): what the service reads when
 *   14 days have passed. Nothing else about a network is written to the database directly.
 * - The tenant's admin key: `createNetwork` and `addCharter` take a tenant id, not a key, so they
 *   add an admin key for the tenant once (`insertApiKey`, as tenants are provisioned) and call the
 *   API with it.
 */
import FakeTimers from '@sinonjs/fake-timers';
import type { AttendanceStatus, LifecycleState } from '@sparring/domain';
import { sql } from 'kysely';
import { reviveLifecycle } from '../../src/networks/lifecycle-state.js';
import { generateApiKey } from '../../src/tenants/api-key.js';
import { insertApiKey } from '../../src/tenants/tenant.repository.js';
import { api } from './api.js';
import type { Auth, TestApp } from './build.js';
import { createLeader } from './fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The smallest network the domain allows (NETWORK_SIZE_LIMITS.smallest): the least members a trial starts with. */
const SMALLEST_NETWORK = 4;

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
  for (let i = 0; i < n; i++) ids.push((await createLeader(app, auth, overrides(i))).id);
  return ids;
}

export async function memberToken(app: TestApp, auth: Auth, leaderId: string): Promise<Auth> {
  const res = await api(app, auth).post(`/v1/leaders/${leaderId}/member-tokens`, {});
  if (res.statusCode !== 201) throw new Error(`token: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json().token}` };
}

/** A request through the API; throws with the response when its status is not one of `expected`. */
async function call(
  app: TestApp,
  auth: Auth,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload?: unknown,
  expected: readonly number[] = [200, 201],
  headers: Record<string, string> = {},
) {
  const res = await api(app, auth).send(method, url, payload, { headers });
  if (!expected.includes(res.statusCode)) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res;
}

/**
 * Runs `fn` with JavaScript's Date faked (nothing else: timers, I/O and the database run as
 * always), starting at `start`; `fn` moves it with `setTime`. The real clock is back when `fn`
 * settles, whatever happens.
 */
async function withClock<T>(start: Date, fn: (setTime: (at: Date) => void) => Promise<T>): Promise<T> {
  const clock = FakeTimers.install({ now: start, toFake: ['Date'] });
  try {
    return await fn((at) => clock.setSystemTime(at));
  } finally {
    clock.uninstall();
  }
}

/** An admin key of the tenant for the fixtures that take a tenant id (added once per app and tenant). */
const adminKeys = new WeakMap<TestApp, Map<string, Auth>>();
async function adminAuth(app: TestApp, tenantId: string): Promise<Auth> {
  const keys = adminKeys.get(app) ?? new Map<string, Auth>();
  adminKeys.set(app, keys);
  let auth = keys.get(tenantId);
  if (!auth) {
    const key = generateApiKey();
    await insertApiKey(app.db, tenantId, key, 'admin', 'test fixtures');
    auth = { authorization: `Bearer ${key}` };
    keys.set(tenantId, auth);
  }
  return auth;
}

/** Creates a network (REST); its id. */
async function postNetwork(app: TestApp, auth: Auth, body: Record<string, unknown>): Promise<string> {
  return (await call(app, auth, 'POST', '/v1/networks', body)).json().id as string;
}

/** Adds each leader as a member (REST): they join now. */
async function addMembers(app: TestApp, auth: Auth, networkId: string, leaderIds: readonly string[]) {
  for (const leaderId of leaderIds)
    await call(app, auth, 'POST', `/v1/networks/${networkId}/members`, { leaderId });
}

/** The admin proposes a charter (REST); its version. */
async function proposeCharter(
  app: TestApp,
  auth: Auth,
  networkId: string,
  charter: unknown,
): Promise<number> {
  return (await call(app, auth, 'POST', `/v1/networks/${networkId}/charter-versions`, charter)).json()
    .version as number;
}

/** Each member accepts the charter version with their own token (REST). */
async function acceptCharter(app: TestApp, networkId: string, version: number, tokens: readonly Auth[]) {
  for (const token of tokens)
    await call(app, token, 'POST', `/v1/networks/${networkId}/charter-versions/${version}/acceptances`);
}

/**
 * `count` stand-in leaders (REST) who join, accept the charter and let the trial start; the caller
 * makes them leave (`leave`) once it has started. Their ids and tokens.
 */
async function standIns(app: TestApp, auth: Auth, count: number) {
  const ids = await createLeaders(app, auth, count, () => ({ name: 'Stand-in member' }));
  const tokens: Auth[] = [];
  for (const id of ids) tokens.push(await memberToken(app, auth, id));
  return { ids, tokens };
}

/** The members leave now (REST). */
async function leave(app: TestApp, auth: Auth, networkId: string, leaderIds: readonly string[]) {
  for (const leaderId of leaderIds)
    await call(app, auth, 'POST', `/v1/networks/${networkId}/members/${leaderId}/leave`, {});
}

async function startTrial(app: TestApp, auth: Auth, networkId: string) {
  await call(app, auth, 'POST', `/v1/networks/${networkId}/trial`, undefined, [200]);
}

// ---------------------------------------------------------------------------------------------
// createNetwork and the meetings helpers
// ---------------------------------------------------------------------------------------------

const LONG_AGO = new Date('2020-01-01T00:00:00Z');

/**
 * A network in `forming`, or in a started 3-meeting `trial`, with these members (joined long ago),
 * k = 3 and size 6–12 (4–12 for a trial of fewer than 6 members). Built on 2020-01-01: the
 * network created, the members added and (trial) a charter without a notice rule accepted by
 * every member and the model `MODEL` adopted, then the trial started a second later. A trial of
 * fewer than 4 members starts with stand-ins who then leave (see the top of this file).
 */
export async function createNetwork(
  app: TestApp,
  tenantId: string,
  memberIds: readonly string[],
  opts: { status?: 'forming' | 'trial'; timeZone?: string; facilitatorId?: string } = {},
): Promise<string> {
  const auth = await adminAuth(app, tenantId);
  const trial = opts.status === 'trial';
  const extra = trial ? await standIns(app, auth, Math.max(0, SMALLEST_NETWORK - memberIds.length)) : null;
  const tokens: Auth[] = [];
  if (trial) for (const id of memberIds) tokens.push(await memberToken(app, auth, id));
  return withClock(LONG_AGO, async (setTime) => {
    const networkId = await postNetwork(app, auth, {
      name: `Network ${Math.random().toString(16).slice(2, 6)}`,
      size: { min: trial ? Math.max(SMALLEST_NETWORK, Math.min(6, memberIds.length)) : 6, max: 12 },
      minResponses: 3,
      timeZone: opts.timeZone ?? 'Europe/Copenhagen',
      ...(opts.facilitatorId ? { facilitator: { kind: 'member', leaderId: opts.facilitatorId } } : {}),
    });
    await addMembers(app, auth, networkId, [...memberIds, ...(extra?.ids ?? [])]);
    if (!trial || !extra) return networkId;
    const version = await proposeCharter(app, auth, networkId, charterInput);
    await acceptCharter(app, networkId, version, [...tokens, ...extra.tokens]);
    await call(app, auth, 'PUT', `/v1/networks/${networkId}/meeting-model`, MODEL);
    setTime(new Date(LONG_AGO.getTime() + 1000));
    await startTrial(app, auth, networkId);
    setTime(new Date(LONG_AGO.getTime() + 2000));
    await leave(app, auth, networkId, extra.ids);
    return networkId;
  });
}

/** A charter version with this cancellation notice (hours), proposed by the admin (REST, now). */
export async function addCharter(app: TestApp, tenantId: string, networkId: string, noticeHours: number) {
  await proposeCharter(app, await adminAuth(app, tenantId), networkId, {
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
  const put = await api(app, auth).put(`/v1/networks/${networkId}/meeting-model`, model);
  if (put.statusCode !== 201) throw new Error(`model: ${put.statusCode} ${put.body}`);
  const gen = await api(app, auth).post(`/v1/networks/${networkId}/meetings/generate`, { count });
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
  const current = await api(app, auth).get(`/v1/meetings/${meeting.id}`);
  const res = await api(app, auth).patch(
    `/v1/meetings/${meeting.id}`,
    { startsAt: startsAt.toISOString() },
    { headers: { 'if-match': current.headers.etag as string } },
  );
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
   * Whether the held meetings' evaluation windows are still open (default false). The service
   * closes a window early when every member who could answer has (at the last answer, an hour
   * after the meeting was marked held), or at its deadline `held_at + 14 days`. Closed: a window
   * still open when the fixture is done is closed at `held_at + 4 h`, as if everyone had answered
   * by then (a direct write: see the top of the file); the results are released (at least k
   * answers) or pooled. Open: nothing more, so a recent meeting's window closes at its deadline.
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

/**
 * A network part-way through its life, built through the API with the clock moved to each instant
 * (t0 = 20 days before the first meeting): on t0 the network, its members, the charter
 * (`charterInput`) every member accepts with their token, the model (`meetingModelInput`) and the
 * consents; the trial a day later, then the meetings generated and moved to when they take place
 * (3 hours each, the last one `lastHeldDaysAgo` days ago). For each meeting, the day before: the
 * members' afbud (late) or confirmations; at its end: marked held by the admin (the trial counts
 * it; the third makes the review due and opens it); an hour later: the answers. Members joined,
 * accepted and answered as the service records them, with what the service writes besides: the
 * meetings' role holders, an `expected` attendance row per member for every generated meeting
 * (the planned one included), the events, and the open review once the trial's last meeting is held.
 */
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
  const t0 = (startsAt[0]?.getTime() ?? lastAt) - 20 * DAY;

  // Each leader, then its token (now: the tests use the tokens afterwards).
  const leaderIds: string[] = [];
  const tokens: Auth[] = [];
  for (let j = 0; j < n; j++) {
    const [leaderId] = await createLeaders(app, auth, 1);
    if (!leaderId) throw new Error('seed: no leader');
    leaderIds.push(leaderId);
    tokens.push(await memberToken(app, auth, leaderId));
  }
  const extra = await standIns(app, auth, Math.max(0, SMALLEST_NETWORK - n));
  const k = opts.minResponses ?? 5;
  const facilitatorId = opts.facilitator === undefined ? undefined : leaderIds[opts.facilitator];
  let networkId = '';
  let meetings: string[] = [];

  // What happens, in the order it happens: [when, what].
  const steps: [number, () => Promise<unknown>][] = [];
  const at = (when: number, step: () => Promise<unknown>) => steps.push([when, step]);

  // t0: the network, its members, the charter they all accept, the meeting model, the consents.
  at(t0, async () => {
    networkId = await postNetwork(app, auth, {
      name: 'Seeded network',
      size: { min: Math.max(SMALLEST_NETWORK, Math.min(6, n)), max: 12 },
      minResponses: k,
      timeZone: 'Europe/Copenhagen',
      ...(facilitatorId ? { facilitator: { kind: 'member', leaderId: facilitatorId } } : {}),
    });
    await addMembers(app, auth, networkId, [...leaderIds, ...extra.ids]);
    const version = await proposeCharter(app, auth, networkId, charterInput);
    await acceptCharter(app, networkId, version, [...tokens, ...extra.tokens]);
    await call(app, auth, 'PUT', `/v1/networks/${networkId}/meeting-model`, meetingModelInput);
    for (const j of opts.consenting ?? [])
      await call(app, tokens[j]!, 'PUT', `/v1/networks/${networkId}/members/me/consent`, {
        shareSignalsWithFacilitator: true,
      });
  });
  // A day later the trial starts (the stand-ins leave), and the meetings are generated and moved
  // to when they take place (3 hours each; the planned one 20 days from now).
  at(t0 + DAY, () => startTrial(app, auth, networkId));
  at(t0 + DAY + 1000, async () => {
    await leave(app, auth, networkId, extra.ids);
    const count = held + (opts.planned ? 1 : 0);
    if (count === 0) return;
    const generated = await call(app, auth, 'POST', `/v1/networks/${networkId}/meetings/generate`, {
      count,
    });
    meetings = (generated.json().data as MeetingJson[]).map((m) => m.id);
    const when = [...startsAt, ...(opts.planned ? [new Date(now + 20 * DAY)] : [])];
    for (const [i, id] of meetings.entries()) {
      const start = when[i]!;
      const current = await call(app, auth, 'GET', `/v1/meetings/${id}`);
      await call(
        app,
        auth,
        'PATCH',
        `/v1/meetings/${id}`,
        { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3 * HOUR).toISOString() },
        [200],
        { 'if-match': current.headers.etag as string },
      );
    }
  });
  for (const [i, start] of startsAt.entries()) {
    const status = (j: number): AttendanceStatus => opts.attendance?.(i, j) ?? 'attended';
    const url = () => `/v1/meetings/${meetings[i]}`;
    // A day before: afbud (late: the default notice is 48 hours) or a confirmation, with the member's token.
    at(start.getTime() - DAY, async () => {
      for (const [j, token] of tokens.entries()) {
        const s = status(j);
        if (s === 'cancelled' || s === 'confirmed')
          await call(app, token, 'POST', `${url()}/attendance/me`, { status: s });
      }
    });
    // When it ends, the admin marks it held: attended and no-shows listed, everyone else keeps
    // their answer. Its evaluation round opens (k and the 14-day deadline frozen).
    at(start.getTime() + 3 * HOUR, async () => {
      const attendance = leaderIds.flatMap((leaderId, j) => {
        const s = status(j);
        return s === 'attended' || s === 'no_show' ? [{ leaderId, status: s }] : [];
      });
      await call(app, auth, 'POST', `${url()}/held`, { attendance }, [200]);
    });
    // An hour later the members answer with their tokens.
    at(start.getTime() + 4 * HOUR, async () => {
      for (const [j, token] of tokens.entries()) {
        const a = opts.answers?.(i, j);
        if (!a) continue;
        await call(app, token, 'PUT', `${url()}/evaluations/me`, {
          benefit: a.benefit,
          energy: a.energy,
          purposeFit: a.purposeFit,
          relations: a.relations,
          giveGet: a.giveGet,
          ...(a.comment ? { comment: a.comment } : {}),
        });
      }
    });
  }
  steps.sort((a, b) => a[0] - b[0]);
  await withClock(new Date(t0), async (setTime) => {
    for (const [when, step] of steps) {
      setTime(new Date(when));
      await step();
    }
  });

  if (!opts.windowsOpen) await closeWindows(app, tenantId, meetings.slice(0, held));
  const row = await app.db
    .selectFrom('networks')
    .select('lifecycle')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', networkId)
    .executeTakeFirstOrThrow();
  return {
    networkId,
    leaderIds,
    tokens,
    meetingIds: meetings,
    plannedMeetingId: opts.planned ? (meetings[held] ?? null) : null,
    lifecycle: reviveLifecycle(row.lifecycle),
  };
}

/**
 * Time passes for meetings held through the API: each window still open closes as if every member
 * had answered by 4 hours after the meeting was marked held (the early close), so the results are
 * released (at least k answers) or pooled. The one direct write of `seedNetwork` (see the top).
 */
async function closeWindows(app: TestApp, tenantId: string, meetingIds: readonly string[]) {
  if (meetingIds.length === 0) return;
  await app.db
    .updateTable('meetings')
    .set({ evaluation_closes_at: sql<Date>`held_at + interval '4 hours'` })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', meetingIds)
    .where('status', '=', 'held')
    .where('evaluation_closes_at', '>', new Date())
    .execute();
}

/**
 * Time passes: the evaluation window of a meeting marked held through the API closes (its
 * `evaluation_closes_at` moved a second into the past), so its results can be released (at least
 * k answers) or pooled. What the service does at the deadline, without waiting 14 days: the one
 * direct write here (see the top of this file).
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
