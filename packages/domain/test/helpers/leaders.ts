/**
 * The domain tests' one leader builder. `leader(id)` is a valid stored leader with plain defaults
 * (IT, organisation A, middle manager, 5 years, Hovedstaden, Danish, strategy, weekday daytime,
 * online, no manager, no exclusions, no sameness wishes); a test overrides only the fields it is
 * about. `leaderInput()` is the same profile as a client sends it, before parsing.
 */
import { DEFAULT_COMPOSITION, pairHistory } from '../../src/composition.js';
import { LeaderSpace, type LeaderSpaceParameters } from '../../src/formation/leader-space.js';
import { type Rng, seededRng } from '../../src/formation/random.js';
import type { Leader, LeaderProfile } from '../../src/leader.js';

/** The fields a client must send, with the defaults both builders share (fresh arrays each call). */
const requiredDefaults = () =>
  ({
    sector: 'IT',
    organisation: 'A',
    level: 'middle',
    yearsOfExperience: 5,
    region: 'Hovedstaden',
    languages: ['da'],
    motivations: ['strategy'],
    availability: ['weekday_daytime'],
    formats: ['online'],
  }) satisfies Partial<LeaderProfile>;

/**
 * A stored leader: named after its id, mailed at `<id in lower case>@x.dk`, with the defaults
 * above and no `externalId` unless `over` gives one; `over` replaces any field.
 */
export const leader = (id: string, over: Partial<Leader> = {}): Leader => ({
  id,
  name: id,
  email: `${id.toLowerCase()}@x.dk`,
  ...requiredDefaults(),
  preferredCadenceMonths: null,
  managerId: null,
  exclusions: [],
  sameness: { sector: 'no_preference', experience: 'no_preference', organisation: 'no_preference' },
  ...over,
});

/**
 * An unparsed profile (what a client sends): the required fields with `leader`'s defaults, so it
 * parses to the same profile. `over` replaces or adds any field, valid or not.
 */
export const leaderInput = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'Ane Hansen',
  email: 'ane.hansen@x.dk',
  ...requiredDefaults(),
  ...over,
});

/**
 * Leader L<i>, free on weekday daytime, online only (`leader`'s defaults), with sector,
 * organisation, level, years of experience and region drawn from `seed`; `more` may draw further
 * fields from the same generator, after those five.
 */
export const seededLeader = (
  i: number,
  seed: number,
  more: (r: Rng) => Partial<Leader> = () => ({}),
): Leader => {
  const r = seededRng(seed * 1000 + i);
  return leader(`L${i}`, {
    sector: `S${r.int(4)}`,
    organisation: `O${r.int(6)}`,
    level: (['middle', 'senior'] as const)[r.int(2)]!,
    yearsOfExperience: r.int(30),
    region: `R${r.int(3)}`,
    ...more(r),
  });
};

/**
 * A LeaderSpace over `leaders` with the default composition, no pair history, no per-organisation
 * cap and a worst-group weight of 0.5: group g takes meeting option `labels[g]` and between
 * `lo[g]` and `hi[g]` members.
 */
export const leaderSpaceOf = (
  leaders: readonly Leader[],
  labels: Int32Array,
  lo: Int32Array,
  hi: Int32Array,
  parameters?: Partial<LeaderSpaceParameters>,
): LeaderSpace =>
  new LeaderSpace({
    leaders,
    settings: DEFAULT_COMPOSITION,
    history: pairHistory([]),
    maxPerOrganisation: null,
    worstGroupWeight: 0.5,
    labels,
    lo,
    hi,
    parameters,
  });
