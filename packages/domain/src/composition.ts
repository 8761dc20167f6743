/**
 * Composition: the balance of common traits and difference in a network (product rules), after
 * CATME Team-Maker (Layton et al., "Design and validation of a web-based system for assigning
 * members to teams", 2010): each criterion is `similar`, `diverse` or ignored, with a weight; a
 * group's score is the weighted mean of per-criterion scores in [0, 1], and each criterion explains
 * itself so a person can see why a group was proposed.
 *
 * Per-criterion scores for a group of k members (k ≥ 2; a group of one scores 1 everywhere):
 * - single-valued criterion (sector, organisation, level, experience band, region) with value
 *   counts n_v: `sharing = Σ_v n_v(n_v − 1) / (k(k − 1))` is the share of ordered member pairs with
 *   the same value. `similar` scores `sharing`, `diverse` scores `1 − sharing` (the Gini–Simpson
 *   / Blau index computed without replacement).
 * - motivations (a set per member): `sharing = Σ_v n_v(n_v − 1) / ((k − 1) · Σ_i |A_i|)`, the mean over
 *   members and their motivations of the share of the other members holding the same motivation;
 *   equal to the single-valued formula when every member has one value.
 * - "the only one" (Chief's rule, GroupEng's cluster rule): on a `similar` single-valued criterion
 *   a member whose value nobody else in the group has. Counted per criterion; the formation engine
 *   avoids it before anything else (docs/formation.md).
 * - preferences: each member's own wish (leader.sameness) on sector, experience band and
 *   organisation: with `share = (n_{v_i} − 1) / (k − 1)` the share of the others who have the member's
 *   value, "same" is met by `share`, "different" by `1 − share`; the component is the mean over
 *   every stated wish (1 when nobody stated one).
 * - freshness (Donut: re-forming avoids putting people together again): `1 − R / (k(k − 1)/2)`
 *   where R counts member pairs that were in a group together before.
 */
import { type Conflict, findConflicts } from './conflicts.js';
import { experienceBand, type Leader, type LeaderId } from './leader.js';
import { FieldReader } from './parse.js';
import { err, ok, type Result } from './result.js';
import { type LocalizedText, text } from './text.js';
import type { ValidationFailure } from './validation.js';
import { MEETING_FORMATS, type MeetingFormat, TIME_SLOTS, type TimeSlot } from './vocabulary.js';

/** The criteria a composition can weigh (product rules). */
export const COMPOSITION_CRITERIA = [
  'sector',
  'organisation',
  'level',
  'experience',
  'region',
  'motivations',
] as const;
export type CompositionCriterion = (typeof COMPOSITION_CRITERIA)[number];

/** The criteria with one value per leader (all but motivations). */
export const SINGLE_VALUED_CRITERIA = ['sector', 'organisation', 'level', 'experience', 'region'] as const;
export type SingleValuedCriterion = (typeof SINGLE_VALUED_CRITERIA)[number];

/** CATME's three settings for a criterion. */
export const CRITERION_MODES = ['similar', 'diverse', 'ignore'] as const;
export type CriterionMode = (typeof CRITERION_MODES)[number];

/** How one criterion counts. */
export interface CriterionSetting {
  readonly mode: CriterionMode;
  readonly weight: number;
}

/** The whole composition policy of a formation run. */
export interface CompositionSettings {
  readonly criteria: Readonly<Record<CompositionCriterion, CriterionSetting>>;
  /** Weight of the members' own sameness wishes (leader.sameness); 0 ignores them. */
  readonly preferencesWeight: number;
  /** Weight of new acquaintances when a history of earlier groupings is given; 0 ignores history. */
  readonly freshnessWeight: number;
}

/**
 * Defaults. Sector and organisation diverse: EO forums and Vistage groups mix industries and keep
 * colleagues and business relations apart, for perspective and for confidentiality (organisation
 * weighs double: a colleague in the room limits openness). Level and experience similar: Chief
 * core groups and YPO/Vistage groups match peers by seniority and career stage (level weighs
 * double: the seed's network is "ligestillede" peers). Region similar: in-person meetings need
 * proximity (EO forums are local chapters). Motivations similar: a shared purpose (the charter's
 * goals). Preferences and freshness weigh like one criterion each.
 */
export const DEFAULT_COMPOSITION: CompositionSettings = {
  criteria: {
    sector: { mode: 'diverse', weight: 1 },
    organisation: { mode: 'diverse', weight: 2 },
    level: { mode: 'similar', weight: 2 },
    experience: { mode: 'similar', weight: 1 },
    region: { mode: 'similar', weight: 1 },
    motivations: { mode: 'similar', weight: 1 },
  },
  preferencesWeight: 1,
  freshnessWeight: 1,
};

/** Largest weight accepted; weights are relative, so this only guards against nonsense. */
export const MAX_CRITERION_WEIGHT = 100;

/**
 * Validates composition settings. Absent criteria and weights keep their default; unknown fields
 * are rejected. Never throws.
 */
export function parseCompositionSettings(input: unknown): Result<CompositionSettings, ValidationFailure> {
  const r = new FieldReader(input ?? {});
  r.rejectUnknown(['criteria', 'preferencesWeight', 'freshnessWeight']);
  const criteria: Record<CompositionCriterion, CriterionSetting> = { ...DEFAULT_COMPOSITION.criteria };
  if (r.has('criteria')) {
    const c = new FieldReader(r.raw('criteria'), r.childPath('criteria'), r.issues);
    c.rejectUnknown(COMPOSITION_CRITERIA);
    for (const name of COMPOSITION_CRITERIA) {
      if (!c.has(name)) continue;
      const s = new FieldReader(c.raw(name), c.childPath(name), r.issues);
      s.rejectUnknown(['mode', 'weight']);
      const mode = s.oneOf('mode', CRITERION_MODES);
      const weight = s.number('weight', { min: 0, max: MAX_CRITERION_WEIGHT, optional: true }) ?? 1;
      if (mode !== undefined) criteria[name] = { mode, weight };
    }
  }
  const preferencesWeight =
    r.number('preferencesWeight', { min: 0, max: MAX_CRITERION_WEIGHT, optional: true }) ??
    DEFAULT_COMPOSITION.preferencesWeight;
  const freshnessWeight =
    r.number('freshnessWeight', { min: 0, max: MAX_CRITERION_WEIGHT, optional: true }) ??
    DEFAULT_COMPOSITION.freshnessWeight;
  if (r.issues.length > 0) return err({ code: 'validation_failed', issues: r.issues });
  return ok({ criteria, preferencesWeight, freshnessWeight });
}

/** The part of a leader that composition reads. */
export type CompositionSubject = Pick<
  Leader,
  'id' | 'sector' | 'organisation' | 'level' | 'yearsOfExperience' | 'region' | 'motivations' | 'sameness'
>;

/** Free text is compared trimmed and case-insensitively ("IT" and "it " are one sector). */
const normalise = (value: string): string => value.trim().toLowerCase();

/** A leader's value on a single-valued criterion, as compared. */
export function criterionValue(leader: CompositionSubject, criterion: SingleValuedCriterion): string {
  switch (criterion) {
    case 'sector':
      return normalise(leader.sector);
    case 'organisation':
      return normalise(leader.organisation);
    case 'level':
      return leader.level;
    case 'experience':
      return experienceBand(leader.yearsOfExperience);
    case 'region':
      return normalise(leader.region);
  }
}

/** The criterion each sameness wish is about. */
export const PREFERENCE_CRITERIA = {
  sector: 'sector',
  experience: 'experience',
  organisation: 'organisation',
} as const satisfies Record<keyof Leader['sameness'], SingleValuedCriterion>;

/** Who has been in a group with whom (Donut's rule). */
export interface PairHistory {
  /** True when a and b were in a group together before. */
  met(a: LeaderId, b: LeaderId): boolean;
  /** Everyone `a` was in a group with before. */
  partners(a: LeaderId): ReadonlySet<LeaderId>;
  /** True when no pair has met. */
  readonly empty: boolean;
}

const NOBODY: ReadonlySet<LeaderId> = new Set();

/** Builds the history from earlier groupings (each a list of member ids). */
export function pairHistory(groupings: readonly (readonly LeaderId[])[]): PairHistory {
  const partners = new Map<LeaderId, Set<LeaderId>>();
  for (const group of groupings)
    for (const a of group)
      for (const b of group) {
        if (a === b) continue;
        const set = partners.get(a) ?? new Set<LeaderId>();
        partners.set(a, set);
        set.add(b);
      }
  return {
    met: (a, b) => partners.get(a)?.has(b) ?? false,
    partners: (a) => partners.get(a) ?? NOBODY,
    empty: partners.size === 0,
  };
}

/** The parts of a group's score. */
export type ScoreComponent = CompositionCriterion | 'preferences' | 'freshness';

/** One component of a group's score, with the reason in words. */
export interface ComponentExplanation {
  readonly component: ScoreComponent;
  /** The criterion's mode; null for preferences and freshness. */
  readonly mode: 'similar' | 'diverse' | null;
  readonly weight: number;
  /** In [0, 1]. */
  readonly score: number;
  /** Members who are "the only one" of their kind on this (similar, single-valued) criterion. */
  readonly onlyOnes: number;
  readonly summary: LocalizedText;
}

/** A group's score and why. */
export interface GroupComposition {
  /** Weighted mean of the components, in [0, 1] (1 when nothing is weighed). */
  readonly score: number;
  /** Total "only one" count over the similar criteria. */
  readonly onlyOnes: number;
  readonly components: readonly ComponentExplanation[];
}

const LABELS: Record<CompositionCriterion, { da: [string, string]; en: [string, string] }> = {
  sector: { da: ['sektor', 'sektorer'], en: ['sector', 'sectors'] },
  organisation: { da: ['organisation', 'organisationer'], en: ['organisation', 'organisations'] },
  level: { da: ['ledelsesniveau', 'ledelsesniveauer'], en: ['leadership level', 'leadership levels'] },
  experience: { da: ['erfaringsniveau', 'erfaringsniveauer'], en: ['experience band', 'experience bands'] },
  region: { da: ['region', 'regioner'], en: ['region', 'regions'] },
  motivations: { da: ['motivation', 'motivationer'], en: ['motivation', 'motivations'] },
};

const percent = (x: number) => Math.round(x * 100);

/** The share of same-valued pairs: Σ n_v(n_v − 1) / ((k − 1)·T), T = total values held (see the module comment). */
export function sharing(pairSum: number, k: number, totalValues: number): number {
  if (k < 2 || totalValues === 0) return 1;
  return Math.min(1, Math.max(0, pairSum / ((k - 1) * totalValues)));
}

/** Whether a component takes part in scoring under these settings. */
export function activeComponents(settings: CompositionSettings, hasHistory: boolean): ScoreComponent[] {
  const active: ScoreComponent[] = COMPOSITION_CRITERIA.filter((c) => {
    const s = settings.criteria[c];
    return s.mode !== 'ignore' && s.weight > 0;
  });
  if (settings.preferencesWeight > 0) active.push('preferences');
  if (settings.freshnessWeight > 0 && hasHistory) active.push('freshness');
  return active;
}

/** Scores one group from scratch, with an explanation per component. Never throws. */
export function scoreGroup(
  members: readonly CompositionSubject[],
  settings: CompositionSettings = DEFAULT_COMPOSITION,
  history: PairHistory = pairHistory([]),
): GroupComposition {
  const k = members.length;
  const components: ComponentExplanation[] = [];
  const counts = (values: readonly string[]) => {
    const map = new Map<string, number>();
    for (const v of values) map.set(v, (map.get(v) ?? 0) + 1);
    return map;
  };
  const valueCounts = new Map<SingleValuedCriterion, Map<string, number>>();
  for (const c of SINGLE_VALUED_CRITERIA)
    valueCounts.set(c, counts(members.map((m) => criterionValue(m, c))));
  for (const component of activeComponents(settings, !history.empty)) {
    if (component === 'preferences') {
      let met = 0;
      let stated = 0;
      for (const m of members)
        for (const [dimension, criterion] of Object.entries(PREFERENCE_CRITERIA) as [
          keyof typeof PREFERENCE_CRITERIA,
          SingleValuedCriterion,
        ][]) {
          const wish = m.sameness[dimension];
          if (wish === 'no_preference' || k < 2) continue;
          const share = (valueCounts.get(criterion)!.get(criterionValue(m, criterion))! - 1) / (k - 1);
          stated++;
          met += wish === 'same' ? share : 1 - share;
        }
      const score = stated === 0 ? 1 : met / stated;
      components.push({
        component,
        mode: null,
        weight: settings.preferencesWeight,
        score,
        onlyOnes: 0,
        summary: text(
          `Medlemmernes egne ønsker om samme eller forskellig baggrund er opfyldt ${percent(score)} %.`,
          `Members' own wishes for the same or a different background are met ${percent(score)} %.`,
        ),
      });
      continue;
    }
    if (component === 'freshness') {
      let repeated = 0;
      for (let a = 0; a < k; a++)
        for (let b = a + 1; b < k; b++) if (history.met(members[a]!.id, members[b]!.id)) repeated++;
      const score = k < 2 ? 1 : 1 - repeated / ((k * (k - 1)) / 2);
      components.push({
        component,
        mode: null,
        weight: settings.freshnessWeight,
        score,
        onlyOnes: 0,
        summary:
          repeated === 0
            ? text(
                'Ingen af medlemmerne har været i netværk sammen før.',
                'No two members have been in a network together before.',
              )
            : text(
                `${repeated} par har været i netværk sammen før.`,
                `${repeated} pairs have been in a network together before.`,
              ),
      });
      continue;
    }
    const setting = settings.criteria[component];
    const mode = setting.mode as 'similar' | 'diverse';
    const label = LABELS[component];
    let pairSum = 0;
    let totalValues = 0;
    let distinct = 0;
    let onlyOnes = 0;
    if (component === 'motivations') {
      const c = counts(members.flatMap((m) => [...new Set(m.motivations)]));
      for (const n of c.values()) pairSum += n * (n - 1);
      totalValues = [...c.values()].reduce((a, b) => a + b, 0);
      distinct = c.size;
    } else {
      const c = valueCounts.get(component)!;
      for (const n of c.values()) {
        pairSum += n * (n - 1);
        if (n === 1 && k >= 2 && mode === 'similar') onlyOnes++;
      }
      totalValues = k;
      distinct = c.size;
    }
    const share = sharing(pairSum, k, totalValues);
    const score = mode === 'similar' ? share : k < 2 ? 1 : 1 - share;
    const summary =
      component === 'motivations'
        ? mode === 'similar'
          ? text(
              `Medlemmerne deler i gennemsnit ${percent(share)} % af deres motivationer med de andre.`,
              `On average members share ${percent(share)} % of their motivations with the others.`,
            )
          : text(
              `${distinct} forskellige motivationer i gruppen.`,
              `${distinct} different motivations in the group.`,
            )
        : mode === 'similar'
          ? text(
              `${k - onlyOnes} af ${k} deler ${label.da[0]} med mindst én anden.`,
              `${k - onlyOnes} of ${k} share their ${label.en[0]} with at least one other member.`,
            )
          : text(
              `${distinct} forskellige ${label.da[1]} blandt ${k} medlemmer.`,
              `${distinct} different ${label.en[1]} among ${k} members.`,
            );
    components.push({ component, mode, weight: setting.weight, score, onlyOnes, summary });
  }
  const totalWeight = components.reduce((a, c) => a + c.weight, 0);
  const score = totalWeight === 0 ? 1 : components.reduce((a, c) => a + c.weight * c.score, 0) / totalWeight;
  return { score, onlyOnes: components.reduce((a, c) => a + c.onlyOnes, 0), components };
}

/** The hard constraints of a composition (product rules). */
export interface HardConstraints {
  /** At most this many members from one organisation; null for no cap. */
  readonly maxPerOrganisation: number | null;
}

/** The part of a leader the hard constraints read. */
export type ConstraintSubject = Pick<
  Leader,
  'id' | 'managerId' | 'exclusions' | 'organisation' | 'availability' | 'formats'
>;

/** A hard constraint a group breaks. Conflicts come from conflicts.ts and never say who excluded whom. */
export type HardConstraintViolation =
  | { readonly code: 'no_shared_time_slot' }
  | { readonly code: 'no_shared_format' }
  | { readonly code: 'conflict_of_interest'; readonly conflict: Conflict }
  | {
      readonly code: 'organisation_cap';
      readonly organisation: string;
      readonly members: number;
      readonly cap: number;
    };

/** The time slots and formats every member can meet in, in vocabulary order. */
export function sharedSlotsAndFormats(members: readonly Pick<Leader, 'availability' | 'formats'>[]): {
  readonly timeSlots: TimeSlot[];
  readonly formats: MeetingFormat[];
} {
  return {
    timeSlots: TIME_SLOTS.filter((s) => members.every((m) => m.availability.includes(s))),
    formats: MEETING_FORMATS.filter((f) => members.every((m) => m.formats.includes(f))),
  };
}

/** Every hard constraint the group breaks (empty when it may form a network). Never throws. */
export function checkHardConstraints(
  members: readonly ConstraintSubject[],
  constraints: HardConstraints = { maxPerOrganisation: null },
): HardConstraintViolation[] {
  const violations: HardConstraintViolation[] = [];
  const shared = sharedSlotsAndFormats(members);
  if (shared.timeSlots.length === 0) violations.push({ code: 'no_shared_time_slot' });
  if (shared.formats.length === 0) violations.push({ code: 'no_shared_format' });
  for (const conflict of findConflicts(members)) violations.push({ code: 'conflict_of_interest', conflict });
  const cap = constraints.maxPerOrganisation;
  if (cap !== null) {
    const perOrganisation = new Map<string, number>();
    for (const m of members) {
      const key = normalise(m.organisation);
      perOrganisation.set(key, (perOrganisation.get(key) ?? 0) + 1);
    }
    for (const [organisation, count] of perOrganisation)
      if (count > cap) violations.push({ code: 'organisation_cap', organisation, members: count, cap });
  }
  return violations;
}
