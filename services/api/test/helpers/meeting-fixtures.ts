/**
 * Fixtures for the meetings tests: leaders through the API, networks and members inserted directly
 * (the networks engineer's routes were landing at the same time; the rows are what those routes
 * write: the domain's formingNetwork / a started trial as the lifecycle, DEFAULT_ROLES_POLICY).
 */
import {
  DEFAULT_ROLES_POLICY,
  formingNetwork,
  type LifecycleState,
  parseCharter,
  transition,
} from '@sparring/domain';
import { v7 as uuidv7 } from 'uuid';
import { serializeLifecycle } from '../../src/networks/lifecycle-state.js';
import type { TestApp } from './build.js';
import { leaderBody } from './fixtures.js';

type Auth = { authorization: string };

export async function createLeaders(app: TestApp, auth: Auth, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/leaders',
      headers: auth,
      payload: leaderBody(),
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

const LONG_AGO = new Date('2020-01-01T00:00:00Z');

/** A network in `forming`, or in a started 3-meeting `trial`, with these members (joined long ago). */
export async function createNetwork(
  app: TestApp,
  tenantId: string,
  memberIds: readonly string[],
  opts: { status?: 'forming' | 'trial'; timeZone?: string; facilitatorId?: string } = {},
): Promise<string> {
  let lifecycle: LifecycleState = formingNetwork(LONG_AGO);
  if (opts.status === 'trial') {
    const started = transition(
      lifecycle,
      {
        type: 'start_trial',
        readiness: {
          memberCount: memberIds.length,
          minimumMembers: 1,
          charterInForce: true,
          hasMeetingModel: true,
        },
      },
      new Date(LONG_AGO.getTime() + 1000),
    );
    if (!started.ok) throw new Error(started.error.code);
    lifecycle = started.value;
  }
  const id = uuidv7();
  await app.db
    .insertInto('networks')
    .values({
      tenant_id: tenantId,
      id,
      name: `Network ${id.slice(-4)}`,
      status: lifecycle.status,
      lifecycle: serializeLifecycle(lifecycle),
      min_members: 6,
      max_members: 12,
      trial_length: 3,
      review_every: 6,
      time_zone: opts.timeZone ?? 'Europe/Copenhagen',
      roles_policy: JSON.stringify(DEFAULT_ROLES_POLICY),
      facilitator: opts.facilitatorId
        ? JSON.stringify({ kind: 'member', leaderId: opts.facilitatorId })
        : null,
      min_responses: 3,
      evaluation_window_days: 14,
    })
    .execute();
  if (memberIds.length > 0)
    await app.db
      .insertInto('network_members')
      .values(
        memberIds.map((leader_id) => ({
          tenant_id: tenantId,
          network_id: id,
          leader_id,
          joined_at: LONG_AGO,
        })),
      )
      .execute();
  return id;
}

/** A charter version with this cancellation notice (hours), as the charter routes store it. */
export async function addCharter(app: TestApp, tenantId: string, networkId: string, noticeHours: number) {
  const charter = parseCharter({
    purpose: 'Sparring on leading people through change',
    goals: [{ category: 'people_leadership', description: 'Bring one dilemma each per cycle' }],
    groundRules: [{ kind: 'cancellation_notice', hours: noticeHours }],
  });
  if (!charter.ok) throw new Error(JSON.stringify(charter.error.issues));
  await app.db
    .insertInto('charter_versions')
    .values({
      tenant_id: tenantId,
      network_id: networkId,
      version: 1,
      charter: JSON.stringify(charter.value),
    })
    .execute();
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
