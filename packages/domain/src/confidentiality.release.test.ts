/**
 * The release rule and the read policy (confidentiality.ts). The property at the end plays an
 * admin who reads everything after every event and tries to re-derive one member's answer by
 * differencing two readings.
 */

import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import {
  CONFIDENTIALITY_ROLES,
  closesEarly,
  DEFAULT_EVALUATION_WINDOW_DAYS,
  type EvaluationRound,
  evaluationDeadline,
  MAX_MIN_RESPONSES,
  MIN_RESPONSES_FLOOR,
  mayRead,
  meetingDisclosure,
  parseMinResponses,
  READ_POLICY,
  READABLE_DATA,
  releaseRounds,
} from './confidentiality.js';
import type { Evaluation, EvaluationScore } from './evaluation.js';
import { computeHealth, discloseMeasures, type HeldMeeting } from './health.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T16:00:00Z');
const day = (n: number) => new Date(T0 + n * DAY);

const answer = (meetingId: string, memberId: string, benefit: EvaluationScore = 4): Evaluation => ({
  meetingId,
  memberId,
  benefit,
  energy: 4,
  purposeFit: 4,
  relations: 4,
  giveGet: 0,
  comment: 'private',
});

const round = (meetingId: string, startDay: number, members: string[], k = 5, closeDay = startDay + 14) => ({
  meetingId,
  startsAt: day(startDay),
  closesAt: day(closeDay),
  minimumResponses: k,
  evaluations: members.map((m) => answer(meetingId, m)),
});

t.test('k is refused below the floor and above the largest network, never silently raised', async (t) => {
  t.same(parseMinResponses(5), { ok: true, value: 5 });
  t.same(parseMinResponses(MIN_RESPONSES_FLOOR), { ok: true, value: 3 });
  t.same(parseMinResponses(MAX_MIN_RESPONSES), { ok: true, value: 14 });
  const two = parseMinResponses(2);
  t.match(two, { ok: false, error: { path: 'minResponses', code: 'too_small' } });
  t.match(!two.ok && two.error.message.en, /At least 3/, 'the message names the floor');
  t.match(!two.ok && two.error.message.da, /Mindst 3/);
  t.match(parseMinResponses(15), { ok: false, error: { code: 'too_large' } });
  t.match(parseMinResponses(4.5, 'k'), { ok: false, error: { path: 'k', code: 'wrong_type' } });
  t.match(parseMinResponses('5'), { ok: false, error: { code: 'wrong_type' } });
});

t.test(
  'the read policy: admins and acting tokens never read private data; members do, in their session',
  async (t) => {
    const privateData = [
      'own_answers',
      'own_signals',
      'own_exclusions_and_consents',
      'others_private',
    ] as const;
    for (const data of privateData) {
      t.notOk(mayRead('tenant_admin', data), `tenant admin: ${data}`);
      t.notOk(mayRead('acting_token', data), `acting token: ${data}`);
    }
    t.ok(mayRead('member', 'own_answers'));
    t.ok(mayRead('former_member', 'own_answers'), 'a former member still reads their own answers');
    t.notOk(mayRead('member', 'others_private'));
    t.notOk(mayRead('facilitator', 'others_private'));
    t.equal(READ_POLICY.facilitator.consenting_member_signals, 'with_consent');
    t.equal(READ_POLICY.former_member.released_aggregates, 'until_left');
    t.notOk(mayRead('member', 'full_profiles'), 'members see each other through the member view only');
    for (const role of CONFIDENTIALITY_ROLES)
      t.same(
        Object.keys(READ_POLICY[role]).sort(),
        [...READABLE_DATA].sort(),
        `${role} has a rule for everything`,
      );
  },
);

t.test('windows: a deadline, and an early close when every eligible member answered', async (t) => {
  t.same(evaluationDeadline(day(0)), day(DEFAULT_EVALUATION_WINDOW_DAYS));
  t.same(evaluationDeadline(day(0), 7), day(7));
  t.ok(closesEarly(['a', 'b'], ['b', 'a', 'x']));
  t.notOk(closesEarly(['a', 'b'], ['a']));
  t.notOk(closesEarly([], []), 'nobody to wait for is not "everyone answered"');
});

t.test('a round is released only after its window closes, never live', async (t) => {
  const r = round('m1', 0, ['a', 'b', 'c', 'd', 'e', 'f']);
  const open = releaseRounds([r], day(3));
  t.same(open.releases, []);
  t.match(open.byMeeting.get('m1'), { state: 'open', closesAt: day(14), minimum: 5 });
  t.match(meetingDisclosure(open.byMeeting.get('m1')), {
    released: false,
    reason: 'window_open',
    minimum: 5,
  });
  const closed = releaseRounds([r], day(14));
  t.equal(closed.releases.length, 1);
  t.match(closed.releases[0], { meetingIds: ['m1'], respondents: 6, minimum: 5, releasedAt: day(14) });
  const shown = meetingDisclosure(closed.byMeeting.get('m1'), 6);
  t.match(shown, { released: true, value: { responses: 6, eligible: 6, meetingIds: ['m1'], minimum: 5 } });
  t.notOk(JSON.stringify(shown).includes('private'), 'comments are never in an aggregate');
  t.same(meetingDisclosure(undefined), { released: false, reason: 'not_enough_responses', minimum: 5 });
});

t.test(
  'a small network pools closed rounds until k members answered, and never shows a count below k',
  async (t) => {
    // Six members, two afbud each time, k = 5: four answers a meeting.
    const rounds = [
      round('m1', 0, ['a', 'b', 'c', 'd']),
      round('m2', 30, ['a', 'b', 'e', 'f']),
      round('m3', 60, ['c', 'd', 'e', 'f']),
      round('m4', 90, ['a', 'b', 'c', 'd']),
    ];
    const afterFirst = releaseRounds(rounds, day(20));
    t.match(afterFirst.byMeeting.get('m1'), { state: 'pooling', minimum: 5 });
    t.same(Object.keys(meetingDisclosure(afterFirst.byMeeting.get('m1'))).sort(), [
      'minimum',
      'reason',
      'released',
    ]);
    const later = releaseRounds(rounds, day(200));
    t.same(
      later.releases.map((r) => [r.meetingIds, r.respondents]),
      [
        [['m1', 'm2'], 6],
        [['m3', 'm4'], 6],
      ],
    );
    t.match(meetingDisclosure(later.byMeeting.get('m2'), 8), { released: true, value: { responses: 8 } });
  },
);

t.test(
  'rounds are released in meeting order; a later round closed early waits for an earlier one',
  async (t) => {
    const rounds = [
      round('m1', 0, ['a', 'b', 'c', 'd', 'e']),
      round('m2', 5, ['a', 'b', 'c', 'd', 'e'], 5, 6),
    ];
    const at = releaseRounds(rounds, day(7));
    t.match(at.byMeeting.get('m1'), { state: 'open' });
    t.match(at.byMeeting.get('m2'), { state: 'pooling' }, 'closed, but behind an open round');
    t.equal(releaseRounds(rounds, day(14)).releases.length, 2);
    const sameStart = releaseRounds(
      [round('b', 0, ['a', 'b', 'c', 'd', 'e']), round('a', 0, ['a', 'b', 'c', 'd', 'e'])],
      day(20),
    );
    t.same(
      sameStart.releases.map((r) => r.meetingIds),
      [['a'], ['b']],
      'meetings starting together are ordered by id',
    );
  },
);

t.test('k is the one frozen in each round; a pool applies the largest', async (t) => {
  const rounds = [round('m1', 0, ['a', 'b', 'c'], 3), round('m2', 30, ['a', 'b', 'c', 'd'], 7)];
  const state = releaseRounds(rounds, day(100));
  t.same(
    state.releases.map((r) => r.meetingIds),
    [['m1']],
    'm1 was released under its own k = 3; lowering k later changes nothing already frozen',
  );
  t.match(state.byMeeting.get('m2'), { state: 'pooling', minimum: 7 });
});

t.test(
  'health reads releases whole: pooled small-network meetings give numbers, open ones none',
  async (t) => {
    const held = (id: string, startDay: number, members: string[], closeDay?: number): HeldMeeting => ({
      meetingId: id,
      startsAt: day(startDay),
      evaluationClosesAt: day(closeDay ?? startDay + 14),
      minimumResponses: 5,
      attendance: ['a', 'b', 'c', 'd', 'e', 'f'].map((memberId) =>
        members.includes(memberId)
          ? { memberId, status: 'attended' as const }
          : { memberId, status: 'cancelled' as const, cancelledAt: day(startDay - 5) },
      ),
      evaluations: members.map((m) => answer(id, m, m === 'a' ? 2 : 4)),
    });
    const meetings = [held('m1', 0, ['a', 'b', 'c', 'd']), held('m2', 30, ['a', 'b', 'e', 'f'])];
    const early = computeHealth(meetings, { now: day(20) });
    t.equal(early.measures, null, 'one closed round of four answers: nothing');
    const pooled = computeHealth(meetings, { now: day(45) });
    t.match(pooled.measures, { responses: 8, respondents: 6 });
    t.same(
      pooled.trend.meetings.map((m) => [m.meetingId, m.meetingIds]),
      [['m2', ['m1', 'm2']]],
    );
    t.equal(pooled.evaluatedMeetings, 2);
  },
);

// ---------------------------------------------------------------------------------------------
// The adversary: reads everything after every event, differences every pair of readings.

interface Reading {
  readonly what: string;
  readonly responses: number;
  readonly sum: number;
}

/** Everything an admin reads at `now`: each meeting's disclosure and the health measures. */
function readEverything(rounds: EvaluationRound[], now: Date): Reading[] {
  const state = releaseRounds(rounds, now);
  const out: Reading[] = [];
  for (const r of rounds) {
    const d = meetingDisclosure(state.byMeeting.get(r.meetingId));
    if (d.released)
      out.push({
        what: `meeting ${r.meetingId}`,
        responses: d.value.responses,
        sum: d.value.benefit.mean * d.value.responses,
      });
  }
  const health = computeHealth(
    rounds.map((r) => ({
      meetingId: r.meetingId,
      startsAt: r.startsAt,
      evaluationClosesAt: r.closesAt,
      minimumResponses: r.minimumResponses,
      attendance: [],
      evaluations: r.evaluations,
    })),
    // The whole history in the window: every reading then differs from the last by new releases only.
    { now, window: 100, trendWindow: 100 },
  );
  if (health.measures)
    out.push({
      what: 'health',
      responses: health.measures.responses,
      sum: health.measures.meanBenefit * health.measures.responses,
    });
  return out;
}

t.test('property: no sequence of answers, closings and admin reads reveals one answer', async (t) => {
  const members = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const roundArb = fc.record({
    answered: fc.subarray(members),
    benefits: fc.array(fc.integer({ min: 1, max: 5 }), {
      minLength: members.length,
      maxLength: members.length,
    }),
    /** The day within the window each member answers (answers arrive one by one). */
    arrivals: fc.array(fc.integer({ min: 0, max: 20 }), {
      minLength: members.length,
      maxLength: members.length,
    }),
    window: fc.integer({ min: 1, max: 20 }),
    k: fc.integer({ min: MIN_RESPONSES_FLOOR, max: 6 }),
  });
  fc.assert(
    fc.property(
      fc.array(roundArb, { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 12 }),
      (specs, readDays) => {
        // Meetings every 14 days; answers arrive over the window; edits are impossible once closed.
        const rounds: EvaluationRound[] = specs.map((s, i) => ({
          meetingId: `m${i}`,
          startsAt: day(i * 14),
          closesAt: day(i * 14 + s.window),
          minimumResponses: s.k,
          evaluations: s.answered.map((m) =>
            answer(`m${i}`, m, s.benefits[members.indexOf(m)] as EvaluationScore),
          ),
        }));
        const times = [...new Set(readDays)].sort((a, b) => a - b).map(day);
        /** What is stored at `now`: the answers given by then (none after a window closed). */
        const storedAt = (now: Date): EvaluationRound[] =>
          rounds.map((r, i) => ({
            ...r,
            evaluations: r.evaluations.filter((e) => {
              const given = day(
                i * 14 + Math.min(specs[i]!.arrivals[members.indexOf(e.memberId)]!, specs[i]!.window - 1),
              );
              return given.getTime() <= now.getTime();
            }),
          }));
        // Releases only grow, and what was released never changes.
        for (let i = 1; i < times.length; i++) {
          const before = releaseRounds(storedAt(times[i - 1]!), times[i - 1]!).releases;
          const after = releaseRounds(storedAt(times[i]!), times[i]!).releases;
          if (JSON.stringify(after.slice(0, before.length)) !== JSON.stringify(before))
            throw new Error('a release changed or disappeared');
          for (const r of after) if (r.respondents < r.minimum) throw new Error('a release below its k');
        }
        const history = times.map((now) => readEverything(storedAt(now), now));
        const seen = new Map<string, Reading>();
        for (const readings of history) {
          for (const r of readings) {
            const before = seen.get(r.what);
            if (before) {
              const delta = r.responses - before.responses;
              // The re-derivation: one more answer would give its value as the difference of sums.
              if (delta === 1) {
                const derived = r.sum - before.sum;
                const k = Math.min(...rounds.map((x) => x.minimumResponses));
                throw new Error(`${r.what}: 1 answer apart (k=${k}), derived ${derived}`);
              }
              // Any change is by whole releases of at least k members each (the smallest k frozen).
              if (delta !== 0 && Math.abs(delta) < MIN_RESPONSES_FLOOR)
                throw new Error(`${r.what}: changed by ${delta} answers`);
              if (r.what.startsWith('meeting') && (delta !== 0 || Math.abs(r.sum - before.sum) > 1e-9))
                throw new Error(`${r.what}: a released aggregate changed`);
            }
            seen.set(r.what, r);
          }
          for (const r of readings)
            if (r.responses < MIN_RESPONSES_FLOOR) throw new Error(`${r.what}: below the floor`);
        }
      },
    ),
    { numRuns: 400 },
  );
  t.pass('no reading revealed an answer');
});

t.test('health measures shown never count fewer than k members', async (t) => {
  const measures = {
    responses: 12,
    respondents: 6,
    meanBenefit: 4,
    worstMemberBenefit: 2,
    meanEnergy: 4,
    meanPurposeFit: 4,
    purposeSpread: 0.5,
    meanRelations: 4,
    meanGiveGet: 0,
    mostlyGivingMembers: 1,
    mostlyGivingShare: 1 / 6,
  };
  t.match(discloseMeasures(measures), { mostlyGivingMembers: null, mostlyGivingShare: null, respondents: 6 });
  t.match(discloseMeasures({ ...measures, mostlyGivingMembers: 0, mostlyGivingShare: 0 }), {
    mostlyGivingMembers: 0,
  });
  t.match(discloseMeasures({ ...measures, mostlyGivingMembers: 3, mostlyGivingShare: 0.5 }, 3), {
    mostlyGivingMembers: 3,
    mostlyGivingShare: 0.5,
  });
  t.match(
    discloseMeasures({ ...measures, mostlyGivingMembers: 3, mostlyGivingShare: 0.5, minimum: 6 }, 3),
    { mostlyGivingMembers: null },
    'released under k = 6: a later k = 3 does not show a count of 3',
  );
});
