/**
 * One member's evaluation of one held meeting (product rules), after the seed's three
 * prerequisites: benefit ("udbytte"), energy and purpose ("målsætning": members should leave with
 * more energy; the group must agree what it wants), relations (the network survives only if the
 * relations work), and the give/get balance (members who "arbejder mere for andre end for sig
 * selv … vil trække sig"). And the per-meeting aggregates; releasing them is confidentiality.ts's.
 */
import type { AttendanceStatus } from './attendance.js';
import { FieldReader } from './parse.js';
import { err, ok, type Result } from './result.js';
import { type LocalizedText, text } from './text.js';
import type { ValidationFailure } from './validation.js';

/** The 1–5 answers (1 = not at all, 5 = fully). */
export const EVALUATION_SCORES = [1, 2, 3, 4, 5] as const;
export type EvaluationScore = (typeof EVALUATION_SCORES)[number];

/** The give/get balance: −2 "I mostly gave" … 0 balanced … +2 "I mostly got". */
export const GIVE_GET_BALANCES = [-2, -1, 0, 1, 2] as const;
export type GiveGetBalance = (typeof GIVE_GET_BALANCES)[number];

/** The four 1–5 dimensions of an evaluation. */
export const EVALUATION_DIMENSIONS = ['benefit', 'energy', 'purposeFit', 'relations'] as const;
export type EvaluationDimension = (typeof EVALUATION_DIMENSIONS)[number];

/** One member's answers about one held meeting. The comment is private to the member. */
export interface Evaluation {
  readonly meetingId: string;
  readonly memberId: string;
  /** What I got out of the meeting (udbytte). */
  readonly benefit: EvaluationScore;
  /** My energy after the meeting. */
  readonly energy: EvaluationScore;
  /** How well the meeting served our agreed purpose. */
  readonly purposeFit: EvaluationScore;
  /** Relations and trust in the group. */
  readonly relations: EvaluationScore;
  readonly giveGet: GiveGetBalance;
  /** Private: readable by this member only (product rules, Confidentiality); never aggregated. */
  readonly comment: string | null;
}

/**
 * Longest private comment. 2,000 characters is a few paragraphs: room for a reflection, short
 * enough that the form stays a pulse, not an essay (our choice; no source sets it).
 */
export const EVALUATION_COMMENT_MAX = 2000;

const EVALUATION_FIELDS = [
  'meetingId',
  'memberId',
  'benefit',
  'energy',
  'purposeFit',
  'relations',
  'giveGet',
  'comment',
] as const;

/** What must hold outside the answers: the meeting was held and the member was there. */
export interface EvaluationContext {
  readonly meetingId: string;
  readonly meetingStatus: 'planned' | 'held' | 'cancelled';
  /** The member's attendance at that meeting, or null when they were not expected at all. */
  readonly memberAttendance: AttendanceStatus | null;
}

/** Why a valid set of answers cannot be taken for this meeting. */
export type EvaluationRefusalCode = 'meeting_not_held' | 'not_an_attendee' | 'wrong_meeting';

export interface EvaluationRefusal {
  readonly code: EvaluationRefusalCode;
  readonly message: LocalizedText;
}

export const EVALUATION_REFUSAL_MESSAGES: Readonly<Record<EvaluationRefusalCode, LocalizedText>> = {
  meeting_not_held: text(
    'Kun et afholdt møde kan evalueres.',
    'Only a meeting that has been held can be evaluated.',
  ),
  not_an_attendee: text(
    'Kun medlemmer, der deltog i mødet, kan evaluere det.',
    'Only members who attended the meeting can evaluate it.',
  ),
  wrong_meeting: text('Evalueringen gælder et andet møde.', 'The evaluation is for another meeting.'),
};

/**
 * Validates one member's answers: four integers 1–5, a give/get balance −2…+2 and an optional
 * comment (trimmed; empty becomes null; at most {@link EVALUATION_COMMENT_MAX} characters). With a
 * context it also checks the meeting was held and the member attended: a member who cancelled or
 * did not show has no meeting to judge (expected/confirmed are accepted, since attendance is not
 * always recorded). Never throws.
 */
export function parseEvaluation(
  input: unknown,
  context?: EvaluationContext,
): Result<Evaluation, ValidationFailure | EvaluationRefusal> {
  const r = new FieldReader(input);
  r.rejectUnknown(EVALUATION_FIELDS);
  const meetingId = r.string('meetingId', { max: 100 });
  const memberId = r.string('memberId', { max: 100 });
  const score = (key: EvaluationDimension) =>
    r.number(key, { min: 1, max: 5, integer: true }) as EvaluationScore | undefined;
  const benefit = score('benefit');
  const energy = score('energy');
  const purposeFit = score('purposeFit');
  const relations = score('relations');
  const giveGet = r.number('giveGet', { min: -2, max: 2, integer: true }) as GiveGetBalance | undefined;
  const comment = r.string('comment', { optional: true, max: EVALUATION_COMMENT_MAX }) || null;
  if (r.issues.length > 0) return err({ code: 'validation_failed', issues: r.issues });
  if (context) {
    const refusal: EvaluationRefusalCode | null =
      context.meetingId !== meetingId
        ? 'wrong_meeting'
        : context.meetingStatus !== 'held'
          ? 'meeting_not_held'
          : context.memberAttendance === null ||
              context.memberAttendance === 'cancelled' ||
              context.memberAttendance === 'no_show'
            ? 'not_an_attendee'
            : null;
    if (refusal) return err({ code: refusal, message: EVALUATION_REFUSAL_MESSAGES[refusal] });
  }
  return ok({
    meetingId: meetingId!,
    memberId: memberId!,
    benefit: benefit!,
    energy: energy!,
    purposeFit: purposeFit!,
    relations: relations!,
    giveGet: giveGet!,
    comment,
  });
}

/** Summary statistics of one answer over a group. */
export interface ScoreStatistics {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Population standard deviation: `sqrt(Σ(x − mean)² / n)`. */
  readonly stddev: number;
  /** How many answered each value, keyed by the value (every value present, 0 when none). */
  readonly distribution: Readonly<Record<number, number>>;
}

/** The per-meeting aggregate of every answer. Never carries comments nor member ids. */
export interface MeetingEvaluationAggregate {
  readonly responses: number;
  /** Members who could answer (attended), when known; else null. */
  readonly eligible: number | null;
  /** `responses / eligible`, or null when eligible is unknown or 0. */
  readonly responseRate: number | null;
  readonly benefit: ScoreStatistics;
  readonly energy: ScoreStatistics;
  readonly purposeFit: ScoreStatistics;
  readonly relations: ScoreStatistics;
  readonly giveGet: ScoreStatistics;
}

/** Arithmetic mean; 0 for no values (callers check the count first). */
export const mean = (values: readonly number[]): number =>
  values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;

/** Population standard deviation: `sqrt(Σ(x − mean)² / n)`; 0 for fewer than 2 values. */
export function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}

/** Statistics of `values` over the allowed `scale` (which fixes the distribution's keys). */
export function scoreStatistics(values: readonly number[], scale: readonly number[]): ScoreStatistics {
  const distribution: Record<number, number> = {};
  for (const s of scale) distribution[s] = 0;
  for (const v of values) distribution[v] = (distribution[v] ?? 0) + 1;
  return {
    mean: mean(values),
    min: values.length === 0 ? 0 : Math.min(...values),
    max: values.length === 0 ? 0 : Math.max(...values),
    stddev: stddev(values),
    distribution,
  };
}

/**
 * One evaluation per member and meeting: a later entry replaces an earlier one (an edited answer),
 * so nobody counts twice towards k or a mean. Keeps first-seen order.
 */
export function onePerMember(evaluations: readonly Evaluation[]): Evaluation[] {
  const latest = new Map<string, Evaluation>();
  for (const e of evaluations) latest.set(`${e.meetingId}\u0000${e.memberId}`, e);
  return [...latest.values()];
}

/**
 * The raw aggregate of a group of evaluations (e.g. one meeting's), one answer per member. Not for
 * display: it carries numbers whatever the group size; show it only through
 * `releaseMeetingAggregate` (confidentiality.ts), which withholds it under k answers.
 */
export function aggregateEvaluations(
  all: readonly Evaluation[],
  eligible: number | null = null,
): MeetingEvaluationAggregate {
  const evaluations = onePerMember(all);
  const of = (pick: (e: Evaluation) => number, scale: readonly number[]) =>
    scoreStatistics(evaluations.map(pick), scale);
  return {
    responses: evaluations.length,
    eligible,
    responseRate: eligible === null || eligible === 0 ? null : evaluations.length / eligible,
    benefit: of((e) => e.benefit, EVALUATION_SCORES),
    energy: of((e) => e.energy, EVALUATION_SCORES),
    purposeFit: of((e) => e.purposeFit, EVALUATION_SCORES),
    relations: of((e) => e.relations, EVALUATION_SCORES),
    giveGet: of((e) => e.giveGet, GIVE_GET_BALANCES),
  };
}
