/**
 * The confidential room (fortroligt rum) as rules: who may read what (the read policy), and when an
 * aggregate of evaluations may be shown (the release rule). An aggregate is shown only once, after
 * its evaluation window closed, over at least k members; below k nothing carries a number, not even
 * the count of answers. A member's own answers and comment are readable by that member only, in
 * their own session, so comments are never aggregated. docs/confidentiality.md states the model.
 */
import {
  aggregateEvaluations,
  type Evaluation,
  type MeetingEvaluationAggregate,
  onePerMember,
} from './evaluation.js';
import { err, ok, type Result } from './result.js';
import type { ValidationIssue } from './validation.js';

// ---------------------------------------------------------------------------------------------
// Who may read what

/**
 * The parties of the trust model. The operator runs the service and holds its database; the
 * tenant admin is the HR platform (its API key); the facilitator leads one network's meetings;
 * members belong to a network; a former member has left it.
 */
export const CONFIDENTIALITY_ROLES = [
  'operator',
  'tenant_admin',
  'acting_token',
  'facilitator',
  'member',
  'former_member',
] as const;
export type ConfidentialityRole = (typeof CONFIDENTIALITY_ROLES)[number];

/**
 * What can be read. `own_*` is the reader's own private data; `others_private` is another member's
 * private data (answers, comment, member signals, exclusions, consents).
 */
export const READABLE_DATA = [
  'own_answers',
  'own_signals',
  'own_exclusions_and_consents',
  'others_private',
  'consenting_member_signals',
  'released_aggregates',
  'network_signals',
  'member_view',
  'full_profiles',
  'who_acted_for_me',
] as const;
export type ReadableData = (typeof READABLE_DATA)[number];

/**
 * How a party may read one kind of data: `yes`; `no`; `until_left` (what happened while they were a
 * member, nothing after); `with_consent` (the tenant's policy AND the member's consent);
 * `database` (the operator is not a caller of the API, but holds the database: see
 * docs/confidentiality.md for what that means and how to reduce it).
 */
export type ReadAccess = 'yes' | 'no' | 'until_left' | 'with_consent' | 'database';

/**
 * The read policy, one row per party. `acting_token` is a member token an admin minted: it acts
 * for the member (answer, afbud, accept the charter, consent) and reads only what the member's
 * network may read, never the member's private data, since whoever minted it could read it too.
 * Private data is read only by `member` in a session they hold (an emailed sign-in link).
 */
export const READ_POLICY: Readonly<Record<ConfidentialityRole, Readonly<Record<ReadableData, ReadAccess>>>> =
  {
    operator: {
      own_answers: 'database',
      own_signals: 'database',
      own_exclusions_and_consents: 'database',
      others_private: 'database',
      consenting_member_signals: 'database',
      released_aggregates: 'database',
      network_signals: 'database',
      member_view: 'database',
      full_profiles: 'database',
      who_acted_for_me: 'database',
    },
    tenant_admin: {
      own_answers: 'no',
      own_signals: 'no',
      own_exclusions_and_consents: 'no',
      others_private: 'no',
      consenting_member_signals: 'no',
      released_aggregates: 'yes',
      network_signals: 'yes',
      member_view: 'yes',
      full_profiles: 'yes',
      who_acted_for_me: 'no',
    },
    acting_token: {
      own_answers: 'no',
      own_signals: 'no',
      own_exclusions_and_consents: 'no',
      others_private: 'no',
      consenting_member_signals: 'no',
      released_aggregates: 'until_left',
      network_signals: 'until_left',
      member_view: 'until_left',
      full_profiles: 'no',
      who_acted_for_me: 'no',
    },
    facilitator: {
      own_answers: 'yes',
      own_signals: 'yes',
      own_exclusions_and_consents: 'yes',
      others_private: 'no',
      consenting_member_signals: 'with_consent',
      released_aggregates: 'yes',
      network_signals: 'yes',
      member_view: 'yes',
      full_profiles: 'no',
      who_acted_for_me: 'yes',
    },
    member: {
      own_answers: 'yes',
      own_signals: 'yes',
      own_exclusions_and_consents: 'yes',
      others_private: 'no',
      consenting_member_signals: 'no',
      released_aggregates: 'yes',
      network_signals: 'yes',
      member_view: 'yes',
      full_profiles: 'no',
      who_acted_for_me: 'yes',
    },
    former_member: {
      own_answers: 'yes',
      own_signals: 'yes',
      own_exclusions_and_consents: 'yes',
      others_private: 'no',
      consenting_member_signals: 'no',
      released_aggregates: 'until_left',
      network_signals: 'until_left',
      member_view: 'until_left',
      full_profiles: 'no',
      who_acted_for_me: 'yes',
    },
  };

/** Whether `role` may read `data` at all (`until_left` and `with_consent` count as yes, with their condition). */
export const mayRead = (role: ConfidentialityRole, data: ReadableData): boolean =>
  READ_POLICY[role][data] !== 'no';

/**
 * Default minimum number of answers before an aggregate is released. 5 is the default of the
 * engagement-survey tools HR platforms already use: Culture Amp (the "reporting group minimum"),
 * Supermood (hides teams with fewer than 5 respondents), Humaans (anonymity threshold, default 5)
 * and 15Five (confidentiality threshold, default 5).
 */
export const DEFAULT_MIN_RESPONSES = 5;

/**
 * The lowest k a tenant may configure. 3 is the lowest value Humaans ("the minimum you can set is
 * 3") and 15Five (lowerable to 3 or 4) allow; Supermood does not go below 5 and Culture Amp leaves
 * the minimum to the organisation. Below 3, two colleagues could subtract their own answers from a
 * mean and read the third's.
 */
export const MIN_RESPONSES_FLOOR = 3;

/**
 * The highest k a network may set. 14 is the largest network size the method allows (the size
 * bounds' upper default, after Vistage's 12–14): a larger k would withhold everything.
 */
export const MAX_MIN_RESPONSES = 14;

/**
 * Validates a network's k: a whole number from {@link MIN_RESPONSES_FLOOR} to
 * {@link MAX_MIN_RESPONSES}. Below the floor is refused (never silently raised), naming the floor.
 */
export function parseMinResponses(value: unknown, path = 'minResponses'): Result<number, ValidationIssue> {
  if (typeof value !== 'number' || !Number.isInteger(value))
    return err({
      path,
      code: 'wrong_type',
      message: {
        da: `Et helt tal fra ${MIN_RESPONSES_FLOOR} til ${MAX_MIN_RESPONSES}`,
        en: `A whole number from ${MIN_RESPONSES_FLOOR} to ${MAX_MIN_RESPONSES}`,
      },
    });
  if (value < MIN_RESPONSES_FLOOR)
    return err({
      path,
      code: 'too_small',
      message: {
        da: `Mindst ${MIN_RESPONSES_FLOOR}: under det kan to kolleger trække deres egne svar fra et gennemsnit og læse den tredjes`,
        en: `At least ${MIN_RESPONSES_FLOOR} (the floor): below it two colleagues could subtract their own answers from a mean and read the third's`,
      },
    });
  if (value > MAX_MIN_RESPONSES)
    return err({
      path,
      code: 'too_large',
      message: {
        da: `Højst ${MAX_MIN_RESPONSES}, det største netværk`,
        en: `At most ${MAX_MIN_RESPONSES}, the largest network`,
      },
    });
  return ok(value);
}

/**
 * The k in force: the configured value (default {@link DEFAULT_MIN_RESPONSES}) rounded down to an
 * integer and clamped to at least {@link MIN_RESPONSES_FLOOR}. Formula: `max(floor, ⌊k⌋)`; a
 * non-finite k falls back to the default.
 */
export function minimumResponses(configured?: number): number {
  if (configured === undefined || !Number.isFinite(configured)) return DEFAULT_MIN_RESPONSES;
  return Math.max(MIN_RESPONSES_FLOOR, Math.floor(configured));
}

/**
 * Why an aggregate was withheld: too few answers in the group, or (with a filter) too few left
 * OUT of the group, since the unfiltered aggregate minus the filtered one would then reveal the
 * few left out (Supermood's "indirect protection" against subtracting a subgroup from its parent).
 */
export type WithholdReason = 'not_enough_responses' | 'remainder_too_small' | 'window_open';

/** A withheld aggregate: says why and what the minimum is, and carries no numbers at all. */
export interface Withheld {
  readonly released: false;
  readonly reason: WithholdReason;
  readonly minimum: number;
}

/** A released aggregate. */
export interface Released<T> {
  readonly released: true;
  readonly value: T;
}

export type Disclosure<T> = Released<T> | Withheld;

/** Options for releasing an aggregate. */
export interface ReleaseOptions {
  /** The tenant's k (clamped by {@link minimumResponses}). */
  readonly minimumResponses?: number;
  /**
   * A subgroup filter (e.g. one leadership level). The filtered group must hold k answers, and
   * the answers it leaves out must be 0 or at least k.
   */
  readonly filter?: (evaluation: Evaluation) => boolean;
}

/**
 * Releases `compute(group)` only when the group is large enough. The group is one answer per
 * member (an edited answer does not count twice). Withholds when the group has fewer than k
 * answers, or a filter leaves out between 1 and k − 1 answers. `compute` is never called on a
 * withheld group.
 */
export function releaseAggregate<T>(
  evaluations: readonly Evaluation[],
  compute: (group: readonly Evaluation[]) => T,
  options: ReleaseOptions = {},
): Disclosure<T> {
  const k = minimumResponses(options.minimumResponses);
  const all = onePerMember(evaluations);
  const group = options.filter ? all.filter(options.filter) : all;
  if (group.length < k) return { released: false, reason: 'not_enough_responses', minimum: k };
  const leftOut = all.length - group.length;
  if (leftOut > 0 && leftOut < k) return { released: false, reason: 'remainder_too_small', minimum: k };
  return { released: true, value: compute(group) };
}

/**
 * One meeting's aggregate (means, minimums, spreads, distributions, response count and rate), or
 * "not enough responses". `eligible` is the number of members who could answer (attended).
 */
export function releaseMeetingAggregate(
  evaluations: readonly Evaluation[],
  options: ReleaseOptions & { readonly eligible?: number | null } = {},
): Disclosure<MeetingEvaluationAggregate> {
  return releaseAggregate(
    evaluations,
    (group) => aggregateEvaluations(group, options.eligible ?? null),
    options,
  );
}

// ---------------------------------------------------------------------------------------------
// The release rule: results are released once, after the window closes, over ≥ k members

/**
 * Default evaluation window: answers can be given and edited for 14 days after a meeting is held.
 * Two weeks is what engagement-pulse tools give a survey round (Culture Amp's and Peakon's pulse
 * defaults run one to two weeks) and it ends before the next meeting at the seed's monthly cadence.
 */
export const DEFAULT_EVALUATION_WINDOW_DAYS = 14;

/** The widest evaluation window a network may set: a quarter, the seed's longest cadence. */
export const MAX_EVALUATION_WINDOW_DAYS = 90;

const DAY_MS = 86_400_000;

/** When a meeting's evaluation window closes: `heldAt + days` (frozen when the window opens). */
export const evaluationDeadline = (heldAt: Date, days: number = DEFAULT_EVALUATION_WINDOW_DAYS): Date =>
  new Date(heldAt.getTime() + days * DAY_MS);

/**
 * Whether a window closes early: every member who could answer has answered. Their answers are
 * then final, and the results can be released without waiting for the deadline.
 */
export function closesEarly(
  eligibleMemberIds: readonly string[],
  answeredMemberIds: readonly string[],
): boolean {
  if (eligibleMemberIds.length === 0) return false;
  const answered = new Set(answeredMemberIds);
  return eligibleMemberIds.every((id) => answered.has(id));
}

/** One meeting's evaluation round: its answers, its frozen k and when its window closes. */
export interface EvaluationRound {
  readonly meetingId: string;
  /** Orders the rounds (the meeting's start). */
  readonly startsAt: Date;
  /** Answers stop at this instant (the deadline frozen when the window opened, or earlier: {@link closesEarly}). */
  readonly closesAt: Date;
  /** The k frozen when the window opened. */
  readonly minimumResponses: number;
  readonly evaluations: readonly Evaluation[];
}

/**
 * One release: the pooled answers of one or more consecutive closed rounds, over at least k
 * distinct members. Released once, never changed: later answers cannot reach a closed round.
 */
export interface Release {
  /** The rounds pooled, in order (one when the meeting alone reached k). */
  readonly meetingIds: readonly string[];
  /** When the last of its rounds closed. */
  readonly releasedAt: Date;
  /** The k applied: the largest k frozen in its rounds. */
  readonly minimum: number;
  /** Distinct members who answered (≥ minimum). */
  readonly respondents: number;
  /** The answers, one per member per meeting. For computing only: show them only as aggregates. */
  readonly evaluations: readonly Evaluation[];
}

/** Where one meeting's results stand. No state carries a count. */
export type RoundStatus =
  | { readonly state: 'open'; readonly closesAt: Date; readonly minimum: number }
  /** Closed, but with the rounds waiting beside it fewer than k members have answered: it waits for the next. */
  | { readonly state: 'pooling'; readonly minimum: number }
  | { readonly state: 'released'; readonly release: Release };

export interface ReleaseState {
  /** Every release so far, in order. */
  readonly releases: readonly Release[];
  readonly byMeeting: ReadonlyMap<string, RoundStatus>;
}

const byStart = (a: EvaluationRound, b: EvaluationRound) =>
  a.startsAt.getTime() - b.startsAt.getTime() || a.meetingId.localeCompare(b.meetingId);

/**
 * The release rule. Rounds are taken in meeting order; only the prefix of closed rounds counts (a
 * round closed early waits behind an earlier one still open). Walking that prefix, closed rounds
 * gather into a pool; as soon as the pool holds answers from at least k distinct members (k = the
 * largest frozen k in the pool) it is released as one {@link Release} and a new pool starts.
 *
 * Why it cannot be differenced: a release's answers are final (its windows are closed); releases
 * never overlap; a release at `now` is also a release at every later `now` (the walk is the same
 * over a longer prefix). So any two readings differ by whole releases, each over ≥ k members, never
 * by one answer. A network too small to reach k in one meeting (6 members, 2 afbud, k = 5) gets its
 * numbers across two or three meetings instead of never.
 *
 * A lowered k: a closed round frozen at a lower k than the pool it joins, that does not complete
 * that pool, sets the pool's earlier rounds aside for good (they stay `pooling`, never released)
 * and starts a new pool from itself. Answers given under a higher k are thus never released under
 * a lower one, and a network that lowered k because it could never reach it (4 members, k = 5)
 * gets numbers from its next meetings instead of waiting behind rounds that can never release.
 * Still prefix-stable: the decision reads only the closed rounds before it.
 */
export function releaseRounds(rounds: readonly EvaluationRound[], now: Date): ReleaseState {
  const ordered = [...rounds].sort(byStart);
  const releases: Release[] = [];
  const byMeeting = new Map<string, RoundStatus>();
  let pool: EvaluationRound[] = [];
  let prefixOpen = false;
  /** Releases the pool when it holds answers from at least its k distinct members. */
  const release = (rounds: readonly EvaluationRound[]): boolean => {
    const answers = rounds.flatMap((r) => onePerMember(r.evaluations));
    const respondents = new Set(answers.map((e) => e.memberId)).size;
    const k = poolMinimum(rounds);
    if (respondents < k) return false;
    const released: Release = {
      meetingIds: rounds.map((r) => r.meetingId),
      releasedAt: new Date(Math.max(...rounds.map((r) => r.closesAt.getTime()))),
      minimum: k,
      respondents,
      evaluations: answers,
    };
    releases.push(released);
    for (const r of rounds) byMeeting.set(r.meetingId, { state: 'released', release: released });
    return true;
  };
  for (const round of ordered) {
    const closed = now.getTime() >= round.closesAt.getTime();
    if (!closed) {
      prefixOpen = true;
      byMeeting.set(round.meetingId, {
        state: 'open',
        closesAt: round.closesAt,
        minimum: minimumResponses(round.minimumResponses),
      });
      continue;
    }
    if (prefixOpen) {
      byMeeting.set(round.meetingId, { state: 'pooling', minimum: minimumResponses(round.minimumResponses) });
      continue;
    }
    pool.push(round);
    if (release(pool)) pool = [];
    else if (pool.length > 1 && minimumResponses(round.minimumResponses) < poolMinimum(pool.slice(0, -1))) {
      // k was lowered since this pool began, and this round does not complete it under the k its
      // earlier rounds were answered under. Those rounds are set aside for good (never released,
      // and never under the lower k), and the pool starts again from this round; otherwise a
      // network that lowered k because it could not reach it would stay stuck behind them.
      const setAside = pool.slice(0, -1);
      const minimum = poolMinimum(setAside);
      for (const r of setAside) byMeeting.set(r.meetingId, { state: 'pooling', minimum });
      pool = [round];
      if (release(pool)) pool = [];
    }
  }
  if (pool.length > 0) {
    const k = poolMinimum(pool);
    for (const r of pool) byMeeting.set(r.meetingId, { state: 'pooling', minimum: k });
  }
  return { releases, byMeeting };
}

/** A pool's k: the largest k frozen in its rounds. */
const poolMinimum = (rounds: readonly EvaluationRound[]): number =>
  Math.max(...rounds.map((r) => minimumResponses(r.minimumResponses)));

/** A released aggregate of one release: the pooled answers' statistics, which rounds, and when. */
export interface ReleasedAggregate extends MeetingEvaluationAggregate {
  readonly meetingIds: readonly string[];
  readonly releasedAt: Date;
  readonly minimum: number;
}

/**
 * What may be shown of one meeting's results: the aggregate of the release that holds it, or why
 * not yet (`window_open` with when it closes; `not_enough_responses` while it pools). `eligible`
 * is how many could answer across the release's meetings, when known.
 */
export function meetingDisclosure(
  status: RoundStatus | undefined,
  eligible: number | null = null,
): Released<ReleasedAggregate> | (Withheld & { readonly closesAt?: Date }) {
  if (status === undefined)
    return { released: false, reason: 'not_enough_responses', minimum: minimumResponses() };
  if (status.state === 'open')
    return { released: false, reason: 'window_open', minimum: status.minimum, closesAt: status.closesAt };
  if (status.state === 'pooling')
    return { released: false, reason: 'not_enough_responses', minimum: status.minimum };
  const { release } = status;
  return {
    released: true,
    value: {
      ...aggregateEvaluations(release.evaluations, eligible),
      meetingIds: release.meetingIds,
      releasedAt: release.releasedAt,
      minimum: release.minimum,
    },
  };
}
