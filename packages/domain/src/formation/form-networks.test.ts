import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import { leader } from '../../test/helpers/leaders.js';
import {
  type CompositionSettings,
  checkHardConstraints,
  DEFAULT_COMPOSITION,
  pairHistory,
  scoreGroup,
} from '../composition.js';
import type { Leader } from '../leader.js';
import { MEETING_FORMATS, MOTIVATIONS, TIME_SLOTS } from '../vocabulary.js';
import {
  DEFAULT_NETWORK_SIZES,
  FORMATION_SIZE_LIST_MAX,
  type FormationInput,
  formNetworks,
  networkBoundsFor,
  parseFormationSizes,
} from './form-networks.js';
import { CountTable, LeaderSpace } from './leader-space.js';
import { seededRng } from './random.js';

const nonEmptySubset = <T>(items: readonly T[]) => fc.subarray([...items], { minLength: 1 });

/** A pool of 0–40 leaders over small vocabularies, with managers and exclusions inside the pool. */
const pool = fc
  .array(
    fc.record({
      sector: fc.constantFrom('IT', 'Finans', 'Kommune'),
      organisation: fc.constantFrom('A', 'B', 'C', 'D'),
      level: fc.constantFrom('first_line', 'middle', 'senior', 'executive' as const),
      yearsOfExperience: fc.integer({ min: 0, max: 30 }),
      region: fc.constantFrom('Nord', 'Syd'),
      motivations: nonEmptySubset(MOTIVATIONS),
      availability: fc.oneof(fc.constant(['weekday_daytime' as const]), nonEmptySubset(TIME_SLOTS)),
      formats: fc.oneof(fc.constant(['online' as const]), nonEmptySubset(MEETING_FORMATS)),
      manager: fc.option(fc.nat(), { nil: undefined }),
      exclusions: fc.array(fc.nat(), { maxLength: 2 }),
      sameness: fc.record({
        sector: fc.constantFrom('same', 'different', 'no_preference' as const),
        experience: fc.constantFrom('same', 'different', 'no_preference' as const),
        organisation: fc.constantFrom('same', 'different', 'no_preference' as const),
      }),
    }),
    { maxLength: 40 },
  )
  .map((rows) =>
    rows.map(
      (r, i): Leader =>
        leader(`L${i}`, {
          name: `Leader ${i}`,
          sector: r.sector,
          organisation: r.organisation,
          level: r.level,
          yearsOfExperience: r.yearsOfExperience,
          region: r.region,
          motivations: r.motivations,
          availability: r.availability,
          formats: r.formats,
          managerId:
            r.manager === undefined || r.manager % rows.length === i ? null : `L${r.manager % rows.length}`,
          exclusions: [...new Set(r.exclusions.map((e) => `L${e % rows.length}`))].filter(
            (id) => id !== `L${i}`,
          ),
          sameness: r.sameness,
        }),
    ),
  );

const settings = fc.record({
  min: fc.integer({ min: 2, max: 4 }),
  extra: fc.integer({ min: 0, max: 4 }),
  cap: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  seed: fc.integer(),
  lambda: fc.constantFrom(0, 0.5, 1),
});

const inputOf = (
  leaders: Leader[],
  s: { min: number; extra: number; cap: number | null; seed: number; lambda: number },
  iterations = 8,
): FormationInput => ({
  leaders,
  sizes: { min: s.min, max: s.min + s.extra },
  constraints: { maxPerOrganisation: s.cap },
  history: leaders.length > 3 ? [leaders.slice(0, 3).map((l) => l.id)] : [],
  worstGroupWeight: s.lambda,
  seed: s.seed,
  budget: { maxIterations: iterations },
});

t.test(
  'every proposed network meets every hard constraint and the size bounds; everyone is accounted for',
  (t) => {
    fc.assert(
      fc.property(pool, settings, (leaders, s) => {
        const result = formNetworks(inputOf(leaders, s));
        if (!result.ok) return false;
        const byId = new Map(leaders.map((l) => [l.id, l]));
        const seen = new Set<string>();
        for (const network of result.value.networks) {
          const members = network.members.map((id) => byId.get(id)!);
          if (members.length < s.min || members.length > s.min + s.extra) return false;
          if (checkHardConstraints(members, { maxPerOrganisation: s.cap }).length > 0) return false;
          if (
            !members.every(
              (m) => m.availability.includes(network.timeSlot) && m.formats.includes(network.format),
            )
          )
            return false;
          for (const id of network.members) {
            if (seen.has(id)) return false;
            seen.add(id);
          }
        }
        for (const u of result.value.unplaced) {
          if (seen.has(u.leaderId)) return false;
          seen.add(u.leaderId);
        }
        return seen.size === leaders.length;
      }),
      { numRuns: 150 },
    );
    t.end();
  },
);

/** The sizes of a list, as a multiset: size → how many. */
const countSizes = (sizes: readonly number[]) => {
  const counts = new Map<number, number>();
  for (const size of sizes) counts.set(size, (counts.get(size) ?? 0) + 1);
  return counts;
};

t.test('with an explicit list of sizes every network has a listed size, each used at most once', (t) => {
  const list = fc.array(fc.integer({ min: 2, max: 6 }), { minLength: 1, maxLength: 5 });
  fc.assert(
    fc.property(pool, settings, list, (leaders, s, sizes) => {
      const input = { ...inputOf(leaders, s), sizes: { list: sizes } };
      const result = formNetworks(input);
      if (!result.ok) return false;
      if (JSON.stringify(formNetworks(input)) !== JSON.stringify(result)) return false;
      const byId = new Map(leaders.map((l) => [l.id, l]));
      const left = countSizes(sizes);
      for (const network of result.value.networks) {
        const size = network.members.length;
        if (!left.get(size)) return false;
        left.set(size, left.get(size)! - 1);
        const members = network.members.map((id) => byId.get(id)!);
        if (checkHardConstraints(members, { maxPerOrganisation: s.cap }).length > 0) return false;
      }
      const placed = result.value.networks.reduce((a, n) => a + n.members.length, 0);
      return (
        placed + result.value.unplaced.length === leaders.length && result.value.quality.placed === placed
      );
    }),
    { numRuns: 120 },
  );
  t.end();
});

t.test('parseFormationSizes reads bounds with a target or a list, within the network size limits', (t) => {
  const cases: [unknown, unknown][] = [
    [{}, { ok: true, value: { min: 6, max: 12 } }],
    [
      { min: 8, max: 10, target: 9 },
      { ok: true, value: { min: 8, max: 10, target: 9 } },
    ],
    [{ max: 8 }, { ok: true, value: { min: 6, max: 8 } }],
    [{ list: [8, 8, 10] }, { ok: true, value: { list: [8, 8, 10] } }],
    [{ list: [3, 15, 8.5, '8'] }, { ok: false }],
    [{ list: [] }, { ok: false }],
    [{ list: [8], min: 6 }, { ok: false }],
    [{ min: 10, max: 8 }, { ok: false }],
    [{ min: 6, max: 8, target: 9 }, { ok: false }],
    [{ min: 6, max: 8, size: 9 }, { ok: false }],
    [[8, 10], { ok: false }],
  ];
  for (const [input, expected] of cases) t.match(parseFormationSizes(input), expected, JSON.stringify(input));
  const paths = (input: unknown) => {
    const r = parseFormationSizes(input);
    return r.ok ? [] : r.error.issues.map((i) => `${i.path}:${i.code}`);
  };
  t.same(paths({ list: [3, 15, 8.5, '8'] }), [
    'list[0]:not_allowed',
    'list[1]:not_allowed',
    'list[2]:not_allowed',
    'list[3]:not_allowed',
  ]);
  t.same(paths({ list: [8], min: 6 }), ['min:unknown_property']);
  t.same(paths({ min: 6, max: 8, target: 9 }), ['target:too_large']);
  t.same(paths({ min: 6, max: 8, size: 9 }), ['size:unknown_property']);
  t.same(paths({ list: new Array(FORMATION_SIZE_LIST_MAX + 1).fill(8) }), ['list:too_long']);
  t.same(paths(null), [':wrong_type']);
  t.end();
});

t.test('a network formed under a size list keeps bounds that take every listed size', (t) => {
  t.same(networkBoundsFor({ min: 4, max: 8, target: 6 }), { min: 4, max: 8 });
  t.same(networkBoundsFor({ list: [8, 10] }), DEFAULT_NETWORK_SIZES);
  t.same(networkBoundsFor({ list: [4, 14] }), { min: 4, max: 14 });
  t.end();
});

t.test('same input and seed give identical output', (t) => {
  fc.assert(
    fc.property(pool, settings, (leaders, s) => {
      const a = formNetworks(inputOf(leaders, s));
      const b = formNetworks(inputOf(leaders, s));
      return JSON.stringify(a) === JSON.stringify(b);
    }),
    { numRuns: 40 },
  );
  t.end();
});

t.test('exclusions never appear in the output', (t) => {
  fc.assert(
    fc.property(pool, settings, (leaders, s) => {
      const result = formNetworks(inputOf(leaders, s));
      const json = JSON.stringify(result);
      if (/exclu/i.test(json)) return false;
      if (!result.ok) return false;
      return result.value.networks.every((n) =>
        n.members.every(
          (a) => !leaders.find((l) => l.id === a)!.exclusions.some((x) => n.members.includes(x)),
        ),
      );
    }),
    { numRuns: 60 },
  );
  t.end();
});

/** Settings that switch parts of the model off or around, each compared against composition.ts. */
const modelSettings: [string, CompositionSettings][] = [
  ['the defaults', DEFAULT_COMPOSITION],
  [
    'diverse motivations',
    {
      ...DEFAULT_COMPOSITION,
      criteria: { ...DEFAULT_COMPOSITION.criteria, motivations: { mode: 'diverse', weight: 2 } },
    },
  ],
  [
    'ignored and zero-weight criteria, no motivations, no preferences',
    {
      criteria: {
        ...DEFAULT_COMPOSITION.criteria,
        sector: { mode: 'ignore', weight: 1 },
        region: { mode: 'similar', weight: 0 },
        motivations: { mode: 'ignore', weight: 1 },
      },
      preferencesWeight: 0,
      freshnessWeight: 1,
    },
  ],
];

t.test('the incremental model scores every group exactly as composition.ts does', async (t) => {
  for (const [name, composition] of modelSettings)
    t.test(name, (t) => {
      fc.assert(
        fc.property(pool, fc.integer(), (leaders, seed) => {
          if (leaders.length < 4) return true;
          const rng = seededRng(seed);
          // History may name leaders who are not in this pool (they left): they are ignored.
          const history = pairHistory([[...leaders.slice(0, 4).map((l) => l.id), 'gone']]);
          const space = new LeaderSpace({
            leaders: leaders.map((l) => ({ ...l, availability: ['weekend'], formats: ['hybrid'] })),
            settings: composition,
            history,
            maxPerOrganisation: null,
            worstGroupWeight: 0.5,
            labels: Int32Array.from([8, 8, 8]),
            lo: Int32Array.from([1, 1, 1]),
            hi: Int32Array.from([40, 40, 40]),
          });
          space.restore(Int32Array.from(leaders, (_, i) => (i < 3 ? i : rng.int(3))));
          space.perturb(10, rng);
          for (let g = 0; g < 3; g++) {
            const exact = scoreGroup(
              [...space.members(g)].map((i) => leaders[i]!),
              composition,
              history,
            );
            if (Math.abs(exact.score - space.score[g]!) > 1e-9 || exact.onlyOnes !== space.onlyOnes[g])
              return false;
          }
          return true;
        }),
        { numRuns: 50 },
      );
      t.end();
    });
});

/** Leader P<i>: sector, organisation, level, experience, region and motivation vary with i. */
const plain = (i: number, over: Partial<Leader> = {}): Leader =>
  leader(`P${i}`, {
    sector: ['IT', 'Finans', 'Kommune'][i % 3]!,
    organisation: `Org${i % 5}`,
    level: (['middle', 'senior'] as const)[i % 2]!,
    yearsOfExperience: 4 + (i % 3) * 8,
    region: ['Nord', 'Syd'][i % 2]!,
    motivations: [MOTIVATIONS[i % 6]!],
    ...over,
  });

t.test('unplaced leaders get a reason; a large pool uses the sampled descent', (t) => {
  const leaders = [
    ...Array.from({ length: 7 }, (_, i) => plain(i)),
    plain(7, { availability: ['weekend'], formats: ['in_person'] }),
  ];
  const small = formNetworks({ leaders, seed: 1, sizes: { min: 6, max: 6 }, budget: { maxIterations: 5 } });
  t.ok(small.ok);
  if (small.ok) {
    t.same(small.value.unplaced.map((u) => u.reason).sort(), ['no_feasible_group', 'no_shared_slot_format']);
    t.match(small.value.unplaced[0]!.message, { da: String, en: String });
  }
  // Everyone excludes everyone: nobody can be placed.
  const hostile = Array.from({ length: 4 }, (_, i) =>
    plain(i, { exclusions: [0, 1, 2, 3].filter((k) => k !== i).map((k) => `P${k}`) }),
  );
  const none = formNetworks({ leaders: hostile, seed: 1, sizes: { min: 2, max: 2 } });
  t.ok(none.ok && none.value.networks.length === 0 && none.value.unplaced.length === 4);
  if (none.ok) t.equal(none.value.quality.worst, 0);
  const many = Array.from({ length: 120 }, (_, i) =>
    plain(i, i % 10 === 0 ? { managerId: `P${i + 1}` } : {}),
  );
  let now = 0;
  const large = formNetworks({
    leaders: many,
    seed: 2,
    sizes: { min: 6, max: 12, target: 8 },
    constraints: { maxPerOrganisation: 4 },
    budget: { timeLimitMs: 400, clock: () => now++ },
  });
  t.ok(large.ok && large.value.networks.length === 15 && large.value.unplaced.length === 0);
  // Two options with overlapping pools: leftovers of the smaller are topped up from the larger.
  const split = [
    ...Array.from({ length: 10 }, (_, i) => plain(i, { availability: ['weekday_daytime', 'weekend'] })),
    ...Array.from({ length: 4 }, (_, i) => plain(10 + i, { availability: ['weekend'] })),
    ...Array.from({ length: 2 }, (_, i) => plain(20 + i, { formats: ['hybrid'] })),
  ];
  const topped = formNetworks({
    leaders: split,
    seed: 3,
    sizes: { min: 6, max: 8 },
    budget: { maxIterations: 20 },
  });
  t.ok(topped.ok && topped.value.networks.length === 2);
  t.end();
});

t.test('a group below its minimum that no other group can refill is dissolved', (t) => {
  // Three can meet only on weekday daytimes, two of whom exclude each other; four only at weekends.
  // The daytime group ends below its minimum, and no weekend member can move over (another slot):
  // the repair gives up on it and its members are unplaced, with their reason.
  const leaders = [
    plain(0, { exclusions: ['P1'] }),
    plain(1),
    plain(2),
    ...[3, 4, 5, 6].map((i) => plain(i, { availability: ['weekend'] })),
  ];
  const result = formNetworks({ leaders, seed: 1, sizes: { min: 3, max: 5 }, budget: { maxIterations: 5 } });
  t.ok(result.ok);
  if (result.ok) {
    t.same(
      result.value.networks.map((n) => [...n.members].sort()),
      [['P3', 'P4', 'P5', 'P6']],
      'the weekend four meet',
    );
    t.same(
      result.value.unplaced.map((u) => u.leaderId).sort(),
      ['P0', 'P1', 'P2'],
      'the daytime three cannot make a network',
    );
  }
  t.end();
});

t.test('without sizes the default network sizes apply', (t) => {
  const leaders = Array.from({ length: 30 }, (_, i) => plain(i));
  const implicit = formNetworks({ leaders, seed: 4, budget: { maxIterations: 10 } });
  t.same(
    implicit,
    formNetworks({ leaders, seed: 4, sizes: DEFAULT_NETWORK_SIZES, budget: { maxIterations: 10 } }),
  );
  t.ok(implicit.ok);
  if (implicit.ok) {
    t.equal(implicit.value.unplaced.length, 0);
    for (const network of implicit.value.networks) {
      t.ok(network.members.length >= DEFAULT_NETWORK_SIZES.min, 'at least the default minimum');
      t.ok(network.members.length <= DEFAULT_NETWORK_SIZES.max, 'at most the default maximum');
    }
  }
  // Five leaders are below the default minimum of six: nobody can be grouped.
  const few = formNetworks({ leaders: leaders.slice(0, 5), seed: 4 });
  t.match(few, { ok: true, value: { networks: [], quality: { placed: 0 } } });
  t.end();
});

t.test('a list of sizes: exactly those networks where the pool allows, the rest unplaced', (t) => {
  const leaders = Array.from({ length: 30 }, (_, i) => plain(i));
  const three = formNetworks({
    leaders,
    seed: 5,
    sizes: { list: [8, 10, 8] },
    budget: { maxIterations: 20 },
  });
  t.ok(three.ok);
  if (three.ok) {
    t.same(three.value.networks.map((n) => n.members.length).sort(), [10, 8, 8]);
    t.equal(three.value.unplaced.length, 4, '30 − 26 leaders wait for another round');
    t.same(new Set(three.value.unplaced.map((u) => u.reason)), new Set(['no_feasible_group']));
  }
  // More room asked for than there are leaders: a listed network that cannot be filled is not proposed.
  const short = formNetworks({
    leaders,
    seed: 5,
    sizes: { list: [12, 12, 12] },
    budget: { maxIterations: 5 },
  });
  t.match(short, { ok: true, value: { networks: { length: 2 }, unplaced: { length: 6 } } });
  // Two meeting options: the big network goes where most leaders can meet.
  const split = [
    ...Array.from({ length: 12 }, (_, i) => plain(i, { availability: ['weekday_evening'] })),
    ...Array.from({ length: 6 }, (_, i) => plain(20 + i, { availability: ['weekend'] })),
  ];
  const placed = formNetworks({
    leaders: split,
    seed: 6,
    sizes: { list: [6, 12] },
    budget: { maxIterations: 10 },
  });
  t.ok(placed.ok);
  if (placed.ok) {
    t.same(
      placed.value.networks.map((n) => [n.members.length, n.timeSlot]),
      [
        [12, 'weekday_evening'],
        [6, 'weekend'],
      ],
    );
    t.equal(placed.value.unplaced.length, 0);
  }
  const bad = formNetworks({ leaders, seed: 1, sizes: { list: [0, 2.5, 4] } });
  t.match(bad, { ok: false, error: { issues: [{ path: 'sizes.list[0]' }, { path: 'sizes.list[1]' }] } });
  t.match(formNetworks({ leaders, seed: 1, sizes: { list: [] } }), {
    ok: false,
    error: { issues: [{ path: 'sizes.list', code: 'too_short' }] },
  });
  t.end();
});

t.test('invalid input is refused with every issue', (t) => {
  const leaders = [plain(1), plain(1)];
  const result = formNetworks({
    leaders,
    seed: 1.5,
    sizes: { min: 0, max: -1, target: 99 },
    worstGroupWeight: 2,
    constraints: { maxPerOrganisation: 0 },
    composition: {
      ...DEFAULT_COMPOSITION,
      criteria: { ...DEFAULT_COMPOSITION.criteria, sector: { mode: 'similar', weight: -1 } },
      preferencesWeight: Number.NaN,
      freshnessWeight: -2,
    },
  });
  t.match(result, { ok: false, error: { code: 'validation_failed' } });
  if (!result.ok)
    t.same(
      result.error.issues.map((i) => i.path),
      [
        'leaders[1].id',
        'sizes.min',
        'sizes.max',
        'sizes.target',
        'worstGroupWeight',
        'constraints.maxPerOrganisation',
        'seed',
        'composition.criteria.sector.weight',
        'composition.preferencesWeight',
        'composition.freshnessWeight',
      ],
    );
  t.end();
});

t.test('count tables work the same dense and sparse', (t) => {
  for (const limit of [0, 1000]) {
    const table = new CountTable(3, 4, limit);
    table.add(2, 3, 1);
    table.add(2, 3, 1);
    table.add(2, 3, -2);
    table.add(1, 0, 1);
    t.equal(table.get(2, 3), 0);
    t.equal(table.get(1, 0), 1);
  }
  t.end();
});
