import t from '@sparring/test-workers/tap';
import { leader } from '../test/helpers/leaders.js';
import {
  checkHardConstraints,
  DEFAULT_COMPOSITION,
  pairHistory,
  parseCompositionSettings,
  scoreGroup,
  sharedSlotsAndFormats,
} from './composition.js';

t.test('parseCompositionSettings: defaults, overrides and issues', (t) => {
  t.same(parseCompositionSettings(undefined), { ok: true, value: DEFAULT_COMPOSITION });
  const parsed = parseCompositionSettings({
    criteria: { sector: { mode: 'similar', weight: 3 }, region: { mode: 'ignore' } },
    preferencesWeight: 0,
    freshnessWeight: 2,
  });
  t.match(parsed, {
    ok: true,
    value: {
      criteria: { sector: { mode: 'similar', weight: 3 }, region: { mode: 'ignore', weight: 1 } },
      preferencesWeight: 0,
      freshnessWeight: 2,
    },
  });
  const bad = parseCompositionSettings({
    criteria: { sector: { mode: 'odd', weight: -1 }, colour: {} },
    extra: 1,
  });
  t.match(bad, { ok: false, error: { code: 'validation_failed' } });
  if (!bad.ok)
    t.same(bad.error.issues.map((i) => i.path).sort(), [
      'criteria.colour',
      'criteria.sector.mode',
      'criteria.sector.weight',
      'extra',
    ]);
  t.end();
});

t.test('scoreGroup: similar, diverse, only-ones, preferences, freshness, explanations', (t) => {
  const members = [
    leader('a', {
      sector: 'IT',
      organisation: 'A',
      level: 'middle',
      sameness: { sector: 'same', experience: 'different', organisation: 'no_preference' },
    }),
    leader('b', { sector: 'it ', organisation: 'B', level: 'middle', motivations: ['strategy', 'learning'] }),
    leader('c', { sector: 'Finans', organisation: 'C', level: 'senior', yearsOfExperience: 25 }),
  ];
  const history = pairHistory([['a', 'b', 'x']]);
  const result = scoreGroup(members, DEFAULT_COMPOSITION, history);
  const by = Object.fromEntries(result.components.map((c) => [c.component, c]));
  t.equal(by.sector!.score, 1 - 2 / 6, 'IT and "it " are one sector');
  t.equal(by.organisation!.score, 1);
  t.equal(by.level!.score, 2 / 6);
  t.equal(by.level!.onlyOnes, 1, 'the senior is the only one of their level');
  t.equal(by.freshness!.score, 1 - 1 / 3);
  t.match(by.freshness!.summary.en, /1 pairs/);
  // a wants the same sector (1 of 2 others shares it: 0.5) and a different experience band (b shares it: 0.5)
  t.equal(by.preferences!.score, 0.5);
  // strategy held by 3, learning by 1: Σ n(n − 1) = 6 over (k − 1)·Σ|A| = 2 · 4
  t.equal(by.motivations!.score, 0.75);
  t.ok(result.score > 0 && result.score < 1);
  t.equal(result.onlyOnes, by.level!.onlyOnes + by.experience!.onlyOnes + by.region!.onlyOnes);
  t.equal(scoreGroup([members[0]!]).score, 1, 'a group of one scores 1');
  const diverse = scoreGroup(members, {
    ...DEFAULT_COMPOSITION,
    criteria: { ...DEFAULT_COMPOSITION.criteria, motivations: { mode: 'diverse', weight: 1 } },
  });
  t.match(
    diverse.components.find((c) => c.component === 'motivations')!.summary.en,
    /2 different motivations/,
  );
  const none = scoreGroup(members, {
    criteria: Object.fromEntries(
      Object.keys(DEFAULT_COMPOSITION.criteria).map((k) => [k, { mode: 'ignore', weight: 1 }]),
    ) as never,
    preferencesWeight: 0,
    freshnessWeight: 0,
  });
  t.same(none, { score: 1, onlyOnes: 0, components: [] });
  t.match(
    scoreGroup(members.slice(1), DEFAULT_COMPOSITION, pairHistory([['q', 'r']])).components.at(-1)!.summary
      .en,
    /No two members/,
  );
  t.equal(history.met('a', 'b'), true);
  t.equal(history.met('a', 'q'), false);
  t.equal(history.partners('zz').size, 0);
  t.end();
});

t.test('checkHardConstraints: slot, format, conflicts and the organisation cap', (t) => {
  const a = leader('a', { availability: ['weekday_daytime', 'weekend'], formats: ['online', 'hybrid'] });
  const b = leader('b', { availability: ['weekend'], formats: ['hybrid'], managerId: 'a' });
  const c = leader('c', { availability: ['weekday_evening'], formats: ['in_person'], exclusions: ['a'] });
  t.same(sharedSlotsAndFormats([a, b]), { timeSlots: ['weekend'], formats: ['hybrid'] });
  t.same(checkHardConstraints([a, b], { maxPerOrganisation: 2 }), [
    { code: 'conflict_of_interest', conflict: { kind: 'manager_report', between: ['a', 'b'] } },
  ]);
  const violations = checkHardConstraints([a, b, c], { maxPerOrganisation: 2 }).map((v) => v.code);
  t.same(violations, [
    'no_shared_time_slot',
    'no_shared_format',
    'conflict_of_interest',
    'conflict_of_interest',
    'organisation_cap',
  ]);
  t.same(checkHardConstraints([a]), []);
  t.end();
});
