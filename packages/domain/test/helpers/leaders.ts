/**
 * The domain tests' one leader builder. `leader(id)` is a valid stored leader with plain defaults
 * (IT, organisation A, middle manager, 5 years, Hovedstaden, Danish, strategy, weekday daytime,
 * online, no manager, no exclusions, no sameness wishes); a test overrides only the fields it is
 * about. `leaderInput()` is the same profile as a client sends it, before parsing.
 */
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
