/**
 * The recommendation at a review (the end of a trial or a periodic review): continue, adjust (and
 * what) or dissolve, with reasons drawn from health and the network's signals. The seed: "afprøv
 * den på 3-4 møder … og herefter tage stilling til, om I skal vælge en anden form eller fortsætte
 * med den nuværende". The recommendation is advice; the decision is the network's
 * (lifecycle.ts's decide_review).
 */

import { ADJUSTMENT_AREAS, type AdjustmentArea } from './adjustment.js';
import { MIN_RESPONSES_FLOOR, minimumResponses } from './confidentiality.js';
import type { HealthComponent, HealthComponents, HealthParameters, HealthReport } from './health.js';
import { discloseMeasures, HEALTH_COMPONENTS, HEALTH_WEIGHTS, healthParameters } from './health.js';
import { EXTEND_BY_MEETINGS } from './lifecycle.js';
import { withDefaults } from './parameters.js';
import {
  discloseMembersAtRisk,
  type MembersAtRisk,
  type Signal,
  type SignalCode,
  type SignalParameters,
  signalParameters,
} from './signals.js';
import { type LocalizedText, text } from './text.js';

/**
 * What each network signal suggests changing. Many cancellations: the meetings do not fit the
 * calendars (the seed's first questions, "hvor ofte … dagtimerne, om aftenen eller i weekender").
 * Low energy: the meeting is too long or its shape drains. Purpose drift: agree the contract again.
 * Relations strain: room for trust in the agenda, and meeting in person. Social-only drift: the
 * contract's goals "mere end socialt" and an agenda of dilemmas. Info signals suggest no change.
 */
export const SIGNAL_ADJUSTMENTS: Readonly<Record<SignalCode, readonly AdjustmentArea[]>> = {
  many_cancellations: ['cadence', 'time_slot'],
  member_at_risk_of_withdrawing: [],
  low_energy: ['length', 'agenda_format'],
  purpose_drift: ['charter'],
  relations_strain: ['venue', 'agenda_format'],
  social_only_drift: ['charter', 'agenda_format'],
  evaluation_overdue: [],
  low_response_rate: [],
};

/** What to change when a component is the weakest and no signal named a change. */
export const COMPONENT_ADJUSTMENTS: Readonly<Record<HealthComponent, AdjustmentArea>> = {
  benefit: 'agenda_format',
  energy: 'length',
  purpose: 'charter',
  relations: 'venue',
  attendance: 'time_slot',
  reciprocity: 'agenda_format',
};

/**
 * The thresholds of the review's recommendation and of its ranking of changes. Each field's doc
 * gives its default's value and source; {@link DEFAULT_REVIEW_PARAMETERS} holds them.
 * {@link recommendReview} and {@link rankChanges} take a partial object of a caller's own values;
 * what is left out keeps the default.
 */
export interface ReviewParameters {
  /**
   * Recommend dissolving an off-track network whose index is below 35: answers around 2.4 of 5 with
   * absences, a gap no single change to the model is likely to close.
   */
  readonly dissolveIndexBelow: number;
  /**
   * Recommend dissolving an off-track network that has already been adjusted twice: the seed's "try
   * another form" has been done, twice, without lifting it.
   */
  readonly maxAdjustmentsBeforeDissolve: number;
  /**
   * A share of members mostly giving from which the review names it (one in five): the seed's
   * members who "arbejder mere for andre end for sig selv … vil trække sig".
   */
  readonly mostlyGivingReviewShare: number;
  /**
   * At most two changes advised at once: the seed's "vælg en model og afprøv den på 3-4 møder" asks
   * for one model to try, and a trial that changes everything cannot tell which change worked. One
   * is the rule; a second only when its evidence is about as strong (see
   * {@link ReviewParameters.secondChangeMinShare}).
   */
  readonly maxAdvisedChanges: number;
  /**
   * A further change is advised with the first only when its strength is at least three quarters of
   * the first's: two problems of about the same weight (ours; below that, the weaker one waits for
   * the next review and is listed as considered).
   */
  readonly secondChangeMinShare: number;
  /**
   * A reason's further areas (after its first) carry half its strength: the first is the reason's
   * main remedy, the others alternatives (ours), so one reason alone advises one change.
   */
  readonly secondaryAreaShare: number;
}

/** The review thresholds of the method (each value's source is on its field, {@link ReviewParameters}). */
export const DEFAULT_REVIEW_PARAMETERS: ReviewParameters = Object.freeze({
  dissolveIndexBelow: 35,
  maxAdjustmentsBeforeDissolve: 2,
  mostlyGivingReviewShare: 0.2,
  maxAdvisedChanges: 2,
  secondChangeMinShare: 0.75,
  secondaryAreaShare: 0.5,
});

/** Review parameters: the defaults with the caller's values in their place. */
export const reviewParameters = (parameters: Partial<ReviewParameters> = {}): ReviewParameters =>
  withDefaults(DEFAULT_REVIEW_PARAMETERS, parameters);

export const REVIEW_REASON_CODES = [
  'health_good',
  'health_at_risk',
  'health_off_track',
  'too_early',
  'declining_trend',
  'many_cancellations',
  'low_energy',
  'purpose_drift',
  'relations_strain',
  'social_only_drift',
  'benefit_uneven',
  'members_mostly_giving',
  'members_at_risk_of_withdrawing',
  'weakest_component',
  'low_response_rate',
  'evaluation_overdue',
  'index_critical',
  'adjustments_exhausted',
  'evaluate_first',
  'k_unreachable',
] as const;
export type ReviewReasonCode = (typeof REVIEW_REASON_CODES)[number];

export const REVIEW_REASON_MESSAGES: Readonly<Record<ReviewReasonCode, LocalizedText>> = {
  health_good: text('Netværket har det godt.', 'The network is in good health.'),
  health_at_risk: text('Netværkets sundhed er i risikozonen.', "The network's health is at risk."),
  health_off_track: text('Netværket er på vildspor.', 'The network is off track.'),
  too_early: text(
    'Der er endnu for få evaluerede møder til at vurdere netværket.',
    'Too few meetings have been evaluated to judge the network yet.',
  ),
  declining_trend: text(
    'Sundheden er faldende fra møde til møde.',
    'Health is declining from meeting to meeting.',
  ),
  many_cancellations: text(
    'Mange afbud kan være tegn på, at I er på vildspor.',
    'Many cancellations can be a sign that you are off track.',
  ),
  low_energy: text('I går fra møderne med lav energi.', 'You leave meetings with low energy.'),
  purpose_drift: text('I er ikke længere enige om målsætningen.', 'You no longer agree on the purpose.'),
  relations_strain: text('Tilliden i gruppen er under pres.', 'Trust in the group is under strain.'),
  social_only_drift: text(
    'Netværket er ved at blive mest socialt.',
    'The network is drifting to social only.',
  ),
  benefit_uneven: text(
    'Ikke alle får noget ud af netværket.',
    'Not everyone gets something out of the network.',
  ),
  members_mostly_giving: text(
    'Flere medlemmer giver mest og får lidt.',
    'Several members mostly give and get little.',
  ),
  members_at_risk_of_withdrawing: text(
    'Flere medlemmer er i risiko for at trække sig: de får lidt ud af netværket, giver mest eller er ofte fraværende.',
    'Several members are at risk of withdrawing: they get little out of the network, mostly give or are often absent.',
  ),
  weakest_component: text(
    'Her står det svagest til i netværkets sundhed.',
    "This is the weakest part of the network's health.",
  ),
  low_response_rate: text(
    'Få svarer på evalueringerne; tallene taler for et mindretal.',
    'Few answer the evaluations; the numbers speak for a minority.',
  ),
  evaluation_overdue: text(
    'Det seneste møde mangler evaluering.',
    'The latest meeting lacks its evaluation.',
  ),
  index_critical: text(
    'Sundheden er så lav, at en justering næppe er nok.',
    'Health is so low that an adjustment is unlikely to be enough.',
  ),
  adjustments_exhausted: text(
    'Netværket er allerede justeret flere gange uden at komme på sporet.',
    'The network has been adjusted several times without getting back on track.',
  ),
  evaluate_first: text(
    'Uden løbende evaluering er der intet at fortsætte eller justere på: forlæng prøveperioden med et møde, og evaluér det, før I tager stilling.',
    'Without continuous evaluation there is nothing to continue or adjust on: extend the trial by one meeting and evaluate it before you decide.',
  ),
  k_unreachable: text(
    'Netværket har færre aktive medlemmer end det mindste antal svar (k), der skal til, før resultater vises, så resultaterne kan aldrig vises. Sænk k i netværkets indstillinger til højst antallet af aktive medlemmer (mindst 3), eller optag flere medlemmer, og evaluér derefter et møde mere.',
    "The network has fewer active members than the minimum number of answers (k) before results are shown, so its results can never be shown. Lower k in the network's settings to at most its number of active members (3 at the lowest), or add members, then evaluate one more meeting.",
  ),
};

/** One reason of a recommendation: a code, its text, the numbers behind it and what it suggests. */
export interface ReviewReason {
  readonly code: ReviewReasonCode;
  readonly message: LocalizedText;
  readonly evidence: Readonly<Record<string, number>>;
  /** The adjustment areas this reason points to (empty when none). */
  readonly suggests: readonly AdjustmentArea[];
}

/**
 * Which way a change goes. Each reason that suggests an area says how (see
 * {@link REASON_CHANGES}); only directions some evidence points to exist.
 */
export const CHANGE_DIRECTIONS = [
  'less_often',
  'another_time',
  'in_person',
  'shorter',
  'more_focus',
  'room_for_trust',
  'dilemmas_first',
  'everyone_gets_a_turn',
  'agree_purpose_again',
  'goals_beyond_social',
] as const;
export type ChangeDirection = (typeof CHANGE_DIRECTIONS)[number];

export const CHANGE_DIRECTION_MESSAGES: Readonly<Record<ChangeDirection, LocalizedText>> = {
  less_often: text('Mød jer sjældnere.', 'Meet less often.'),
  another_time: text(
    'Find et andet mødetidspunkt: i dagtimerne, om aftenen eller i weekenden.',
    'Find another time: daytime, evening or weekend.',
  ),
  in_person: text('Mød hinanden fysisk.', 'Meet in person.'),
  shorter: text('Gør møderne kortere.', 'Make the meetings shorter.'),
  more_focus: text('Færre punkter på dagsordenen, mere fordybelse.', 'Fewer agenda items, more depth.'),
  room_for_trust: text('Giv tilliden plads på dagsordenen.', 'Make room for trust on the agenda.'),
  dilemmas_first: text('Sæt dilemmaerne først på dagsordenen.', 'Put the dilemmas first on the agenda.'),
  everyone_gets_a_turn: text(
    'Sørg for, at alle får tid til deres egne sager.',
    'Make sure everyone gets time for their own issues.',
  ),
  agree_purpose_again: text('Bliv enige om målsætningen igen.', 'Agree on the purpose again.'),
  goals_beyond_social: text(
    'Sæt mål for netværket, der er mere end sociale.',
    'Set goals for the network that are more than social.',
  ),
};

/** One change the review ranks: the area, which way, the reason behind it and its evidence strength. */
export interface RankedChange {
  readonly area: AdjustmentArea;
  readonly direction: ChangeDirection;
  /** What to do, in words. */
  readonly message: LocalizedText;
  /** The strongest reason pointing to this change. */
  readonly reason: ReviewReasonCode;
  /**
   * Evidence strength: the health-index points the components behind it cost now (one decimal);
   * see {@link rankChanges}.
   */
  readonly strength: number;
}

export type ReviewRecommendation =
  | { readonly recommendation: 'continue'; readonly reasons: readonly ReviewReason[] }
  | {
      readonly recommendation: 'adjust';
      /** The areas advised now, strongest evidence first: one, at most {@link ReviewParameters.maxAdvisedChanges}. */
      readonly changes: readonly AdjustmentArea[];
      /** The advised changes with direction, reason and strength (the same areas as `changes`). */
      readonly advised: readonly RankedChange[];
      /** Changes the evidence also points to, considered but not advised now (weaker first-trial candidates). */
      readonly considered: readonly RankedChange[];
      readonly reasons: readonly ReviewReason[];
    }
  | {
      /** Too little evaluation to judge: extend the trial (or the interval) by `extendBy` meetings and evaluate them. */
      readonly recommendation: 'evaluate_first';
      readonly extendBy: number;
      readonly reasons: readonly ReviewReason[];
    }
  | { readonly recommendation: 'dissolve'; readonly reasons: readonly ReviewReason[] };

export const REVIEW_RECOMMENDATIONS = ['continue', 'adjust', 'evaluate_first', 'dissolve'] as const;
export type ReviewRecommendationKind = (typeof REVIEW_RECOMMENDATIONS)[number];

/** The component whose score each change-suggesting reason is about (its evidence strength). */
export const REASON_COMPONENTS: Readonly<Partial<Record<ReviewReasonCode, HealthComponent>>> = {
  many_cancellations: 'attendance',
  low_energy: 'energy',
  purpose_drift: 'purpose',
  relations_strain: 'relations',
  social_only_drift: 'benefit',
  benefit_uneven: 'benefit',
  members_mostly_giving: 'reciprocity',
  members_at_risk_of_withdrawing: 'benefit',
};

/**
 * Which way each reason's areas change, main remedy first. Many cancellations: afbud mostly
 * given late (at least half) say the time collides with the members' days (the seed: "i
 * dagtimerne, om aftenen eller i weekender"), so another time comes first; afbud given in good
 * time say the members plan around the meetings, so meeting less often comes first.
 */
export const REASON_CHANGES: Readonly<
  Partial<Record<ReviewReasonCode, readonly (readonly [AdjustmentArea, ChangeDirection])[]>>
> = {
  many_cancellations: [
    ['cadence', 'less_often'],
    ['time_slot', 'another_time'],
  ],
  low_energy: [
    ['length', 'shorter'],
    ['agenda_format', 'more_focus'],
  ],
  purpose_drift: [['charter', 'agree_purpose_again']],
  relations_strain: [
    ['venue', 'in_person'],
    ['agenda_format', 'room_for_trust'],
  ],
  social_only_drift: [
    ['charter', 'goals_beyond_social'],
    ['agenda_format', 'dilemmas_first'],
  ],
  benefit_uneven: [['agenda_format', 'everyone_gets_a_turn']],
  members_mostly_giving: [['agenda_format', 'everyone_gets_a_turn']],
  members_at_risk_of_withdrawing: [['agenda_format', 'everyone_gets_a_turn']],
};

/** The direction of the weakest component's area when no signal named a change. */
const COMPONENT_DIRECTIONS: Readonly<Record<HealthComponent, ChangeDirection>> = {
  benefit: 'everyone_gets_a_turn',
  energy: 'shorter',
  purpose: 'agree_purpose_again',
  relations: 'in_person',
  attendance: 'another_time',
  reciprocity: 'everyone_gets_a_turn',
};

/** A reason's areas with their directions, main remedy first. */
function changesOf(r: ReviewReason): (readonly [AdjustmentArea, ChangeDirection])[] {
  if (r.code === 'weakest_component') {
    const component = Object.keys(r.evidence)[0] as HealthComponent;
    return [[COMPONENT_ADJUSTMENTS[component], COMPONENT_DIRECTIONS[component]]];
  }
  // Only reasons that suggest a change reach here, and each has its entry in REASON_CHANGES.
  const list = [...(REASON_CHANGES[r.code] as readonly (readonly [AdjustmentArea, ChangeDirection])[])];
  const { cancellationRate = 0, lateCancellationRate = 0 } = r.evidence;
  if (r.code === 'many_cancellations' && lateCancellationRate >= cancellationRate / 2) list.reverse();
  return list;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * Ranks the changes the reasons suggest by evidence strength. A reason's strength is what its
 * component costs the health index now, `weight × (100 − score)` ({@link HEALTH_WEIGHTS}); its
 * first area gets all of it, further areas {@link ReviewParameters.secondaryAreaShare}. An area's
 * strength sums its reasons, counting each component once (the strongest share). Strongest first;
 * ties in {@link ADJUSTMENT_AREAS} order. Advised: the first, and each next one while it has at
 * least {@link ReviewParameters.secondChangeMinShare} of the first's strength, at most
 * {@link ReviewParameters.maxAdvisedChanges} in all (by default: the second at most); the rest are
 * considered.
 */
export function rankChanges(
  reasons: readonly ReviewReason[],
  components: HealthComponents,
  parameters: Partial<ReviewParameters> = {},
): { advised: RankedChange[]; considered: RankedChange[] } {
  const p = reviewParameters(parameters);
  const byArea = new Map<
    AdjustmentArea,
    {
      perComponent: Map<HealthComponent, number>;
      best: { share: number; reason: ReviewReasonCode; direction: ChangeDirection };
    }
  >();
  for (const r of reasons) {
    if (r.suggests.length === 0) continue;
    const component =
      r.code === 'weakest_component'
        ? (Object.keys(r.evidence)[0] as HealthComponent)
        : (REASON_COMPONENTS[r.code] as HealthComponent);
    const cost = HEALTH_WEIGHTS[component] * (100 - components[component]);
    changesOf(r).forEach(([area, direction], i) => {
      const share = cost * (i === 0 ? 1 : p.secondaryAreaShare);
      const entry = byArea.get(area) ?? {
        perComponent: new Map<HealthComponent, number>(),
        best: { share: -1, reason: r.code, direction },
      };
      entry.perComponent.set(component, Math.max(entry.perComponent.get(component) ?? 0, share));
      if (share > entry.best.share) entry.best = { share, reason: r.code, direction };
      byArea.set(area, entry);
    });
  }
  const ranked: RankedChange[] = ADJUSTMENT_AREAS.filter((a) => byArea.has(a))
    .map((area) => {
      const { perComponent, best } = byArea.get(area)!;
      return {
        area,
        direction: best.direction,
        message: CHANGE_DIRECTION_MESSAGES[best.direction],
        reason: best.reason,
        strength: round1([...perComponent.values()].reduce((sum, x) => sum + x, 0)),
      };
    })
    .sort((a, b) => b.strength - a.strength);
  const [first, ...rest] = ranked;
  if (first === undefined) return { advised: [], considered: [] };
  const advised = [first];
  const considered: RankedChange[] = [];
  // Strongest first: once one falls short of the share, every later one does too.
  for (const change of rest) {
    if (advised.length < p.maxAdvisedChanges && change.strength >= p.secondChangeMinShare * first.strength)
      advised.push(change);
    else considered.push(change);
  }
  return { advised, considered };
}

export interface ReviewOptions {
  /** Adjusting reviews already made (lifecycle.ts's `adjustmentsMade`); default 0. */
  readonly priorAdjustments?: number;
  /** The network's k: evidence never shows a count of members below it (default 5). */
  readonly minimumResponses?: number;
  /**
   * How many members are at risk of withdrawing (signals.ts's `membersAtRisk`, from the
   * assessment): counted as a reason only when `discloseMembersAtRisk` shows it (at least k).
   */
  readonly membersAtRisk?: MembersAtRisk;
  /** The network's active members now: below k, results can never be released (`k_unreachable`). */
  readonly activeMembers?: number;
  /** The caller's own review thresholds (default {@link DEFAULT_REVIEW_PARAMETERS}). */
  readonly reviewParameters?: Partial<ReviewParameters>;
  /**
   * The signal thresholds the assessment was made with: the worst-off member's benefit is a reason
   * at most {@link SignalParameters.atRiskBenefitMax} (default signals.ts's defaults).
   */
  readonly signalParameters?: Partial<SignalParameters>;
  /**
   * The health tuning the report was made with: "too early" below
   * {@link HealthParameters.minEvaluatedMeetings} (default health.ts's defaults).
   */
  readonly healthParameters?: Partial<HealthParameters>;
}

const reason = (
  code: ReviewReasonCode,
  evidence: Record<string, number>,
  suggests: readonly AdjustmentArea[] = [],
): ReviewReason => ({ code, message: REVIEW_REASON_MESSAGES[code], evidence, suggests });

const SIGNAL_REASONS: Partial<Record<SignalCode, ReviewReasonCode>> = {
  many_cancellations: 'many_cancellations',
  low_energy: 'low_energy',
  purpose_drift: 'purpose_drift',
  relations_strain: 'relations_strain',
  social_only_drift: 'social_only_drift',
  low_response_rate: 'low_response_rate',
  evaluation_overdue: 'evaluation_overdue',
};

/**
 * The recommendation at a review. Rules, in order:
 * 1. Dissolve when the band is off track and either the index is below
 *    {@link ReviewParameters.dissolveIndexBelow} or {@link ReviewParameters.maxAdjustmentsBeforeDissolve}
 *    adjustments were made.
 * 2. Adjust when any reason suggests a change (network signals of warning or critical severity;
 *    the worst-off member's benefit at most {@link SignalParameters.atRiskBenefitMax} (2.5); a
 *    {@link ReviewParameters.mostlyGivingReviewShare} share of members
 *    mostly giving), or when the band is at risk or off track (then, if nothing else named a change,
 *    the weakest component's area).
 *    Members at risk of withdrawing (signals.ts's `membersAtRisk`, given as an option) are a
 *    reason only when `discloseMembersAtRisk` shows their count (at least k): below it the review
 *    says nothing of them, not even that there are some.
 * 0. Evaluate first when the band is too early (fewer than
 *    {@link HealthParameters.minEvaluatedMeetings} evaluated meetings): continuous evaluation is one of the seed's three prerequisites, and
 *    without it there is nothing to continue or adjust on. The trial is extended by
 *    {@link EXTEND_BY_MEETINGS} meeting; the reasons (absences too) stay visible. When the network
 *    has fewer active members than k, no meeting can ever be released, so the last reason is
 *    `k_unreachable` (lower k to at most the active members, floor
 *    confidentiality.ts's MIN_RESPONSES_FLOOR, or add members) instead of `evaluate_first`; with
 *    numbers released earlier, `k_unreachable` is a reason beside the others.
 * 3. Otherwise continue (healthy or thriving with nothing to change).
 * Changes are ranked by {@link rankChanges}: one advised (at most two), the others considered.
 * Only network-audience signals are read: a member's own signal never reaches the review.
 */
export function recommendReview(
  health: HealthReport,
  signals: readonly Signal[],
  options: ReviewOptions = {},
): ReviewRecommendation {
  const reasons: ReviewReason[] = [];
  const { band, index, measures, components } = health;
  const k = minimumResponses(options.minimumResponses);
  const p = reviewParameters(options.reviewParameters);
  const minEvaluated = healthParameters(options.healthParameters).minEvaluatedMeetings;
  if (band === 'too_early')
    reasons.push(reason('too_early', { evaluatedMeetings: health.evaluatedMeetings, minimum: minEvaluated }));
  else if (band === 'at_risk') reasons.push(reason('health_at_risk', { index: index as number }));
  else if (band === 'off_track') reasons.push(reason('health_off_track', { index: index as number }));
  else reasons.push(reason('health_good', { index: index as number }));
  if (health.trend.direction === 'declining')
    reasons.push(reason('declining_trend', { slope: health.trend.slope }));

  for (const s of signals) {
    const code = SIGNAL_REASONS[s.code];
    if (s.audience.kind !== 'network' || code === undefined) continue;
    reasons.push(reason(code, s.evidence, s.severity === 'info' ? [] : SIGNAL_ADJUSTMENTS[s.code]));
  }
  if (measures && measures.worstMemberBenefit <= signalParameters(options.signalParameters).atRiskBenefitMax)
    reasons.push(
      reason(
        'benefit_uneven',
        { worstMemberBenefit: measures.worstMemberBenefit, meanBenefit: measures.meanBenefit },
        ['agenda_format'],
      ),
    );
  if (measures && measures.mostlyGivingShare >= p.mostlyGivingReviewShare) {
    // The share reveals how many members mostly give: shown only when that count is at least k.
    const shown = discloseMeasures(measures, options.minimumResponses).mostlyGivingShare;
    reasons.push(
      reason(
        'members_mostly_giving',
        shown === null
          ? { threshold: p.mostlyGivingReviewShare }
          : { mostlyGivingShare: shown, threshold: p.mostlyGivingReviewShare },
        ['agenda_format'],
      ),
    );
  }

  const atRisk = options.membersAtRisk;
  const shownAtRisk = atRisk ? discloseMembersAtRisk(atRisk, k) : null;
  if (atRisk && shownAtRisk !== null)
    reasons.push(
      reason(
        'members_at_risk_of_withdrawing',
        { atRisk: shownAtRisk, minimum: Math.max(k, atRisk.releasedUnder) },
        ['agenda_format'],
      ),
    );
  const unreachable =
    options.activeMembers !== undefined && options.activeMembers < k
      ? reason('k_unreachable', {
          activeMembers: options.activeMembers,
          minimum: k,
          floor: MIN_RESPONSES_FLOOR,
        })
      : null;

  if (components === null || band === 'too_early')
    return {
      recommendation: 'evaluate_first',
      extendBy: EXTEND_BY_MEETINGS,
      reasons: [
        ...reasons,
        // With too few members to reach k, more meetings cannot help until k is lowered.
        unreachable ??
          reason('evaluate_first', {
            evaluatedMeetings: health.evaluatedMeetings,
            minimum: minEvaluated,
            extendBy: EXTEND_BY_MEETINGS,
          }),
      ],
    };
  if (unreachable) reasons.push(unreachable);
  const priorAdjustments = options.priorAdjustments ?? 0;
  if (band === 'off_track' && (index as number) < p.dissolveIndexBelow)
    return {
      recommendation: 'dissolve',
      reasons: [
        ...reasons,
        reason('index_critical', { index: index as number, threshold: p.dissolveIndexBelow }),
      ],
    };
  if (band === 'off_track' && priorAdjustments >= p.maxAdjustmentsBeforeDissolve)
    return {
      recommendation: 'dissolve',
      reasons: [
        ...reasons,
        reason('adjustments_exhausted', { priorAdjustments, threshold: p.maxAdjustmentsBeforeDissolve }),
      ],
    };

  if ((band === 'at_risk' || band === 'off_track') && reasons.every((r) => r.suggests.length === 0)) {
    const c = components;
    const weakest = HEALTH_COMPONENTS.reduce((w, x) => (c[x] < c[w] ? x : w));
    reasons.push(reason('weakest_component', { [weakest]: c[weakest] }, [COMPONENT_ADJUSTMENTS[weakest]]));
  }
  const { advised, considered } = rankChanges(reasons, components, p);
  if (advised.length > 0)
    return { recommendation: 'adjust', changes: advised.map((c) => c.area), advised, considered, reasons };
  return { recommendation: 'continue', reasons };
}
