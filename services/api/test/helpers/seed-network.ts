/**
 * Seeds a network part-way through its life by inserting rows directly (the networks and meetings
 * routes are other slices): leaders and member tokens through REST, then the network with a
 * lifecycle built by the domain's own transitions, members, an accepted charter, a meeting model,
 * held meetings with attendance, and evaluations.
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
import type { TestApp } from './build.js';
import { leaderBody } from './fixtures.js';

const DAY = 86_400_000;

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
  auth: { authorization: string },
  opts: SeedOptions = {},
): Promise<SeededNetwork> {
  const n = opts.members ?? 6;
  const held = opts.held ?? 3;
  const spacing = (opts.spacingDays ?? 30) * DAY;
  const now = Date.now();
  const lastAt = now - (opts.lastHeldDaysAgo ?? 2) * DAY;
  const startsAt = Array.from({ length: held }, (_, i) => new Date(lastAt - (held - 1 - i) * spacing));
  const t0 = new Date((startsAt[0]?.getTime() ?? lastAt) - 20 * DAY);

  const leaderIds: string[] = [];
  const tokens: { authorization: string }[] = [];
  for (let j = 0; j < n; j++) {
    const leader = (
      await app.inject({ method: 'POST', url: '/v1/leaders', headers: auth, payload: leaderBody() })
    ).json();
    leaderIds.push(leader.id);
    const minted = (
      await app.inject({
        method: 'POST',
        url: `/v1/leaders/${leader.id}/member-tokens`,
        headers: auth,
        payload: {},
      })
    ).json();
    tokens.push({ authorization: `Bearer ${minted.token}` });
  }

  // The lifecycle through the domain's own transitions.
  const apply = (s: LifecycleState, e: LifecycleEvent, at: Date) => {
    const r = transition(s, e, at);
    if (!r.ok) throw new Error(`seed: ${r.error.code}`);
    return r.value;
  };
  let lifecycle = formingNetwork(t0);
  lifecycle = apply(
    lifecycle,
    {
      type: 'start_trial',
      readiness: {
        memberCount: n,
        minimumMembers: Math.min(6, n),
        charterInForce: true,
        hasMeetingModel: true,
      },
    },
    new Date(t0.getTime() + DAY),
  );
  for (const at of startsAt)
    lifecycle = apply(lifecycle, { type: 'meeting_held' }, new Date(at.getTime() + 3 * 3_600_000));

  const networkId = uuidv7();
  const facilitator =
    opts.facilitator === undefined ? null : { kind: 'member', leaderId: leaderIds[opts.facilitator] };
  await app.db
    .insertInto('networks')
    .values({
      tenant_id: tenantId,
      id: networkId,
      name: 'Seeded network',
      status: lifecycle.status,
      lifecycle: serializeLifecycle(lifecycle),
      min_members: Math.min(6, n),
      max_members: 12,
      trial_length: 3,
      review_every: 6,
      time_zone: 'Europe/Copenhagen',
      roles_policy: JSON.stringify(DEFAULT_ROLES_POLICY),
      facilitator: facilitator ? JSON.stringify(facilitator) : null,
      min_responses: opts.minResponses ?? 5,
      evaluation_window_days: 14,
    })
    .execute();
  await app.db
    .insertInto('network_members')
    .values(
      leaderIds.map((id, j) => ({
        tenant_id: tenantId,
        network_id: networkId,
        leader_id: id,
        joined_at: t0,
        left_at: null,
        signal_consent: (opts.consenting ?? []).includes(j),
      })),
    )
    .execute();
  const charter = parseCharter(charterInput);
  const model = parseMeetingModel(meetingModelInput);
  if (!charter.ok || !model.ok) throw new Error('seed: charter or model invalid');
  await app.db
    .insertInto('charter_versions')
    .values({
      tenant_id: tenantId,
      network_id: networkId,
      version: 1,
      charter: JSON.stringify(charter.value),
      created_at: t0,
    })
    .execute();
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

  const meetingIds: string[] = [];
  const addMeeting = async (seq: number, start: Date, status: 'held' | 'planned') => {
    const id = uuidv7();
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
        held_at: status === 'held' ? new Date(start.getTime() + 3 * 3_600_000) : null,
        cancelled_at: null,
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
