/**
 * Seeded synthetic leaders with realistic profiles, for the leaders benchmark: Danish regions by
 * population, a skewed spread of sectors and organisation sizes, more first-line and middle managers
 * than executives, most available on weekdays, some manager–report pairs inside the pool and a few
 * private exclusions.
 */

import { type Rng, seededRng } from '../src/formation/random.js';
import type { Leader } from '../src/leader.js';
import { LEADERSHIP_LEVELS, MOTIVATIONS, type SamenessPreference } from '../src/vocabulary.js';

const pick = <T>(rng: Rng, items: readonly (readonly [T, number])[]): T => {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let r = (rng.int(1_000_000) / 1_000_000) * total;
  for (const [item, w] of items) {
    if (r < w) return item;
    r -= w;
  }
  return items[items.length - 1]![0];
};
const chance = (rng: Rng, p: number) => rng.int(1_000_000) < p * 1_000_000;

const REGIONS = [
  ['Hovedstaden', 32],
  ['Midtjylland', 23],
  ['Syddanmark', 21],
  ['Sjælland', 14],
  ['Nordjylland', 10],
] as const;
const SECTORS = [
  ['Kommune', 20],
  ['Region/sundhed', 12],
  ['Stat', 8],
  ['Industri', 12],
  ['IT', 10],
  ['Finans', 7],
  ['Handel', 8],
  ['Byggeri', 6],
  ['Transport', 5],
  ['Energi', 4],
  ['Uddannelse', 5],
  ['NGO', 3],
] as const;
const LEVELS = [
  ['first_line', 35],
  ['middle', 35],
  ['senior', 20],
  ['executive', 10],
] as const;
const WISHES: readonly (readonly [SamenessPreference, number])[] = [
  ['no_preference', 60],
  ['same', 25],
  ['different', 15],
];

/** n synthetic leaders, the same for the same seed. */
export function syntheticLeaders(n: number, seed: number): Leader[] {
  const rng = seededRng(seed);
  const organisations = Math.max(1, Math.round(n / 8));
  const leaders: Leader[] = [];
  for (let i = 0; i < n; i++) {
    // Organisation sizes are skewed: a few large employers, many small ones.
    const org = Math.floor(organisations * (rng.int(1_000_000) / 1_000_000) ** 2);
    const level = pick(rng, LEVELS);
    const motivations = MOTIVATIONS.filter(() => chance(rng, 0.35));
    const availability = (['weekday_daytime', 'weekday_evening', 'weekend'] as const).filter((_, k) =>
      chance(rng, [0.75, 0.4, 0.1][k]!),
    );
    const formats = (['in_person', 'online', 'hybrid'] as const).filter((_, k) =>
      chance(rng, [0.6, 0.7, 0.4][k]!),
    );
    leaders.push({
      id: `leader-${i}`,
      name: `Leader ${i}`,
      email: `leader${i}@example.org`,
      sector: pick(rng, SECTORS),
      organisation: `Org ${org}`,
      level,
      yearsOfExperience: Math.min(
        40,
        Math.floor((rng.int(1000) / 1000) ** 1.5 * 35) + LEADERSHIP_LEVELS.indexOf(level) * 2,
      ),
      region: pick(rng, REGIONS),
      languages: ['da'],
      motivations: motivations.length ? motivations : [MOTIVATIONS[rng.int(MOTIVATIONS.length)]!],
      availability: availability.length ? availability : ['weekday_daytime'],
      formats: formats.length ? formats : ['online'],
      preferredCadenceMonths: null,
      managerId: i > 0 && chance(rng, 0.05) ? `leader-${rng.int(i)}` : null,
      exclusions: i > 0 && chance(rng, 0.03) ? [`leader-${rng.int(i)}`] : [],
      sameness: { sector: pick(rng, WISHES), experience: pick(rng, WISHES), organisation: pick(rng, WISHES) },
    });
  }
  return leaders;
}
