/**
 * When members may answer the evaluation of a meeting: from when it is held until its window
 * closes. The window is frozen when the meeting is held (its deadline, or earlier once every
 * eligible member answered: confidentiality.ts's `closesEarly`); before that, it is what it would
 * be: the meeting held (else its start) plus the window's days. One rule for the service's answer
 * check, the member pages and health's release of rounds.
 */
import { DEFAULT_EVALUATION_WINDOW_DAYS, evaluationDeadline } from './confidentiality.js';

/** What the window of one meeting depends on. */
export interface EvaluationWindowFacts {
  readonly startsAt: Date;
  /** When the meeting was marked held; null or absent before. */
  readonly heldAt?: Date | null;
  /** The instant frozen when it was held (or closed early); null or absent before. */
  readonly evaluationClosesAt?: Date | null;
}

/** When the evaluation window of the meeting closes (see the module comment). */
export function evaluationClosesAt(
  meeting: EvaluationWindowFacts,
  windowDays: number = DEFAULT_EVALUATION_WINDOW_DAYS,
): Date {
  return meeting.evaluationClosesAt ?? evaluationDeadline(meeting.heldAt ?? meeting.startsAt, windowDays);
}

/** True while answers can be given and edited: before the window closes. */
export const isEvaluationOpen = (closesAt: Date, now: Date): boolean => now.getTime() < closesAt.getTime();
