import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import {
  adjustmentsMade,
  DEFAULT_REVIEW_EVERY,
  DEFAULT_TRIAL_LENGTH,
  EXTEND_BY_MEETINGS,
  formingNetwork,
  LIFECYCLE_REFUSAL_CODES,
  LIFECYCLE_REFUSAL_MESSAGES,
  type LifecycleEvent,
  type LifecycleState,
  REVIEW_DECISIONS,
  replay,
  type TrialReadiness,
  transition,
  trialReadinessGaps,
} from './lifecycle.js';

const ready: TrialReadiness = {
  memberCount: 12,
  minimumMembers: 6,
  charterInForce: true,
  hasMeetingModel: true,
};
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
const start: LifecycleEvent = { type: 'start_trial', readiness: ready };
const held: LifecycleEvent = { type: 'meeting_held' };

function run(events: LifecycleEvent[], from: LifecycleState = formingNetwork(day(0))): LifecycleState {
  const r = replay(
    from,
    events.map((event, i) => ({ event, at: new Date(from.since.getTime() + (i + 1) * 86_400_000) })),
  );
  if (!r.ok) throw new Error(`refused at ${r.error.index}: ${r.error.code}`);
  return r.value;
}
const refusal = (state: LifecycleState, event: LifecycleEvent, now = day(100)) => {
  const r = transition(state, event, now);
  return r.ok ? null : r.error.code;
};

t.test('every refusal code has Danish and English text', async (t) => {
  for (const code of LIFECYCLE_REFUSAL_CODES)
    t.ok(LIFECYCLE_REFUSAL_MESSAGES[code].da && LIFECYCLE_REFUSAL_MESSAGES[code].en, code);
});

t.test('a trial starts only when ready', async (t) => {
  const cases: [string, Partial<TrialReadiness>, number | undefined, string | null][] = [
    ['ready, default length', {}, undefined, null],
    ['ready, 4 meetings', {}, 4, null],
    ['too few members', { memberCount: 5 }, undefined, 'too_few_members'],
    ['charter not accepted', { charterInForce: false }, undefined, 'charter_not_in_force'],
    ['no meeting model', { hasMeetingModel: false }, undefined, 'no_meeting_model'],
    ['trial of 5 meetings', {}, 5, 'invalid_trial_length'],
    ['trial of 2 meetings', {}, 2, 'invalid_trial_length'],
  ];
  for (const [name, patch, trialLength, code] of cases)
    t.equal(
      refusal(formingNetwork(day(0)), {
        type: 'start_trial',
        readiness: { ...ready, ...patch },
        trialLength,
      }),
      code,
      name,
    );
  t.same(
    trialReadinessGaps({ memberCount: 2, minimumMembers: 6, charterInForce: false, hasMeetingModel: false }),
    ['too_few_members', 'charter_not_in_force', 'no_meeting_model'],
  );
  const trial = run([start]);
  t.match(trial, {
    status: 'trial',
    trialLength: DEFAULT_TRIAL_LENGTH,
    heldInTrial: 0,
    round: 1,
    since: day(1),
  });
  t.equal(DEFAULT_TRIAL_LENGTH, 3);
});

t.test('the trial ends in review_due after its length; decisions', async (t) => {
  t.match(run([start, held, held]), { status: 'trial', heldInTrial: 2 });
  const due = run([start, held, held, held]);
  t.match(due, {
    status: 'review_due',
    kind: 'trial_end',
    reviewEvery: DEFAULT_REVIEW_EVERY,
    heldWhileDue: 0,
  });
  t.match(run([{ ...start, trialLength: 4 } as LifecycleEvent, held, held, held]), {
    status: 'trial',
    heldInTrial: 3,
  });
  t.match(
    run([held], due),
    { status: 'review_due', heldWhileDue: 1 },
    'a meeting while due does not skip the review',
  );
  const active = run([{ type: 'decide_review', decision: 'continue' }], due);
  t.match(active, { status: 'active', reviewEvery: 6, heldSinceReview: 0 });
  t.match(run([{ type: 'decide_review', decision: 'continue', reviewEvery: 4 }], due), { reviewEvery: 4 });
  t.equal(
    refusal(due, { type: 'decide_review', decision: 'continue', reviewEvery: 0 }),
    'invalid_review_interval',
  );
  t.equal(
    refusal(due, { type: 'decide_review', decision: 'continue', reviewEvery: 2.5 }),
    'invalid_review_interval',
  );
  t.equal(
    refusal(due, { type: 'decide_review', decision: 'continue', reviewEvery: 25 }),
    'invalid_review_interval',
    'beyond REVIEW_EVERY_LIMITS.max',
  );
  t.match(run([{ type: 'decide_review', decision: 'continue', reviewEvery: 24 }], due), { reviewEvery: 24 });
  const adjust: LifecycleEvent = {
    type: 'decide_review',
    decision: 'adjust',
    changes: ['time_slot'],
    readiness: ready,
    trialLength: 4,
  };
  const again = run([adjust], due);
  t.match(again, { status: 'trial', round: 2, trialLength: 4, heldInTrial: 0 });
  t.equal(adjustmentsMade(again), 1);
  t.match(again.history.at(-1), {
    event: 'decide_review',
    decision: 'adjust',
    changes: ['time_slot'],
    from: 'review_due',
    to: 'trial',
  });
  t.equal(refusal(due, { ...adjust, changes: [] } as LifecycleEvent), 'no_changes');
  t.equal(
    refusal(due, { ...adjust, readiness: { ...ready, charterInForce: false } } as LifecycleEvent),
    'charter_not_in_force',
    'a changed charter must be accepted again',
  );
  t.match(run([{ type: 'decide_review', decision: 'dissolve' }], due), { status: 'dissolved' });
});

t.test('an active network comes up for review every N held meetings', async (t) => {
  const active = run([
    start,
    held,
    held,
    held,
    { type: 'decide_review', decision: 'continue', reviewEvery: 2 },
  ]);
  t.match(run([held], active), { status: 'active', heldSinceReview: 1 });
  const due = run([held, held], active);
  t.match(due, { status: 'review_due', kind: 'periodic', reviewEvery: 2 });
  t.match(run([{ type: 'decide_review', decision: 'continue' }], due), { status: 'active', reviewEvery: 2 });
  const adjusted = run(
    [{ type: 'decide_review', decision: 'adjust', changes: ['cadence'], readiness: ready }],
    due,
  );
  t.match(
    adjusted,
    { status: 'trial', round: 2, trialLength: 3 },
    'a periodic adjustment starts a new trial',
  );
});

t.test('pause and resume return exactly to where the network was', async (t) => {
  const trial = run([start, held]);
  const paused = run([{ type: 'pause' }], trial);
  t.match(paused, { status: 'paused', resumeTo: { status: 'trial', heldInTrial: 1, round: 1 } });
  t.match(run([{ type: 'resume' }], paused), { status: 'trial', heldInTrial: 1 });
  const active = run([start, held, held, held, { type: 'decide_review', decision: 'continue' }, held]);
  t.match(run([{ type: 'pause' }, { type: 'resume' }], active), { status: 'active', heldSinceReview: 1 });
});

t.test('refusals, state by state', async (t) => {
  const forming = formingNetwork(day(0));
  const trial = run([start]);
  const due = run([start, held, held, held]);
  const active = run([{ type: 'decide_review', decision: 'continue' }], due);
  const paused = run([{ type: 'pause' }], trial);
  const dissolved = run([{ type: 'dissolve' }], trial);
  const cases: [string, LifecycleState, LifecycleEvent, string][] = [
    ['forming: meeting', forming, held, 'not_started'],
    ['forming: review', forming, { type: 'decide_review', decision: 'dissolve' }, 'no_review_due'],
    ['forming: pause', forming, { type: 'pause' }, 'cannot_pause'],
    ['forming: resume', forming, { type: 'resume' }, 'not_paused'],
    ['trial: start again', trial, start, 'already_started'],
    ['trial: review', trial, { type: 'decide_review', decision: 'continue' }, 'no_review_due'],
    ['trial: resume', trial, { type: 'resume' }, 'not_paused'],
    ['active: start', active, start, 'already_started'],
    ['active: review', active, { type: 'decide_review', decision: 'continue' }, 'no_review_due'],
    ['review due: start', due, start, 'already_started'],
    ['review due: pause', due, { type: 'pause' }, 'cannot_pause'],
    ['review due: resume', due, { type: 'resume' }, 'not_paused'],
    ['paused: meeting', paused, held, 'network_paused'],
    ['paused: pause', paused, { type: 'pause' }, 'cannot_pause'],
    ['paused: start', paused, start, 'already_started'],
    ['paused: review', paused, { type: 'decide_review', decision: 'continue' }, 'no_review_due'],
    ['dissolved: anything', dissolved, held, 'network_dissolved'],
    ['dissolved: dissolve', dissolved, { type: 'dissolve' }, 'network_dissolved'],
  ];
  for (const [name, state, event, code] of cases) t.equal(refusal(state, event), code, name);
  for (const [name, state] of [
    ['forming', forming],
    ['trial', trial],
    ['due', due],
    ['active', active],
    ['paused', paused],
  ] as const)
    t.match(run([{ type: 'dissolve' }], state), { status: 'dissolved' }, `dissolve from ${name}`);
  t.equal(refusal(trial, held, day(0)), 'time_went_backwards');
  const r = replay(forming, [
    { event: start, at: day(1) },
    { event: { type: 'resume' }, at: day(2) },
  ]);
  t.same(r.ok ? null : [r.error.index, r.error.code], [1, 'not_paused'], 'replay stops at the first refusal');
});

t.test('golden: the history of a trial, an adjustment and a second trial', async (t) => {
  const s = run([
    start,
    held,
    held,
    held,
    { type: 'decide_review', decision: 'adjust', changes: ['cadence', 'time_slot'], readiness: ready },
    held,
    { type: 'pause' },
    { type: 'resume' },
    held,
    held,
    { type: 'decide_review', decision: 'continue' },
  ]);
  t.same(
    s.history.map((h) => [h.at.toISOString().slice(0, 10), h.event, h.from, h.to, h.decision ?? '']),
    [
      ['2026-01-02', 'start_trial', 'forming', 'trial', ''],
      ['2026-01-03', 'meeting_held', 'trial', 'trial', ''],
      ['2026-01-04', 'meeting_held', 'trial', 'trial', ''],
      ['2026-01-05', 'meeting_held', 'trial', 'review_due', ''],
      ['2026-01-06', 'decide_review', 'review_due', 'trial', 'adjust'],
      ['2026-01-07', 'meeting_held', 'trial', 'trial', ''],
      ['2026-01-08', 'pause', 'trial', 'paused', ''],
      ['2026-01-09', 'resume', 'paused', 'trial', ''],
      ['2026-01-10', 'meeting_held', 'trial', 'trial', ''],
      ['2026-01-11', 'meeting_held', 'trial', 'review_due', ''],
      ['2026-01-12', 'decide_review', 'review_due', 'active', 'continue'],
    ],
  );
  t.match(s, { status: 'active', since: day(11), reviewEvery: 6, heldSinceReview: 0 });
});

const eventArb: fc.Arbitrary<LifecycleEvent> = fc.oneof(
  fc.record({
    type: fc.constant('start_trial' as const),
    readiness: fc.record({
      memberCount: fc.integer({ min: 3, max: 12 }),
      minimumMembers: fc.constant(6),
      charterInForce: fc.boolean(),
      hasMeetingModel: fc.boolean(),
    }),
    trialLength: fc.constantFrom(3, 4, 5),
  }),
  fc.constant({ type: 'meeting_held' as const }),
  fc.constant({ type: 'meeting_held' as const }),
  fc.constant({ type: 'meeting_held' as const }),
  fc.record({
    type: fc.constant('decide_review' as const),
    decision: fc.constant('continue' as const),
    reviewEvery: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    type: fc.constant('decide_review' as const),
    decision: fc.constant('adjust' as const),
    changes: fc.subarray(['cadence', 'time_slot', 'venue'] as const),
    readiness: fc.constant(ready),
  }),
  fc.constant({ type: 'decide_review' as const, decision: 'dissolve' as const }),
  fc.constant({ type: 'pause' as const }),
  fc.constant({ type: 'resume' as const }),
  fc.constant({ type: 'dissolve' as const }),
);

t.test('property: no sequence skips a review; a trial never becomes active without review_due', async () => {
  fc.assert(
    fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
      let state = formingNetwork(day(0));
      for (const [i, event] of events.entries()) {
        const r = transition(state, event, day(i + 1));
        if (!r.ok) continue;
        const next = r.value;
        if (next.status === 'active' && !(state.status === 'review_due' || state.status === 'paused'))
          throw new Error(`${state.status} → active`);
        if (next.status === 'active' && state.status === 'paused' && state.resumeTo.status !== 'active')
          throw new Error('a paused trial resumed as active');
        if (next.status === 'trial' && next.heldInTrial >= next.trialLength)
          throw new Error('trial overran its length');
        if (next.status === 'active' && next.heldSinceReview >= next.reviewEvery)
          throw new Error('periodic review skipped');
        if (next.history.length !== state.history.length + 1) throw new Error('history not appended');
        state = next;
      }
      // replaying the history never has an active entry not preceded by review_due/paused
      const h = state.history;
      for (const [i, e] of h.entries())
        if (e.to === 'active' && e.from !== 'review_due' && !(e.from === 'paused' && i > 0))
          throw new Error('history skips review');
    }),
    { seed: 11, numRuns: 1000 },
  );
});

t.test(
  'extend: the trial (or the interval) runs one more meeting, then the review is due again',
  async (t) => {
    const due = run([start, held, held, held]);
    t.match(due, {
      status: 'review_due',
      kind: 'trial_end',
      trial: { trialLength: 3, heldInTrial: 3, round: 1 },
    });
    const extended = run([{ type: 'decide_review', decision: 'extend' }], due);
    t.match(extended, {
      status: 'trial',
      trialLength: 3,
      heldInTrial: 3,
      round: 1,
      extendedBy: EXTEND_BY_MEETINGS,
    });
    t.match(extended.history.at(-1), {
      event: 'decide_review',
      decision: 'extend',
      from: 'review_due',
      to: 'trial',
    });
    t.equal(adjustmentsMade(extended), 0, 'an extension is not an adjustment');
    const dueAgain = run([held], extended);
    t.match(dueAgain, { status: 'review_due', kind: 'trial_end', trial: { heldInTrial: 4, extendedBy: 1 } });
    t.match(run([{ type: 'decide_review', decision: 'extend' }], dueAgain), {
      status: 'trial',
      heldInTrial: 4,
      extendedBy: 2,
    });
    t.match(
      run([{ type: 'decide_review', decision: 'extend' }, held], dueAgain),
      { status: 'review_due', trial: { heldInTrial: 5, extendedBy: 2 } },
      'extended twice: due again after the fifth meeting',
    );
    // A review_due stored before the ended trial was kept: a default-length trial of its round.
    const { trial: _trial, ...legacy } = due as Extract<LifecycleState, { status: 'review_due' }>;
    t.match(run([{ type: 'decide_review', decision: 'extend' }], legacy as LifecycleState), {
      status: 'trial',
      trialLength: DEFAULT_TRIAL_LENGTH,
      heldInTrial: DEFAULT_TRIAL_LENGTH,
      round: 1,
      extendedBy: 1,
    });
    // A periodic review: active, due again after one more meeting.
    const active = run([{ type: 'decide_review', decision: 'continue', reviewEvery: 2 }], due);
    const periodic = run([held, held], active);
    t.match(periodic, { status: 'review_due', kind: 'periodic' });
    const again = run([{ type: 'decide_review', decision: 'extend' }], periodic);
    t.match(again, { status: 'active', reviewEvery: 2, heldSinceReview: 1 });
    t.match(run([held], again), { status: 'review_due', kind: 'periodic' });
    t.equal(refusal(active, { type: 'decide_review', decision: 'extend' }), 'no_review_due');
    t.same(REVIEW_DECISIONS, ['continue', 'adjust', 'extend', 'dissolve']);
  },
);
