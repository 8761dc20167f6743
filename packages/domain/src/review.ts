/**
 * The recommendation at a review (the end of a trial or a periodic review): continue, adjust (and
 * what) or dissolve, with reasons drawn from health and the network's signals. The seed: "afprøv
 * den på 3-4 møder … og herefter tage stilling til, om I skal vælge en anden form eller fortsætte
 * med den nuværende". The recommendation is advice; the decision is the network's
 * (lifecycle.ts's decide_review).
 */
import type { HealthComponent, HealthReport } from './health.js';
import { discloseMeasures, HEALTH_COMPONENTS, MIN_EVALUATED_MEETINGS } from './health.js';
import { AT_RISK_BENEFIT_MAX, type Signal, type SignalCode } from './signals.js';
import { type LocalizedText, text } from './text.js';

/** What an adjusting review can change: the seed's "hvor ofte, hvor længe og hvor", the agenda and the contract. */
export const ADJUSTMENT_AREAS = [
  'cadence',
  'time_slot',
  'venue',
  'length',
  'agenda_format',
  'charter',
] as const;
export type AdjustmentArea = (typeof ADJUSTMENT_AREAS)[number];

export const ADJUSTMENT_AREA_LABELS: Readonly<Record<AdjustmentArea, LocalizedText>> = {
  cadence: text('Mødehyppighed', 'Cadence'),
  time_slot: text('Mødetidspunkt', 'Time slot'),
  venue: text('Mødested eller form', 'Venue or format'),
  length: text('Mødets længde', 'Meeting length'),
  agenda_format: text('Dagsordenens form', 'Agenda format'),
  charter: text('Kontrakt og målsætning', 'Charter and purpose'),
};

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
 * Recommend dissolving an off-track network whose index is below 35: answers around 2.4 of 5 with
 * absences, a gap no single change to the model is likely to close.
 */
export const DISSOLVE_INDEX_BELOW = 35;

/**
 * Recommend dissolving an off-track network that has already been adjusted twice: the seed's "try
 * another form" has been done, twice, without lifting it.
 */
export const MAX_ADJUSTMENTS_BEFORE_DISSOLVE = 2;

/**
 * A share of members mostly giving from which the review names it (one in five): the seed's
 * members who "arbejder mere for andre end for sig selv … vil trække sig".
 */
export const MOSTLY_GIVING_REVIEW_SHARE = 0.2;

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
  'weakest_component',
  'low_response_rate',
  'evaluation_overdue',
  'index_critical',
  'adjustments_exhausted',
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
};

/** One reason of a recommendation: a code, its text, the numbers behind it and what it suggests. */
export interface ReviewReason {
  readonly code: ReviewReasonCode;
  readonly message: LocalizedText;
  readonly evidence: Readonly<Record<string, number>>;
  /** The adjustment areas this reason points to (empty when none). */
  readonly suggests: readonly AdjustmentArea[];
}

export type ReviewRecommendation =
  | { readonly recommendation: 'continue'; readonly reasons: readonly ReviewReason[] }
  | {
      readonly recommendation: 'adjust';
      /** What to change, in {@link ADJUSTMENT_AREAS} order, each once. */
      readonly changes: readonly AdjustmentArea[];
      readonly reasons: readonly ReviewReason[];
    }
  | { readonly recommendation: 'dissolve'; readonly reasons: readonly ReviewReason[] };

export interface ReviewOptions {
  /** Adjusting reviews already made (lifecycle.ts's `adjustmentsMade`); default 0. */
  readonly priorAdjustments?: number;
  /** The network's k: evidence never shows a count of members below it (default 5). */
  readonly minimumResponses?: number;
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
 *    {@link DISSOLVE_INDEX_BELOW} or {@link MAX_ADJUSTMENTS_BEFORE_DISSOLVE} adjustments were made.
 * 2. Adjust when any reason suggests a change (network signals of warning or critical severity;
 *    the worst-off member's benefit at most 2.5; a {@link MOSTLY_GIVING_REVIEW_SHARE} share of members
 *    mostly giving), or when the band is at risk or off track (then, if nothing else named a change,
 *    the weakest component's area).
 * 3. Otherwise continue (healthy or thriving, or too early with nothing to change).
 * Only network-audience signals are read: a member's own signal never reaches the review.
 */
export function recommendReview(
  health: HealthReport,
  signals: readonly Signal[],
  options: ReviewOptions = {},
): ReviewRecommendation {
  const reasons: ReviewReason[] = [];
  const { band, index, measures, components } = health;
  if (band === 'too_early')
    reasons.push(
      reason('too_early', { evaluatedMeetings: health.evaluatedMeetings, minimum: MIN_EVALUATED_MEETINGS }),
    );
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
  if (measures && measures.worstMemberBenefit <= AT_RISK_BENEFIT_MAX)
    reasons.push(
      reason(
        'benefit_uneven',
        { worstMemberBenefit: measures.worstMemberBenefit, meanBenefit: measures.meanBenefit },
        ['agenda_format'],
      ),
    );
  if (measures && measures.mostlyGivingShare >= MOSTLY_GIVING_REVIEW_SHARE) {
    // The share reveals how many members mostly give: shown only when that count is at least k.
    const shown = discloseMeasures(measures, options.minimumResponses).mostlyGivingShare;
    reasons.push(
      reason(
        'members_mostly_giving',
        shown === null
          ? { threshold: MOSTLY_GIVING_REVIEW_SHARE }
          : { mostlyGivingShare: shown, threshold: MOSTLY_GIVING_REVIEW_SHARE },
        ['agenda_format'],
      ),
    );
  }

  const priorAdjustments = options.priorAdjustments ?? 0;
  if (band === 'off_track' && (index as number) < DISSOLVE_INDEX_BELOW)
    return {
      recommendation: 'dissolve',
      reasons: [
        ...reasons,
        reason('index_critical', { index: index as number, threshold: DISSOLVE_INDEX_BELOW }),
      ],
    };
  if (band === 'off_track' && priorAdjustments >= MAX_ADJUSTMENTS_BEFORE_DISSOLVE)
    return {
      recommendation: 'dissolve',
      reasons: [
        ...reasons,
        reason('adjustments_exhausted', { priorAdjustments, threshold: MAX_ADJUSTMENTS_BEFORE_DISSOLVE }),
      ],
    };

  if ((band === 'at_risk' || band === 'off_track') && reasons.every((r) => r.suggests.length === 0)) {
    const c = components as NonNullable<typeof components>;
    const weakest = HEALTH_COMPONENTS.reduce((w, x) => (c[x] < c[w] ? x : w));
    reasons.push(reason('weakest_component', { [weakest]: c[weakest] }, [COMPONENT_ADJUSTMENTS[weakest]]));
  }
  const suggested = new Set(reasons.flatMap((r) => r.suggests));
  const changes = ADJUSTMENT_AREAS.filter((a) => suggested.has(a));
  if (changes.length > 0) return { recommendation: 'adjust', changes, reasons };
  return { recommendation: 'continue', reasons };
}
