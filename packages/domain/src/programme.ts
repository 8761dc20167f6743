/**
 * The programme view for HR: "are our networks working?" over all of a tenant's networks, with
 * filters and a monthly series, k-anonymous like everything else (docs/programme.md).
 *
 * The anchor is the three-way "monitor health" of peer-group platforms (Together's On track /
 * Needs check-in / Too early), read from the health band; the view goes beyond it with the reasons
 * (the network signals and declining trends counted over networks), the reviews due and decided,
 * formation runs, and attendance and cancellation rates per month.
 *
 * The rule (`PROGRAMME_RELEASE_RULE`): network facts (status, band, signals, reviews, runs) are not
 * private — the admin reads each network's own — so counts of networks are always shown. A figure
 * derived from members (attendance and cancellation rates, the mean health index) is shown only
 * when it covers at least k distinct members, and, in a filtered view, when every coarser view (the
 * same filter with any of its attributes dropped, down to no filter) covers either the same members
 * or at least k more: otherwise the coarser figure minus this one would describe the few left out
 * (Supermood's "indirect protection", as in `releaseAggregate`). k is the largest `minResponses`
 * among the tenant's networks (Culture Amp's reporting-group minimum, default 5), so no filter can
 * lower it. Pure: `now` is an argument.
 */
import { type Attendance, DEFAULT_CANCELLATION_NOTICE_HOURS, isLateCancellation } from './attendance.js';
import { DEFAULT_MIN_RESPONSES } from './confidentiality.js';
import { HEALTH_BANDS, type HealthBand, type TrendDirection } from './health.js';
import {
  LIFECYCLE_STATUSES,
  type LifecycleStatus,
  REVIEW_DECISIONS,
  type ReviewDecision,
} from './lifecycle.js';
import { isRecord, issue, unstorableTextIssue } from './parse.js';
import { err, ok, type Result } from './result.js';
import {
  REVIEW_REASON_MESSAGES,
  REVIEW_RECOMMENDATIONS,
  type ReviewReasonCode,
  type ReviewRecommendationKind,
} from './review.js';
import { SIGNAL_TITLES, type SignalAudience, type SignalCode } from './signals.js';
import { isStorableText, type LocalizedText, text } from './text.js';
import type { ValidationFailure, ValidationIssue } from './validation.js';

// ---------------------------------------------------------------------------------------------
// Filter

/** The attributes a programme view can be filtered by (few and coarse: see the remainder rule). */
export const PROGRAMME_FILTER_ATTRIBUTES = ['region', 'sector', 'cohort'] as const;
export type ProgrammeFilterAttribute = (typeof PROGRAMME_FILTER_ATTRIBUTES)[number];

/** A calendar month, `YYYY-MM`. */
export type Month = string;

/** What a programme view shows: networks matching every attribute given, months `from`–`to`. */
export interface ProgrammeFilter {
  readonly region?: string;
  readonly sector?: string;
  readonly cohort?: string;
  readonly from: Month;
  readonly to: Month;
}

/**
 * Months shown when none are asked for: the last 12, the current one included. Source: a year is
 * the period HR reports a programme over (annual people reviews), and at the seed's cadence of a
 * meeting every one to two months it holds one or two periodic reviews (`DEFAULT_REVIEW_EVERY`).
 */
export const PROGRAMME_DEFAULT_MONTHS = 12;

/** The longest series one request may ask for (ours: three years, so a response stays small). */
export const PROGRAMME_MAX_MONTHS = 36;

/** The longest filter value (ours: region and sector names are short labels). */
export const PROGRAMME_FILTER_VALUE_MAX = 200;

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

const monthIndex = (month: Month): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthAt = (index: number): Month =>
  `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar month of an instant in a time zone (IANA name), `YYYY-MM`. */
export function monthOf(instant: Date, timeZone = 'UTC'): Month {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}`;
}

/** The months from `from` to `to`, both included, in order. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthAt(i));
  return out;
}

/**
 * Validates a programme filter (`region`, `sector`, `cohort`: non-empty texts; `from`, `to`:
 * `YYYY-MM`). Without `to`, the current month (UTC) at `now`; without `from`, the
 * {@link PROGRAMME_DEFAULT_MONTHS} months up to `to`. Refused: `from` after `to`, and more than
 * {@link PROGRAMME_MAX_MONTHS} months.
 */
export function parseProgrammeFilter(input: unknown, now: Date): Result<ProgrammeFilter, ValidationFailure> {
  const issues: ValidationIssue[] = [];
  const record = isRecord(input) ? input : {};
  if (!isRecord(input)) issues.push(issue('', 'wrong_type', 'object'));
  const known: readonly string[] = [...PROGRAMME_FILTER_ATTRIBUTES, 'from', 'to'];
  for (const key of Object.keys(record))
    if (!known.includes(key)) issues.push(issue(key, 'unknown_property'));

  const attributes: Partial<Record<ProgrammeFilterAttribute, string>> = {};
  for (const key of PROGRAMME_FILTER_ATTRIBUTES) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') issues.push(issue(key, 'wrong_type', 'string'));
    else if (value.trim() === '') issues.push(issue(key, 'too_short', '1 character'));
    else if (value.length > PROGRAMME_FILTER_VALUE_MAX)
      issues.push(issue(key, 'too_long', `${PROGRAMME_FILTER_VALUE_MAX} characters`));
    else if (!isStorableText(value)) issues.push(unstorableTextIssue(key));
    else attributes[key] = value.trim();
  }
  const month = (key: 'from' | 'to'): Month | undefined => {
    const value = record[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && MONTH_PATTERN.test(value)) return value;
    issues.push(issue(key, 'invalid_format', 'a month, YYYY-MM'));
    return undefined;
  };
  const to = month('to') ?? monthOf(now);
  const from = month('from') ?? monthAt(monthIndex(to) - (PROGRAMME_DEFAULT_MONTHS - 1));
  if (issues.length === 0 && monthIndex(from) > monthIndex(to))
    issues.push(issue('from', 'too_large', `the month "to" (${to})`));
  else if (issues.length === 0 && monthIndex(to) - monthIndex(from) + 1 > PROGRAMME_MAX_MONTHS)
    issues.push(issue('to', 'too_large', `${PROGRAMME_MAX_MONTHS} months from "from"`));
  if (issues.length > 0) return err({ code: 'validation_failed', issues });
  return ok({ ...attributes, from, to });
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** One network as the programme reads it: facts the service already has. */
export interface ProgrammeNetwork {
  readonly id: string;
  readonly status: LifecycleStatus;
  /** The network's k. */
  readonly minResponses: number;
  /** The network's time zone: its meetings and reviews fall in the month they do there. */
  readonly timeZone: string;
  /** The charter's cancellation notice in hours (default 48). */
  readonly noticeHours?: number;
  /** The values the network matches for each filter attribute (e.g. its members' regions). */
  readonly attributes: Readonly<Record<ProgrammeFilterAttribute, readonly string[]>>;
  /** Its current members (whom its health index describes). */
  readonly memberIds: readonly string[];
  /** The domain's assessment (`assessNetwork`): band, index, trend and the signals. */
  readonly assessment: {
    readonly health: {
      readonly band: HealthBand;
      readonly index: number | null;
      readonly trend: { readonly direction: TrendDirection };
    };
    readonly signals: readonly { readonly code: SignalCode; readonly audience: SignalAudience }[];
  };
  /** Its held meetings with their attendance. */
  readonly heldMeetings: readonly {
    readonly startsAt: Date;
    readonly attendance: readonly Attendance[];
  }[];
  /** The review due now (status review_due), with the recommendation's kind and reason codes. */
  readonly reviewDue: {
    readonly kind: 'trial_end' | 'periodic';
    readonly recommendation: ReviewRecommendationKind;
    readonly reasons: readonly ReviewReasonCode[];
  } | null;
  /** Its decided reviews. */
  readonly decidedReviews: readonly { readonly decision: ReviewDecision; readonly decidedAt: Date }[];
}

export const PROGRAMME_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ProgrammeFormationRunStatus = (typeof PROGRAMME_RUN_STATUSES)[number];

/** One formation run: when, how it ended, and the networks created from its proposals. */
export interface ProgrammeFormationRun {
  readonly id: string;
  readonly status: ProgrammeFormationRunStatus;
  readonly createdAt: Date;
  readonly acceptedNetworkIds: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Output

/** Together's three monitor states, each a set of health bands. */
export const MONITOR_STATES = ['on_track', 'needs_check_in', 'too_early'] as const;
export type MonitorState = (typeof MONITOR_STATES)[number];

/**
 * The health bands each monitor state reads (Together's "monitor health": On track, Needs
 * check-in, Too early): on track = thriving or healthy, needs check-in = at risk or off track.
 */
export const MONITOR_BANDS: Readonly<Record<MonitorState, readonly HealthBand[]>> = {
  on_track: ['thriving', 'healthy'],
  needs_check_in: ['at_risk', 'off_track'],
  too_early: ['too_early'],
};

export const MONITOR_LABELS: Readonly<Record<MonitorState, LocalizedText>> = {
  on_track: text('På sporet', 'On track'),
  needs_check_in: text('Behøver opfølgning', 'Needs check-in'),
  too_early: text('For tidligt', 'Too early'),
};

/**
 * The statuses whose health the programme reads: networks that have started and not ended.
 * A forming network has held nothing yet; a dissolved one is over (both are counted by status).
 */
export const PROGRAMME_ASSESSED_STATUSES: readonly LifecycleStatus[] = [
  'trial',
  'review_due',
  'active',
  'paused',
];

/** A reason in the roll-up: a network signal, or a declining health trend. */
export type MonitorReasonCode = SignalCode | 'declining_trend';

const DECLINING_TITLE = text('Faldende sundhed', 'Declining health');

/** Why a member-derived figure is withheld: too few members in it, or too few left out of it. */
export type ProgrammeWithholdReason = 'too_few_members' | 'remainder_too_small';

/** A withheld figure: why, and the minimum; never a number or a count. */
export interface ProgrammeWithheld {
  readonly released: false;
  readonly reason: ProgrammeWithholdReason;
  readonly minimum: number;
}

export type ProgrammeDisclosure<T> = { readonly released: true; readonly value: T } | ProgrammeWithheld;

/** A reason counted over networks. */
export interface CountedReason<C extends string> {
  readonly code: C;
  /** Networks the reason applies to. */
  readonly networks: number;
  readonly title: LocalizedText;
}

/** Attendance pooled over networks' held meetings. */
export interface PooledAttendance {
  /** Distinct members expected (at least k). */
  readonly members: number;
  readonly meetings: number;
  /** Expected attendances: one per member per meeting. */
  readonly expected: number;
  /** attended / expected. */
  readonly attendanceRate: number;
  /** cancellations (afbud) / expected. */
  readonly cancellationRate: number;
  /** Cancellations inside the charter's notice / expected. */
  readonly lateCancellationRate: number;
  readonly noShowRate: number;
}

export interface ProgrammeMonth {
  readonly month: Month;
  readonly meetingsHeld: number;
  /** Null when no meeting was held; else released or withheld. */
  readonly attendance: ProgrammeDisclosure<PooledAttendance> | null;
  readonly reviewsDecided: number;
  readonly formationRuns: number;
}

export interface ProgrammeOverview {
  readonly filter: ProgrammeFilter;
  /** k: the least number of members a member-derived figure covers. */
  readonly minimum: number;
  readonly networks: {
    readonly total: number;
    readonly byStatus: Readonly<Record<LifecycleStatus, number>>;
  };
  readonly health: {
    /** Networks whose health is read (statuses {@link PROGRAMME_ASSESSED_STATUSES}). */
    readonly assessed: number;
    readonly byBand: Readonly<Record<HealthBand, number>>;
    /** The mean health index of the assessed networks that have one. */
    readonly index: ProgrammeDisclosure<{ readonly mean: number; readonly networks: number }> | null;
  };
  readonly monitor: Readonly<
    Record<
      MonitorState,
      { readonly networks: number; readonly reasons: readonly CountedReason<MonitorReasonCode>[] }
    >
  >;
  readonly reviews: {
    readonly due: {
      readonly total: number;
      readonly byKind: { readonly trial_end: number; readonly periodic: number };
      readonly byRecommendation: Readonly<Record<ReviewRecommendationKind, number>>;
      readonly reasons: readonly CountedReason<ReviewReasonCode>[];
    };
    /** Decided in the months of the filter. */
    readonly decided: {
      readonly total: number;
      readonly byDecision: Readonly<Record<ReviewDecision, number>>;
    };
  };
  /** Runs created in the months of the filter (in a filtered view: those that formed a network in it). */
  readonly formationRuns: {
    readonly total: number;
    readonly byStatus: Readonly<Record<ProgrammeFormationRunStatus, number>>;
    /** Networks in the view created from the runs' proposals. */
    readonly networksFormed: number;
  };
  /**
   * Attendance pooled over the months whose figure is released (`months` says how many); null
   * without a held meeting; withheld (for the first withheld month's reason) when none is released.
   */
  readonly attendance: ProgrammeDisclosure<PooledAttendance & { readonly months: number }> | null;
  readonly months: readonly ProgrammeMonth[];
}

// ---------------------------------------------------------------------------------------------
// The overview

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

const matches = (
  network: ProgrammeNetwork,
  filter: Partial<ProgrammeFilter>,
  attributes: readonly ProgrammeFilterAttribute[],
) => attributes.every((a) => network.attributes[a].includes(filter[a]!));

/** Every proper subset of the attributes (the coarser views a filtered view could be subtracted from). */
function coarserViews(attributes: readonly ProgrammeFilterAttribute[]): ProgrammeFilterAttribute[][] {
  const out: ProgrammeFilterAttribute[][] = [];
  for (let mask = 0; mask < (1 << attributes.length) - 1; mask++)
    out.push(attributes.filter((_, i) => (mask & (1 << i)) !== 0));
  return out;
}

/**
 * The release rule for a member-derived figure: `members` of this view, `coarser` the members the
 * same figure has in each coarser view (a superset). Withheld under k members, or when a coarser
 * view has between 1 and k − 1 members more.
 */
export function releaseProgrammeFigure<T>(
  members: ReadonlySet<string>,
  coarser: readonly ReadonlySet<string>[],
  k: number,
  compute: () => T,
): ProgrammeDisclosure<T> {
  if (members.size < k) return { released: false, reason: 'too_few_members', minimum: k };
  for (const parent of coarser) {
    let leftOut = 0;
    for (const m of parent) if (!members.has(m)) leftOut++;
    if (leftOut > 0 && leftOut < k) return { released: false, reason: 'remainder_too_small', minimum: k };
  }
  return { released: true, value: compute() };
}

function countReasons<C extends string>(
  codesPerNetwork: readonly (readonly C[])[],
  title: (code: C) => LocalizedText,
): CountedReason<C>[] {
  const counts = new Map<C, number>();
  for (const codes of codesPerNetwork)
    for (const c of new Set(codes)) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([code, networks]) => ({ code, networks, title: title(code) }));
}

/** The monitor reasons of one network: its network signals, and a declining trend. */
const monitorReasons = (n: ProgrammeNetwork): MonitorReasonCode[] => [
  ...n.assessment.signals.filter((s) => s.audience.kind === 'network').map((s) => s.code),
  ...(n.assessment.health.trend.direction === 'declining' ? (['declining_trend'] as const) : []),
];

interface MonthTally {
  members: Set<string>;
  meetings: number;
  expected: number;
  attended: number;
  cancellations: number;
  late: number;
  noShows: number;
}

const emptyTally = (): MonthTally => ({
  members: new Set(),
  meetings: 0,
  expected: 0,
  attended: 0,
  cancellations: 0,
  late: 0,
  noShows: 0,
});

/** Each network's held meetings tallied by month (in the network's time zone). */
function tallyByMonth(network: ProgrammeNetwork): Map<Month, MonthTally> {
  const out = new Map<Month, MonthTally>();
  const notice = network.noticeHours ?? DEFAULT_CANCELLATION_NOTICE_HOURS;
  for (const meeting of network.heldMeetings) {
    const month = monthOf(meeting.startsAt, network.timeZone);
    const tally = out.get(month) ?? emptyTally();
    out.set(month, tally);
    tally.meetings++;
    for (const a of meeting.attendance) {
      tally.members.add(a.memberId);
      tally.expected++;
      if (a.status === 'attended') tally.attended++;
      else if (a.status === 'no_show') tally.noShows++;
      else if (a.status === 'cancelled') {
        tally.cancellations++;
        if (isLateCancellation(a.cancelledAt, meeting.startsAt, notice)) tally.late++;
      }
    }
  }
  return out;
}

function pool(tallies: readonly MonthTally[]): MonthTally {
  const out = emptyTally();
  for (const t of tallies) {
    for (const m of t.members) out.members.add(m);
    out.meetings += t.meetings;
    out.expected += t.expected;
    out.attended += t.attended;
    out.cancellations += t.cancellations;
    out.late += t.late;
    out.noShows += t.noShows;
  }
  return out;
}

/** A share to three decimals (`of` is at least k here: a released figure covers k members' attendances). */
const rate = (count: number, of: number): number => Math.round((count / of) * 1000) / 1000;

const pooledAttendance = (t: MonthTally): PooledAttendance => ({
  members: t.members.size,
  meetings: t.meetings,
  expected: t.expected,
  attendanceRate: rate(t.attended, t.expected),
  cancellationRate: rate(t.cancellations, t.expected),
  lateCancellationRate: rate(t.late, t.expected),
  noShowRate: rate(t.noShows, t.expected),
});

/**
 * The programme overview of `networks` (all of the tenant's: the filter is applied here, and the
 * coarser views the remainder rule compares with need the rest) and `formationRuns`, for `filter`.
 */
export function programmeOverview(
  networks: readonly ProgrammeNetwork[],
  formationRuns: readonly ProgrammeFormationRun[],
  filter: ProgrammeFilter,
): ProgrammeOverview {
  const k = networks.reduce((max, n) => Math.max(max, n.minResponses), 0) || DEFAULT_MIN_RESPONSES;
  const given = PROGRAMME_FILTER_ATTRIBUTES.filter((a) => filter[a] !== undefined);
  const view = networks.filter((n) => matches(n, filter, given));
  const coarser = coarserViews(given).map((attrs) => networks.filter((n) => matches(n, filter, attrs)));
  const months = monthsBetween(filter.from, filter.to);
  const inPeriod = (month: Month) =>
    monthIndex(month) >= monthIndex(filter.from) && monthIndex(month) <= monthIndex(filter.to);

  // Status and health: facts about networks, shown as counts.
  const byStatus = zeros(LIFECYCLE_STATUSES);
  for (const n of view) byStatus[n.status]++;
  const assessed = view.filter((n) => PROGRAMME_ASSESSED_STATUSES.includes(n.status));
  const byBand = zeros(HEALTH_BANDS);
  for (const n of assessed) byBand[n.assessment.health.band]++;
  const monitor = Object.fromEntries(
    MONITOR_STATES.map((state) => {
      const group = assessed.filter((n) => MONITOR_BANDS[state].includes(n.assessment.health.band));
      const reasons = countReasons(group.map(monitorReasons), (c) =>
        c === 'declining_trend' ? DECLINING_TITLE : SIGNAL_TITLES[c],
      );
      return [state, { networks: group.length, reasons }];
    }),
  ) as unknown as ProgrammeOverview['monitor'];

  // The mean index: member-derived, so under the release rule.
  const indexed = (ns: readonly ProgrammeNetwork[]) =>
    ns.filter((n) => PROGRAMME_ASSESSED_STATUSES.includes(n.status) && n.assessment.health.index !== null);
  const membersOf = (ns: readonly ProgrammeNetwork[]) => new Set(ns.flatMap((n) => n.memberIds));
  const withIndex = indexed(view);
  const index =
    withIndex.length === 0
      ? null
      : releaseProgrammeFigure(
          membersOf(withIndex),
          coarser.map((ns) => membersOf(indexed(ns))),
          k,
          () => ({
            mean:
              Math.round(
                (withIndex.reduce((s, n) => s + n.assessment.health.index!, 0) / withIndex.length) * 10,
              ) / 10,
            networks: withIndex.length,
          }),
        );

  // Reviews.
  const due = view.filter((n) => n.reviewDue !== null).map((n) => n.reviewDue!);
  const byKind = { trial_end: 0, periodic: 0 };
  const byRecommendation = zeros(REVIEW_RECOMMENDATIONS);
  for (const r of due) {
    byKind[r.kind]++;
    byRecommendation[r.recommendation]++;
  }
  const decidedByMonth = new Map<Month, number>();
  const byDecision = zeros(REVIEW_DECISIONS);
  for (const n of view)
    for (const r of n.decidedReviews) {
      const month = monthOf(r.decidedAt, n.timeZone);
      if (!inPeriod(month)) continue;
      byDecision[r.decision]++;
      decidedByMonth.set(month, (decidedByMonth.get(month) ?? 0) + 1);
    }

  // Formation runs: in a filtered view, those that formed a network in it.
  const viewIds = new Set(view.map((n) => n.id));
  const runs = formationRuns.filter(
    (r) =>
      inPeriod(monthOf(r.createdAt)) &&
      (given.length === 0 || r.acceptedNetworkIds.some((id) => viewIds.has(id))),
  );
  const runsByStatus = zeros(PROGRAMME_RUN_STATUSES);
  const runsByMonth = new Map<Month, number>();
  for (const r of runs) {
    runsByStatus[r.status]++;
    const month = monthOf(r.createdAt);
    runsByMonth.set(month, (runsByMonth.get(month) ?? 0) + 1);
  }

  // Attendance per month: member-derived, under the release rule.
  const tallies = new Map(networks.map((n) => [n.id, tallyByMonth(n)]));
  const monthTally = (ns: readonly ProgrammeNetwork[], month: Month) =>
    pool(ns.flatMap((n) => tallies.get(n.id)!.get(month) ?? []));
  const released: MonthTally[] = [];
  const series = months.map((month): ProgrammeMonth => {
    const tally = monthTally(view, month);
    const attendance =
      tally.meetings === 0
        ? null
        : releaseProgrammeFigure(
            tally.members,
            coarser.map((ns) => monthTally(ns, month).members),
            k,
            () => pooledAttendance(tally),
          );
    if (attendance?.released) released.push(tally);
    return {
      month,
      meetingsHeld: tally.meetings,
      attendance,
      reviewsDecided: decidedByMonth.get(month) ?? 0,
      formationRuns: runsByMonth.get(month) ?? 0,
    };
  });
  const total = pool(released);
  const withheld = series.map((m) => m.attendance).find((a): a is ProgrammeWithheld => a?.released === false);

  return {
    filter,
    minimum: k,
    networks: { total: view.length, byStatus },
    health: { assessed: assessed.length, byBand, index },
    monitor,
    reviews: {
      due: {
        total: due.length,
        byKind,
        byRecommendation,
        reasons: countReasons(
          due.map((r) => r.reasons),
          (c) => REVIEW_REASON_MESSAGES[c],
        ),
      },
      decided: { total: Object.values(byDecision).reduce((a, b) => a + b, 0), byDecision },
    },
    formationRuns: {
      total: runs.length,
      byStatus: runsByStatus,
      networksFormed: runs.flatMap((r) => r.acceptedNetworkIds).filter((id) => viewIds.has(id)).length,
    },
    attendance:
      released.length > 0
        ? { released: true, value: { ...pooledAttendance(total), months: released.length } }
        : (withheld ?? null),
    months: series,
  };
}
