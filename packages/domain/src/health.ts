/**
 * The network health index (0–100), its band, its components and its trend (product rules,
 * "Evaluation and health"). One implementation for the library and the service: the input is
 * plain data (held meetings with their attendance and evaluations) and nothing is read from a
 * clock. Each scoring step is a small pure function that clamps its result to 0–100.
 *
 * Confidentiality: evaluations count only through releases (confidentiality.ts's release rule):
 * after their window closed, pooled over at least k distinct members, whole. A round still open or
 * still pooling adds no numbers, so no component can be traced back to fewer than k people, and two
 * readings differ by whole releases only.
 */
import {
  type AttendanceRates,
  DEFAULT_ATTENDANCE_WINDOW,
  DEFAULT_CANCELLATION_NOTICE_HOURS,
  latestMeetings,
  type MeetingAttendance,
  networkAttendanceRates,
} from './attendance.js';
import {
  type EvaluationRound,
  minimumResponses,
  type Release,
  type ReleaseState,
  releaseRounds,
} from './confidentiality.js';
import { type Evaluation, mean, onePerMember, stddev } from './evaluation.js';
import { evaluationClosesAt } from './evaluation-window.js';
import { withDefaults } from './parameters.js';

/** A held meeting with what health reads: attendance and the evaluations given about it. */
export interface HeldMeeting extends MeetingAttendance {
  readonly evaluations: readonly Evaluation[];
  /** When its evaluation window closes (frozen when it opened). Default: start + 14 days. */
  readonly evaluationClosesAt?: Date;
  /** The k frozen when its window opened. Default: the options' k. */
  readonly minimumResponses?: number;
}

/** The six components, each a score 0–100. */
export const HEALTH_COMPONENTS = [
  'benefit',
  'energy',
  'purpose',
  'relations',
  'attendance',
  'reciprocity',
] as const;
export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];
export type HealthComponents = Readonly<Record<HealthComponent, number>>;

/**
 * Weights of the components in the index (they sum to 1). Rationale, after the seed's three
 * prerequisites of a well-functioning network:
 * - benefit 0.30: the first prerequisite, "Alle skal have noget ud af at være i netværket";
 * - attendance 0.20: the seed's one explicit off-track sign, "mange afbud";
 * - energy 0.15 and purpose 0.15: together the second prerequisite ("gå fra et møde med mere
 *   energi … enige om målsætningen");
 * - relations 0.10: "et netværk overlever kun, hvis relationerne fungerer", yet the purpose must
 *   be "mere end socialt", so relations alone must not carry a network;
 * - reciprocity 0.10: the seed's warning that members who "arbejder mere for andre end for sig
 *   selv" withdraw; it refines benefit, so it weighs less.
 */
export const HEALTH_WEIGHTS: HealthComponents = {
  benefit: 0.3,
  energy: 0.15,
  purpose: 0.15,
  relations: 0.1,
  attendance: 0.2,
  reciprocity: 0.1,
};

/**
 * The tuning of the health index: how the components weigh what they measure, and when the band
 * and the trend say something. Each field's doc gives its default's value and source;
 * {@link DEFAULT_HEALTH_PARAMETERS} holds them. The functions below take a partial object of a
 * caller's own values (`computeHealth`'s `healthParameters` option); what is left out keeps the
 * default.
 */
export interface HealthParameters {
  /**
   * Share of the benefit score given to the worst-off member's mean benefit (the rest goes to the
   * group's mean). Half: "Alle skal have noget ud af at være i netværket" — a network where one
   * member gets nothing is not healthy however happy the rest are (product rules: "the benefit
   * component weighs the worst-off member, not only the mean").
   */
  readonly benefitWorstOffWeight: number;
  /**
   * Purpose spread tolerated before it costs points, as a standard deviation on the 1–5 scale.
   * 0.5 is the natural noise of a group that agrees (answers spread over two neighbouring values).
   */
  readonly purposeSpreadTolerance: number;
  /**
   * Points lost per 1.0 of purpose spread above the tolerance. 40: a spread of 1.5 (the group split
   * between "fits" and "does not fit") costs 40 points, a whole band and more, since the seed wants
   * the group "enige om, hvad I vil med netværket".
   */
  readonly purposeSpreadPenalty: number;
  /**
   * Extra weight of a late cancellation (inside the charter's notice) on top of counting as a
   * cancellation: 0.5, so a late afbud costs 1.5 times an early one — the group could not plan.
   */
  readonly lateCancellationExtraWeight: number;
  /** Weight of a no-show relative to a cancellation: 2, since nobody knew and the group waited. */
  readonly noShowWeight: number;
  /**
   * Points lost per unit share of members who mostly give. 200: one member in four mostly giving
   * scores 50 (the seed: such members "vil trække sig" — a quarter of the group about to leave).
   */
  readonly reciprocityPenalty: number;
  /** Below 2 evaluated meetings the band is "too early" (product rules): one meeting is an anecdote. */
  readonly minEvaluatedMeetings: number;
  /**
   * Trend window: the per-meeting indices of the last 6 held meetings (one periodic review cycle).
   * `HealthOptions.trendWindow`, when given, takes its place.
   */
  readonly trendWindow: number;
  /**
   * Slope (index points per meeting, least squares) beyond which the trend is improving or
   * declining. 3 points a meeting moves the index a band (15 points) over 5 meetings.
   */
  readonly trendSlopeThreshold: number;
}

/** The health parameters of the method (each value's source is on its field, {@link HealthParameters}). */
export const DEFAULT_HEALTH_PARAMETERS: HealthParameters = Object.freeze({
  benefitWorstOffWeight: 0.5,
  purposeSpreadTolerance: 0.5,
  purposeSpreadPenalty: 40,
  lateCancellationExtraWeight: 0.5,
  noShowWeight: 2,
  reciprocityPenalty: 200,
  minEvaluatedMeetings: 2,
  trendWindow: 6,
  trendSlopeThreshold: 3,
});

/** Health parameters: the defaults with the caller's values in their place. */
export const healthParameters = (parameters: Partial<HealthParameters> = {}): HealthParameters =>
  withDefaults(DEFAULT_HEALTH_PARAMETERS, parameters);

/**
 * The attendance curve: weighted absence rate (see {@link weightedAbsenceRate}) → score, linear
 * between these points. Its shape follows the norms facilitators of peer groups work with:
 * - 0 → 100: everyone there.
 * - 0.10 → 80: one seat in ten empty with notice still meets the near-full attendance peer groups
 *   expect (a Vistage group's operating principles: "miss no more than 2 meetings in any 12 month
 *   period", about 83 % attendance; Vistage South Africa's member principles: "attend most
 *   meetings"). 80 is the health index's thriving floor.
 * - 0.25 → 50: the seed's off-track sign, "Er der mange afbud, kan det være tegn på, at I er på
 *   vildspor", at the 25 % the signals call many cancellations (`manyCancellationsRate`); 50 is
 *   the at-risk floor. Up to here the curve is the former straight line `100 − 200·w`.
 * - 0.50 → 20: half the seats empty, below the two-in-three attendance committees commonly
 *   require (e.g. OASIS technical committees: "attend two of every three consecutive meetings").
 * - 1 → 0: nobody came.
 * Past the seed's sign the curve flattens (120, then 40 points per unit), so a review can still
 * tell a network with a concerning level of afbud (28 % late afbud: about 30) from one where half
 * the group stays away (20 and less): the old straight line reached 0 at a third of late afbud.
 */
export const ATTENDANCE_CURVE: readonly (readonly [absence: number, score: number])[] = [
  [0, 100],
  [0.1, 80],
  [0.25, 50],
  [0.5, 20],
  [1, 0],
];

/**
 * Bands of the attendance score, for reading it as a facilitator would: from 80 strong (the
 * near-full attendance peer groups expect), from 50 watch (below the norm, above the seed's sign),
 * from 20 concerning (past the seed's sign), below 20 low (half the seats or more empty).
 */
export const ATTENDANCE_SCORE_BANDS = { strong: 80, watch: 50, concerning: 20 } as const;
export type AttendanceScoreBand = keyof typeof ATTENDANCE_SCORE_BANDS | 'low';

/** The band of an attendance score ({@link ATTENDANCE_SCORE_BANDS}). */
export function attendanceScoreBand(score: number): AttendanceScoreBand {
  if (score >= ATTENDANCE_SCORE_BANDS.strong) return 'strong';
  if (score >= ATTENDANCE_SCORE_BANDS.watch) return 'watch';
  if (score >= ATTENDANCE_SCORE_BANDS.concerning) return 'concerning';
  return 'low';
}

/**
 * A member "mostly gives" when their mean give/get balance is at most −1 (the "I mostly gave"
 * side of the scale, on average over the window).
 */
export const MOSTLY_GIVING_MAX_BALANCE = -1;

/** The bands of the index, best first; "too early" says there is not enough evidence yet. */
export const HEALTH_BANDS = ['thriving', 'healthy', 'at_risk', 'off_track', 'too_early'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];

/**
 * Band floors (the lowest index of each band). With full attendance and nobody mostly giving, a
 * group answering 4 ("agree") on every question scores 82.5: thriving from 80. Answers around 3.5
 * score about 74: healthy from 70. A group answering the neutral 3 everywhere scores 65 even with
 * full attendance — at risk, since a network that helps only "partly" is the one the seed warns
 * will lose its members. Below 50 answers lean negative or absence is heavy (neutral answers with
 * the seed's 25 % cancellations score 55): off track.
 */
export const HEALTH_BAND_FLOORS = { thriving: 80, healthy: 70, at_risk: 50 } as const;

/** Default health window: the last 3 held meetings, the seed's trial of "3-4 møder". */
export const DEFAULT_HEALTH_WINDOW = DEFAULT_ATTENDANCE_WINDOW;

/** Clamps to 0–100. */
export const clampScore = (value: number): number => Math.min(100, Math.max(0, value));

/** A 1–5 answer (or mean) as 0–100: `clamp(100 × (x − 1) / 4)`. */
export const likertScore = (value: number): number => clampScore((100 * (value - 1)) / 4);

/**
 * Benefit: `clamp((1 − w) × L(meanBenefit) + w × L(worstMemberBenefit))`, w =
 * {@link HealthParameters.benefitWorstOffWeight}, L = {@link likertScore}. Lowering anyone's
 * benefit never raises it.
 */
export const benefitScore = (
  meanBenefit: number,
  worstMemberBenefit: number,
  parameters: Partial<HealthParameters> = {},
): number => {
  const w = healthParameters(parameters).benefitWorstOffWeight;
  return clampScore((1 - w) * likertScore(meanBenefit) + w * likertScore(worstMemberBenefit));
};

/** Energy after the meeting: `L(meanEnergy)`. */
export const energyScore = (meanEnergy: number): number => likertScore(meanEnergy);

/**
 * Purpose alignment: `clamp(L(meanPurposeFit) − P × max(0, spread − T))`, P =
 * {@link HealthParameters.purposeSpreadPenalty}, T = {@link HealthParameters.purposeSpreadTolerance};
 * spread is the mean per-meeting standard deviation of purpose fit (the group no longer agrees
 * what it wants).
 */
export const purposeScore = (
  meanPurposeFit: number,
  spread: number,
  parameters: Partial<HealthParameters> = {},
): number => {
  const { purposeSpreadPenalty, purposeSpreadTolerance } = healthParameters(parameters);
  return clampScore(
    likertScore(meanPurposeFit) - purposeSpreadPenalty * Math.max(0, spread - purposeSpreadTolerance),
  );
};

/** Relations and trust: `L(meanRelations)`. */
export const relationsScore = (meanRelations: number): number => likertScore(meanRelations);

/**
 * Weighted absence rate: `w = c + e × l + n × s` with c the cancellation rate, l the late-
 * cancellation rate, s the no-show rate, e = {@link HealthParameters.lateCancellationExtraWeight},
 * n = {@link HealthParameters.noShowWeight}; may exceed 1 (no-shows weigh double).
 */
export const weightedAbsenceRate = (
  rates: Pick<AttendanceRates, 'cancellationRate' | 'lateCancellationRate' | 'noShowRate'>,
  parameters: Partial<HealthParameters> = {},
): number => {
  const { lateCancellationExtraWeight, noShowWeight } = healthParameters(parameters);
  return (
    rates.cancellationRate +
    lateCancellationExtraWeight * rates.lateCancellationRate +
    noShowWeight * rates.noShowRate
  );
};

/**
 * Attendance: the weighted absence rate read on {@link ATTENDANCE_CURVE} (linear between its
 * points; 0 from a weighted absence of 1 on). Never rises when absence rises.
 */
export function attendanceScore(
  rates: Pick<AttendanceRates, 'cancellationRate' | 'lateCancellationRate' | 'noShowRate'>,
  parameters: Partial<HealthParameters> = {},
): number {
  const w = weightedAbsenceRate(rates, parameters);
  for (let i = 1; i < ATTENDANCE_CURVE.length; i++) {
    const [x1, y1] = ATTENDANCE_CURVE[i] as readonly [number, number];
    if (w <= x1) {
      const [x0, y0] = ATTENDANCE_CURVE[i - 1] as readonly [number, number];
      return clampScore(y0 + ((Math.max(w, x0) - x0) * (y1 - y0)) / (x1 - x0));
    }
  }
  return 0;
}

/** Reciprocity: `clamp(100 − R × givingShare)`, R = {@link HealthParameters.reciprocityPenalty}. */
export const reciprocityScore = (givingShare: number, parameters: Partial<HealthParameters> = {}): number =>
  clampScore(100 - healthParameters(parameters).reciprocityPenalty * givingShare);

/** The index: `round(clamp(Σ weight × component))` with {@link HEALTH_WEIGHTS}. */
export const healthIndex = (components: HealthComponents): number =>
  Math.round(clampScore(HEALTH_COMPONENTS.reduce((sum, c) => sum + HEALTH_WEIGHTS[c] * components[c], 0)));

/**
 * The band of an index, or "too early" below {@link HealthParameters.minEvaluatedMeetings}
 * evaluated meetings.
 */
export function healthBand(
  index: number | null,
  evaluatedMeetings: number,
  parameters: Partial<HealthParameters> = {},
): HealthBand {
  if (index === null || evaluatedMeetings < healthParameters(parameters).minEvaluatedMeetings)
    return 'too_early';
  if (index >= HEALTH_BAND_FLOORS.thriving) return 'thriving';
  if (index >= HEALTH_BAND_FLOORS.healthy) return 'healthy';
  if (index >= HEALTH_BAND_FLOORS.at_risk) return 'at_risk';
  return 'off_track';
}

/** The measured numbers behind the evaluation components (aggregates over ≥ k answers each). */
export interface HealthMeasures {
  /** Answers counted (one per member per evaluated meeting). */
  readonly responses: number;
  /** Distinct members who answered. */
  readonly respondents: number;
  readonly meanBenefit: number;
  /** The lowest per-member mean benefit. */
  readonly worstMemberBenefit: number;
  readonly meanEnergy: number;
  readonly meanPurposeFit: number;
  /** Mean over evaluated meetings of the standard deviation of purpose fit. */
  readonly purposeSpread: number;
  readonly meanRelations: number;
  readonly meanGiveGet: number;
  /** Members whose mean give/get balance is at most {@link MOSTLY_GIVING_MAX_BALANCE}. */
  readonly mostlyGivingMembers: number;
  /** `mostlyGivingMembers / respondents`. */
  readonly mostlyGivingShare: number;
  /** The largest k the releases behind these measures were released under (set by computeHealth). */
  readonly minimum?: number;
}

export type TrendDirection = 'improving' | 'stable' | 'declining' | 'too_early';

/** The index of one release (usually one meeting), computed from that release alone. */
export interface MeetingIndex {
  /** The last meeting of the release. */
  readonly meetingId: string;
  readonly startsAt: Date;
  readonly index: number;
  /** Every meeting the release pooled (one when the meeting alone reached k). */
  readonly meetingIds: readonly string[];
}

export interface HealthTrend {
  readonly direction: TrendDirection;
  /** Least-squares slope of the per-meeting indices, in points per meeting (0 below 2 points). */
  readonly slope: number;
  readonly meetings: readonly MeetingIndex[];
}

/** A network's health over its window. Index and components are null without an evaluated meeting. */
export interface HealthReport {
  readonly band: HealthBand;
  readonly index: number | null;
  readonly components: HealthComponents | null;
  readonly measures: HealthMeasures | null;
  readonly attendance: AttendanceRates;
  /** Held meetings in the window. */
  readonly meetingsInWindow: number;
  /** Meetings whose answers count: those of the releases whose last meeting is in the window. */
  readonly evaluatedMeetings: number;
  readonly trend: HealthTrend;
}

export interface HealthOptions {
  /** Last N held meetings (default {@link DEFAULT_HEALTH_WINDOW}). */
  readonly window?: number;
  /** Per-meeting indices for the trend (default {@link HealthParameters.trendWindow}). */
  readonly trendWindow?: number;
  /** The caller's own tuning of the index (default {@link DEFAULT_HEALTH_PARAMETERS}). */
  readonly healthParameters?: Partial<HealthParameters>;
  /** The tenant's k (confidentiality.ts). */
  readonly minimumResponses?: number;
  /** The charter's cancellation notice in hours (default 48). */
  readonly noticeHours?: number;
  /**
   * The instant of the reading: only windows closed by then are released. Absent (library use on
   * history): every window counts as closed.
   */
  readonly now?: Date;
}

/** Each member's answers over a set of meetings, keyed by member id (sorted). */
export function answersByMember(evaluations: readonly Evaluation[]): ReadonlyMap<string, Evaluation[]> {
  const byMember = new Map<string, Evaluation[]>();
  for (const e of [...evaluations].sort((a, b) => a.memberId.localeCompare(b.memberId))) {
    const list = byMember.get(e.memberId) ?? [];
    list.push(e);
    byMember.set(e.memberId, list);
  }
  return byMember;
}

/** The evaluation rounds of held meetings: each meeting's answers, frozen k and window end. */
export function evaluationRoundsOf(meetings: readonly HeldMeeting[], k: number): EvaluationRound[] {
  return meetings.map((m) => ({
    meetingId: m.meetingId,
    startsAt: m.startsAt,
    closesAt: evaluationClosesAt(m),
    minimumResponses: m.minimumResponses ?? k,
    evaluations: m.evaluations,
  }));
}

/** Far enough ahead that every window has closed (a reading of history). */
const END_OF_TIME = new Date(8.64e15);

/** The release state of held meetings at `now` (every window closed when `now` is absent). */
export function releaseStateOf(meetings: readonly HeldMeeting[], options: HealthOptions = {}): ReleaseState {
  const k = minimumResponses(options.minimumResponses);
  return releaseRounds(evaluationRoundsOf(meetings, k), options.now ?? END_OF_TIME);
}

/** A release as one evaluated unit for the measures: its pooled answers under its last meeting. */
const releaseUnit = (release: Release, byId: ReadonlyMap<string, HeldMeeting>): HeldMeeting => {
  const last = byId.get(release.meetingIds.at(-1) as string) as HeldMeeting;
  return {
    meetingId: last.meetingId,
    startsAt: last.startsAt,
    attendance: [],
    evaluations: release.evaluations,
  };
};

/** The measures over evaluated units (releases, each pooled as one), or null when there is none. */
export function healthMeasures(evaluated: readonly HeldMeeting[]): HealthMeasures | null {
  if (evaluated.length === 0) return null;
  const answers = evaluated.flatMap((m) => onePerMember(m.evaluations));
  const members = [...answersByMember(answers).values()];
  const memberBenefit = members.map((list) => mean(list.map((e) => e.benefit)));
  const memberBalance = members.map((list) => mean(list.map((e) => e.giveGet)));
  const mostlyGivingMembers = memberBalance.filter((b) => b <= MOSTLY_GIVING_MAX_BALANCE).length;
  return {
    responses: answers.length,
    respondents: members.length,
    meanBenefit: mean(answers.map((e) => e.benefit)),
    worstMemberBenefit: Math.min(...memberBenefit),
    meanEnergy: mean(answers.map((e) => e.energy)),
    meanPurposeFit: mean(answers.map((e) => e.purposeFit)),
    purposeSpread: mean(evaluated.map((m) => stddev(onePerMember(m.evaluations).map((e) => e.purposeFit)))),
    meanRelations: mean(answers.map((e) => e.relations)),
    meanGiveGet: mean(answers.map((e) => e.giveGet)),
    mostlyGivingMembers,
    mostlyGivingShare: mostlyGivingMembers / members.length,
  };
}

/** The measures as shown to anyone: counts of members below k withheld (null). */
export interface DisclosedHealthMeasures
  extends Omit<HealthMeasures, 'mostlyGivingMembers' | 'mostlyGivingShare'> {
  readonly mostlyGivingMembers: number | null;
  readonly mostlyGivingShare: number | null;
}

/**
 * The measures for display: how many members mostly give is a count of people, so it (and the
 * share that reveals it) is shown only when 0 or at least k (the larger of `k` and the k its
 * releases were made under) (no count below k anywhere, the
 * release rule's promise). The reciprocity component still reflects it, as a score.
 */
export function discloseMeasures(measures: HealthMeasures, k?: number): DisclosedHealthMeasures {
  // The stricter of the k asked for and the k the results were released under: lowering a
  // network's k later never shows a count its releases were protected from.
  const threshold = Math.max(minimumResponses(k), measures.minimum ?? 0);
  const few = measures.mostlyGivingMembers > 0 && measures.mostlyGivingMembers < threshold;
  return {
    ...measures,
    mostlyGivingMembers: few ? null : measures.mostlyGivingMembers,
    mostlyGivingShare: few ? null : measures.mostlyGivingShare,
  };
}

/** The six component scores from the measures and the attendance rates. */
export function healthComponents(
  measures: HealthMeasures,
  attendance: AttendanceRates,
  parameters: Partial<HealthParameters> = {},
): HealthComponents {
  const p = healthParameters(parameters);
  return {
    benefit: benefitScore(measures.meanBenefit, measures.worstMemberBenefit, p),
    energy: energyScore(measures.meanEnergy),
    purpose: purposeScore(measures.meanPurposeFit, measures.purposeSpread, p),
    relations: relationsScore(measures.meanRelations),
    attendance: attendanceScore(attendance, p),
    reciprocity: reciprocityScore(measures.mostlyGivingShare, p),
  };
}

/**
 * Least-squares slope of `values` against their position: `Σ(i − ī)(v − v̄) / Σ(i − ī)²`; 0 for
 * fewer than 2 values.
 */
export function slope(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const xMean = (values.length - 1) / 2;
  const yMean = mean(values);
  let num = 0;
  let den = 0;
  values.forEach((v, i) => {
    num += (i - xMean) * (v - yMean);
    den += (i - xMean) ** 2;
  });
  return num / den;
}

/**
 * The trend direction of a slope: beyond ±{@link HealthParameters.trendSlopeThreshold}, or too
 * early below 2 points.
 */
export function trendDirection(
  points: number,
  slopeValue: number,
  parameters: Partial<HealthParameters> = {},
): TrendDirection {
  if (points < 2) return 'too_early';
  const threshold = healthParameters(parameters).trendSlopeThreshold;
  if (slopeValue >= threshold) return 'improving';
  if (slopeValue <= -threshold) return 'declining';
  return 'stable';
}

/**
 * A network's health. Pass its held meetings (any order). Takes the last `window` meetings; the
 * evaluation components read only the releases (confidentiality.ts's release rule, at
 * `options.now`) whose last meeting is in the window, each whole; attendance reads every meeting in
 * the window. The trend is the index of each such release among the last `trendWindow` meetings.
 * Never throws.
 */
export function computeHealth(meetings: readonly HeldMeeting[], options: HealthOptions = {}): HealthReport {
  const noticeHours = options.noticeHours ?? DEFAULT_CANCELLATION_NOTICE_HOURS;
  const p = healthParameters(options.healthParameters);
  const byId = new Map(meetings.map((m) => [m.meetingId, m]));
  const { releases } = releaseStateOf(meetings, options);
  /** The releases whose last meeting is among `among` (whole releases only, never a part of one). */
  const releasesEndingIn = (among: readonly HeldMeeting[]) => {
    const ids = new Set(among.map((m) => m.meetingId));
    return releases.filter((r) => ids.has(r.meetingIds.at(-1) as string));
  };
  const window = latestMeetings(meetings, options.window ?? DEFAULT_HEALTH_WINDOW);
  const evaluated = releasesEndingIn(window);
  const attendance = networkAttendanceRates(window, { window: window.length, noticeHours });
  const pooled = healthMeasures(evaluated.map((r) => releaseUnit(r, byId)));
  const measures = pooled && { ...pooled, minimum: Math.max(...evaluated.map((r) => r.minimum)) };
  const components = measures ? healthComponents(measures, attendance, p) : null;
  const index = components ? healthIndex(components) : null;
  const evaluatedMeetings = evaluated.reduce((n, r) => n + r.meetingIds.length, 0);

  const trendMeetings = releasesEndingIn(latestMeetings(meetings, options.trendWindow ?? p.trendWindow)).map(
    (r) => {
      const unit = releaseUnit(r, byId);
      const held = r.meetingIds.map((id) => byId.get(id) as HeldMeeting);
      return {
        meetingId: unit.meetingId,
        startsAt: unit.startsAt,
        meetingIds: r.meetingIds,
        index: healthIndex(
          healthComponents(
            healthMeasures([unit]) as HealthMeasures,
            networkAttendanceRates(held, { window: held.length, noticeHours }),
            p,
          ),
        ),
      };
    },
  );
  const trendSlope = slope(trendMeetings.map((m) => m.index));
  return {
    band: healthBand(index, evaluatedMeetings, p),
    index,
    components,
    measures,
    attendance,
    meetingsInWindow: window.length,
    evaluatedMeetings,
    trend: {
      direction: trendDirection(trendMeetings.length, trendSlope, p),
      slope: trendSlope,
      meetings: trendMeetings,
    },
  };
}
