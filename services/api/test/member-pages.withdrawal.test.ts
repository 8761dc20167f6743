/**
 * Withdrawal risk reaches those who can act (issue #14, items 6 and 7), through `inject`:
 * - the member reads their own signal with guidance for their reasons on "Mine", in their own
 *   session only (another member, the admin key and an acting token never see it);
 * - the facilitator reads, on the network's page in their own session, the signals of members who
 *   consented, only while the tenant's policy allows it and the consent stands;
 * - the review counts members at risk at ≥ k and says nothing below; a network with fewer members
 *   than k gets `k_unreachable`, not `evaluate_first` forever.
 * PGlite, or PostgreSQL with DATABASE_URL.
 */

import t from '@sparring/test-workers/tap';
import { createMemberSession } from '../src/members/member-session.service.js';
import { api } from './helpers/api.js';
import { buildTestApp, gql, type TestApp } from './helpers/build.js';
import { type Answers, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

/** A browser in the member's own session: the cookie only, no JavaScript (these tests only read). */
class Visitor {
  constructor(
    readonly app: TestApp,
    readonly cookie: string,
  ) {}
  get(url: string) {
    return api(this.app).get(url, { headers: { cookie: this.cookie, 'accept-language': 'en' } });
  }
}

async function signedIn(tenantId: string, leaderId: string) {
  const { cookieValue } = await createMemberSession(app.db, tenantId, leaderId, new Date());
  return new Visitor(app, `sparring_session=${cookieValue}`);
}

const good: Answers = { benefit: 4, energy: 4, purposeFit: 4, relations: 4, giveGet: 0 };
/** Member 0 mostly gives; member 1 gets little; the rest are fine. */
const answers = (_i: number, j: number): Answers =>
  j === 0 ? { ...good, giveGet: -2 } : j === 1 ? { ...good, benefit: 1 } : good;

const MEMBER_GIVES = 'You mostly give: bring a dilemma of your own next time';
const MEMBER_LITTLE = 'You get little out of the meetings';
const FACILITATOR_GIVES = 'The member mostly gives: make sure they get time for a dilemma of their own.';
const SHARED = 'Signals members share with you';

t.test('the member reads their own signal with what to do; nobody else does', async (t) => {
  const { tenantId, auth } = await ctx.tenant('Own signal HR');
  const s = await seedNetwork(app, tenantId, auth, { members: 6, held: 2, answers, facilitator: 2 });

  const giver = await signedIn(tenantId, s.leaderIds[0]!);
  const mine = await giver.get('/m/me');
  t.equal(mine.statusCode, 200);
  t.match(mine.body, 'At risk of withdrawing');
  t.match(mine.body, MEMBER_GIVES, 'the action for their reason');
  t.match(mine.body, 'Talk to the facilitator about what it would take');
  t.match(mine.body, /<ul class="actions-list"><li>/, 'the actions as a list');
  t.notMatch(mine.body, MEMBER_LITTLE, "another reason's action is not theirs");
  const da = await api(app).get('/m/me', { headers: { cookie: giver.cookie, 'accept-language': 'da' } });
  t.match(da.body, 'tag et dilemma af dine egne med næste gang', 'in Danish too');

  const little = await (await signedIn(tenantId, s.leaderIds[1]!)).get('/m/me');
  t.match(little.body, MEMBER_LITTLE, 'member 1 reads their own');
  t.notMatch(little.body, MEMBER_GIVES, "never member 0's");
  const fine = await (await signedIn(tenantId, s.leaderIds[3]!)).get('/m/me');
  t.match(fine.body, 'No signals about you right now.');
  t.notMatch(fine.body, /At risk of withdrawing|mostly give/);

  // The admin key and member 0's acting token: network signals only, the own signal is refused.
  for (const [who, headers] of [
    ['admin key', auth],
    ['acting token', s.tokens[0]!],
  ] as const) {
    const all = await api(app, headers).get(`/v1/networks/${s.networkId}/signals`);
    t.equal(all.statusCode, 200);
    t.notMatch(all.body, /member_at_risk_of_withdrawing|mostly give/, `${who}: no member signal`);
    const own = await api(app, headers).get(`/v1/networks/${s.networkId}/signals/me`);
    t.equal(own.statusCode, 403, `${who}: /signals/me refused`);
    t.equal(own.json().code, 'private_data');
    const g = await gql(app, headers, 'query($n: ID!) { mySignals(networkId: $n) { code } }', {
      n: s.networkId,
    });
    t.equal(g.body.errors?.[0]?.extensions.code, 'private_data', `${who}: GraphQL mySignals refused`);
    const page = await api(app, headers).get('/m/me');
    t.equal(page.statusCode, 303, `${who}: the member pages need the member's own session`);
  }
});

t.test('the facilitator sees a signal only with the tenant policy AND the member’s consent', async (t) => {
  const { tenantId, auth } = await ctx.tenant('Facilitator HR');
  const s = await seedNetwork(app, tenantId, auth, { members: 6, held: 2, answers, facilitator: 2 });
  const facilitator = await signedIn(tenantId, s.leaderIds[2]!);
  const page = async () => (await facilitator.get(`/m/networks/${s.networkId}`)).body;
  const consent = (j: number, share: boolean) =>
    api(app, s.tokens[j]!).put(`/v1/networks/${s.networkId}/members/me/consent`, {
      shareSignalsWithFacilitator: share,
    });
  const policy = (on: boolean) => api(app, auth).patch('/v1/tenant', { facilitatorSeesMemberSignals: on });
  const [name0, name1] = await Promise.all(
    [0, 1].map(async (j) => (await api(app, auth).get(`/v1/leaders/${s.leaderIds[j]}`)).json().name),
  );

  t.notMatch(await page(), SHARED, 'default: no policy, no consent, nothing');
  t.equal((await consent(0, true)).statusCode, 200);
  t.notMatch(await page(), SHARED, 'consent without the tenant policy: nothing');
  t.equal((await policy(true)).statusCode, 200);
  const withBoth = await page();
  t.match(withBoth, SHARED, 'policy and consent: the section');
  t.match(withBoth, FACILITATOR_GIVES, "member 0's signal with the facilitator's guidance");
  t.match(withBoth, 'Talk with the member in private');
  t.match(withBoth, `<h3>${name0}</h3>`, 'under the member’s name');
  t.notMatch(withBoth, `<h3>${name1}</h3>`, 'member 1 is at risk too but did not consent');
  t.notMatch(withBoth, 'The member gets little out of the meetings');

  // Another member's page of the same network: no such section, even for a consenting member.
  t.notMatch(
    (await (await signedIn(tenantId, s.leaderIds[0]!)).get(`/m/networks/${s.networkId}`)).body,
    SHARED,
  );
  // The facilitator's acting token over the API: network signals only (whoever minted it could read).
  const tokenRead = await api(app, s.tokens[2]!).get(`/v1/networks/${s.networkId}/signals`);
  t.notMatch(tokenRead.body, 'member_at_risk_of_withdrawing');

  t.equal((await consent(0, false)).statusCode, 200);
  t.notMatch(await page(), SHARED, 'consent withdrawn: gone');
  await consent(0, true);
  t.match(await page(), SHARED);
  await policy(false);
  t.notMatch(await page(), SHARED, 'policy withdrawn: gone');
});

t.test('the review counts members at risk at ≥ k, and says nothing of fewer', async (t) => {
  const { tenantId, auth } = await ctx.tenant('Review HR');
  // Twelve members, five mostly give (k = 5).
  const many = await seedNetwork(app, tenantId, auth, {
    members: 12,
    answers: (_i, j) => (j < 5 ? { ...good, giveGet: -2 } : good),
  });
  const review = async (networkId: string) => {
    const res = await api(app, auth).get(`/v1/networks/${networkId}/review`);
    t.equal(res.statusCode, 200);
    return res.json().recommendation as {
      recommendation: string;
      reasons: { code: string; evidence: Record<string, number>; suggests: string[] }[];
    };
  };
  const counted = (await review(many.networkId)).reasons.find(
    (r) => r.code === 'members_at_risk_of_withdrawing',
  );
  t.same(counted?.evidence, { atRisk: 5, minimum: 5 }, 'five at risk, k = 5: counted');
  t.same(counted?.suggests, ['agenda_format']);
  const g = await gql(
    app,
    auth,
    'query($n: ID!) { currentReview(networkId: $n) { recommendation { reasons { code evidence { name value } } } } }',
    { n: many.networkId },
  );
  const gReasons = (
    g.body.data!.currentReview as {
      recommendation: { reasons: { code: string; evidence: { name: string; value: number }[] }[] };
    }
  ).recommendation.reasons;
  t.same(
    gReasons.find((r) => r.code === 'members_at_risk_of_withdrawing')?.evidence,
    [
      { name: 'atRisk', value: 5 },
      { name: 'minimum', value: 5 },
    ],
    'GraphQL: the same',
  );

  // Two at risk in a network of eight: no reason, no count, not even that there are some.
  const few = await seedNetwork(app, tenantId, auth, {
    members: 8,
    answers: (_i, j) => (j < 2 ? { ...good, benefit: 1, giveGet: -2 } : good),
  });
  const res = await api(app, auth).get(`/v1/networks/${few.networkId}/review`);
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, /members_at_risk|atRisk/);
});

t.test('a network of four with k = 5: k_unreachable instead of evaluate first forever', async (t) => {
  const { tenantId, auth } = await ctx.tenant('Small HR');
  const s = await seedNetwork(app, tenantId, auth, { members: 4, minResponses: 5, answers: () => good });
  const res = await api(app, auth).get(`/v1/networks/${s.networkId}/review`);
  t.equal(res.statusCode, 200);
  const r = res.json().recommendation;
  t.equal(r.recommendation, 'evaluate_first');
  t.same(
    r.reasons.map((x: { code: string }) => x.code),
    ['too_early', 'k_unreachable'],
    'four answers a meeting never reach five: the reason says why and what to do',
  );
  t.same(r.reasons.at(-1).evidence, { activeMembers: 4, minimum: 5, floor: 3 });
  t.match(r.reasons.at(-1).message.en, /Lower k/);
  const g = await gql(
    app,
    auth,
    'query($n: ID!) { currentReview(networkId: $n) { recommendation { reasons { code } } } }',
    { n: s.networkId },
  );
  t.same(
    (
      g.body.data!.currentReview as { recommendation: { reasons: { code: string }[] } }
    ).recommendation.reasons.map((x) => x.code),
    ['too_early', 'k_unreachable'],
    'GraphQL: the same reason code',
  );
});
