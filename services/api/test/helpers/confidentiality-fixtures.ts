/**
 * Fixtures for test/confidentiality.test.ts: a network formed through the REST routes as an HR
 * integrator would (leaders, a network, members, a charter accepted with member tokens, a meeting
 * model, the trial), meetings marked held, answers given with tokens, and the one thing the API
 * cannot do in a test: let time pass until an evaluation window closes (`timePasses`).
 *
 * `timePasses` is the one direct write: it moves `meetings.evaluation_closes_at` into the past.
 * The window's deadline is frozen when the test marks the meeting held (at the real time, 14 days
 * on), and the service compares it with `new Date()` when an answer comes or a result is read; a
 * faked clock would have to stay 14 days ahead for the rest of the test (every request after it,
 * the tokens' expiry with it), which the tests do not do. So the stored deadline moves instead,
 * to the instant the service would find when the 14 days have passed.
 */

import { api } from './api.js';
import type { Auth, TestApp } from './build.js';
import { charterInput, createLeaders, memberToken, PAST_MODEL } from './network-fixtures.js';

/** The Authorization header (build.ts's), re-exported for test/confidentiality.test.ts. */
export type { Auth };

export interface FormedNetwork {
  networkId: string;
  leaderIds: string[];
  /** Each member's admin-minted token. */
  tokens: Auth[];
  /** The generated meetings (in the past: they can be marked held now), oldest first. */
  meetingIds: string[];
}

async function ok(res: { statusCode: number; body: string }, expected: number[], what: string) {
  if (!expected.includes(res.statusCode)) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
}

/**
 * Forms a network of `members` through REST and starts its trial (3 meetings by default): the
 * network with k = `minResponses`, members added, the charter proposed by the admin and accepted
 * with each member's token, a meeting model starting in the past and `meetings` meetings generated.
 */
export async function formNetwork(
  app: TestApp,
  auth: Auth,
  opts: { members: number; minResponses: number; meetings?: number; trialLength?: number },
): Promise<FormedNetwork> {
  const leaderIds = await createLeaders(app, auth, opts.members);
  const tokens: Auth[] = [];
  for (const id of leaderIds) tokens.push(await memberToken(app, auth, id));
  const created = await api(app, auth).post('/v1/networks', {
    name: 'Confidential room',
    minResponses: opts.minResponses,
    ...(opts.trialLength ? { trialLength: opts.trialLength } : {}),
  });
  await ok(created, [201], 'network');
  const networkId = created.json().id as string;
  for (const leaderId of leaderIds)
    await ok(await api(app, auth).post(`/v1/networks/${networkId}/members`, { leaderId }), [201], 'member');
  await ok(
    await api(app, auth).post(`/v1/networks/${networkId}/charter-versions`, charterInput),
    [201],
    'charter',
  );
  for (const token of tokens)
    await ok(
      await api(app, token).post(`/v1/networks/${networkId}/charter-versions/1/acceptances`),
      [200, 201],
      'acceptance',
    );
  await ok(await api(app, auth).put(`/v1/networks/${networkId}/meeting-model`, PAST_MODEL), [201], 'model');
  const generated = await api(app, auth).post(`/v1/networks/${networkId}/meetings/generate`, {
    count: opts.meetings ?? 3,
  });
  await ok(generated, [201], 'generate');
  const meetingIds = (generated.json().data as { id: string }[]).map((m) => m.id);
  await ok(await api(app, auth).post(`/v1/networks/${networkId}/trial`), [200], 'trial');
  return { networkId, leaderIds, tokens, meetingIds };
}

/** Marks a meeting held (REST): `noShows` (leader ids) did not come, everyone else attended. */
export async function hold(
  app: TestApp,
  auth: Auth,
  net: FormedNetwork,
  meetingId: string,
  noShows: readonly string[] = [],
) {
  const res = await api(app, auth).post(`/v1/meetings/${meetingId}/held`, {
    attendance: net.leaderIds.map((leaderId) => ({
      leaderId,
      status: noShows.includes(leaderId) ? 'no_show' : 'attended',
    })),
  });
  await ok(res, [200], 'held');
  return res.json();
}

export interface Scores {
  benefit: number;
  energy?: number;
  purposeFit?: number;
  relations?: number;
  giveGet?: number;
  comment?: string;
}

/** A member answers (or edits) their evaluation with their token; the raw response. */
export function answer(app: TestApp, token: Auth, meetingId: string, s: Scores) {
  return api(app, token).put(`/v1/meetings/${meetingId}/evaluations/me`, {
    benefit: s.benefit,
    energy: s.energy ?? 4,
    purposeFit: s.purposeFit ?? 4,
    relations: s.relations ?? 4,
    giveGet: s.giveGet ?? 0,
    ...(s.comment ? { comment: s.comment } : {}),
  });
}

/**
 * Time passes: the meeting's evaluation window (frozen when it was held) is moved into the past
 * directly in the database, as if its 14 days had gone by. A window already closed (by an earlier
 * call, or early because every eligible member answered) keeps the instant it closed at.
 */
export async function timePasses(app: TestApp, meetingId: string): Promise<void> {
  const now = new Date();
  await app.db
    .updateTable('meetings')
    .set({ evaluation_closes_at: new Date(now.getTime() - 1000) })
    .where('id', '=', meetingId)
    .where('evaluation_closes_at', '>', now)
    .execute();
}

/** Keys whose numeric value counts members or answers (or is a rate that reveals such a count). */
export const COUNT_KEYS = new Set([
  'responses',
  'respondents',
  'answers',
  'eligible',
  'responseRate',
  'count',
  'mostlyGivingMembers',
  'atRisk',
]);

/**
 * Every place in a JSON value (REST body or GraphQL data, where evidence is a list of
 * `{ name, value }`) that carries a count of members or answers: `path = value`. Used to assert
 * that a withheld reading carries none at all, or that none is between 1 and k − 1.
 */
export function countsIn(value: unknown, path = '$'): { path: string; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => countsIn(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const out: { path: string; value: unknown }[] = [];
  // GraphQL evidence: { name, value }.
  if (typeof o.name === 'string' && 'value' in o && COUNT_KEYS.has(o.name))
    out.push({ path: `${path}(${o.name})`, value: o.value });
  for (const [key, v] of Object.entries(o)) {
    if (COUNT_KEYS.has(key) && (typeof v === 'number' || v === null))
      out.push({ path: `${path}.${key}`, value: v });
    out.push(...countsIn(v, `${path}.${key}`));
  }
  return out;
}

/** The counts in `value` between 1 and k − 1 (rates are not counts: a withheld reading has none at all). */
export function countsBelowK(value: unknown, k: number) {
  return countsIn(value).filter(
    (c) => !/responseRate\)?$/.test(c.path) && typeof c.value === 'number' && c.value >= 1 && c.value < k,
  );
}
