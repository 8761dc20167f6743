/**
 * A network's lifecycle: the seed's trial period and continuous evaluation. "Vælg en model og
 * afprøv den på 3-4 møder … og herefter tage stilling til, om I skal vælge en anden form eller
 * fortsætte": forming → trial → review_due → active, back to trial with an adjusted model, or
 * dissolved; active networks come up for review again periodically ("løbende evaluering"). Paused
 * is allowed from trial and active. Every change is `transition(state, event, now)`: time is an
 * argument, and a refused event is a coded value, never a throw.
 */

import type { AdjustmentArea } from './adjustment.js';
import { err, ok, type Result } from './result.js';
import { type LocalizedText, text } from './text.js';

export const LIFECYCLE_STATUSES = [
  'forming',
  'trial',
  'review_due',
  'active',
  'paused',
  'dissolved',
] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/** A trial lasts 3 or 4 held meetings: the seed's "afprøv den på 3-4 møder". */
export const TRIAL_LENGTHS = [3, 4] as const;
export type TrialLength = (typeof TRIAL_LENGTHS)[number];
/** Default trial length: 3 held meetings, the short end of the seed's "3-4 møder" (product rules). */
export const DEFAULT_TRIAL_LENGTH: TrialLength = 3;

/**
 * Default periodic review: every 6 held meetings once active (product rules, the seed's
 * "løbende evaluering"; twice the trial, so at the seed's monthly-to-quarterly cadence a review
 * comes every half year to year and a half).
 */
export const DEFAULT_REVIEW_EVERY = 6;

/**
 * The review interval a network may choose: 1 … 24 held meetings (ours: 24 is two years at the
 * seed's monthly cadence; a longer gap is no longer the seed's continuous evaluation).
 */
export const REVIEW_EVERY_LIMITS = { min: 1, max: 24 } as const;

/** True when `n` is a review interval the method allows (REVIEW_EVERY_LIMITS). */
export const isReviewInterval = (n: number): boolean =>
  Number.isInteger(n) && n >= REVIEW_EVERY_LIMITS.min && n <= REVIEW_EVERY_LIMITS.max;

/** Facts about the network that decide whether a trial may start (plain data from elsewhere). */
export interface TrialReadiness {
  readonly memberCount: number;
  readonly minimumMembers: number;
  /** Every active member has accepted the current charter version. */
  readonly charterInForce: boolean;
  readonly hasMeetingModel: boolean;
}

/** What a running trial carries. `round` is 1 for the first trial, 2 after one adjustment, and so on. */
export interface TrialPhase {
  readonly status: 'trial';
  readonly trialLength: TrialLength;
  readonly heldInTrial: number;
  readonly round: number;
  /**
   * Meetings added to the trial by "extend" decisions (absent: none). The trial ends after
   * `trialLength + extendedBy` held meetings.
   */
  readonly extendedBy?: number;
}

/** Meetings one "extend" decision adds: one, the seed's trial of "3-4 møder" stretched to its long end. */
export const EXTEND_BY_MEETINGS = 1;

/** What an active network carries: its review interval and the meetings held since the last review. */
export interface ActivePhase {
  readonly status: 'active';
  readonly reviewEvery: number;
  readonly heldSinceReview: number;
}

/** One accepted transition. */
export interface LifecycleHistoryEntry {
  readonly at: Date;
  readonly event: LifecycleEvent['type'];
  readonly from: LifecycleStatus;
  readonly to: LifecycleStatus;
  /** For decide_review: the decision taken. */
  readonly decision?: ReviewDecision;
  /** For an adjusting review: what was changed. */
  readonly changes?: readonly AdjustmentArea[];
}

interface Common {
  /** When the network entered this state. */
  readonly since: Date;
  /** Every accepted transition, oldest first. */
  readonly history: readonly LifecycleHistoryEntry[];
}

export type LifecycleState =
  | (Common & { readonly status: 'forming' })
  | (Common & TrialPhase)
  | (Common & {
      readonly status: 'review_due';
      /** At the end of a trial, or a periodic review of an active network. */
      readonly kind: 'trial_end' | 'periodic';
      /** The interval an active network keeps after "continue". */
      readonly reviewEvery: number;
      /** Meetings held while the review was pending (they happen; they do not skip it). */
      readonly heldWhileDue: number;
      /** At the end of a trial: the trial that ended (what an "extend" decision resumes). */
      readonly trial?: TrialPhase;
    })
  | (Common & ActivePhase)
  | (Common & { readonly status: 'paused'; readonly resumeTo: TrialPhase | ActivePhase })
  | (Common & { readonly status: 'dissolved' });

/**
 * The decisions a review can take. `extend`: the trial (or the interval to the next periodic
 * review) runs {@link EXTEND_BY_MEETINGS} more meeting, then the review is due again — the answer
 * to a review with too little evaluation to judge ("løbende evaluering" comes first).
 */
export const REVIEW_DECISIONS = ['continue', 'adjust', 'extend', 'dissolve'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export type LifecycleEvent =
  | { readonly type: 'start_trial'; readonly readiness: TrialReadiness; readonly trialLength?: number }
  | { readonly type: 'meeting_held' }
  | { readonly type: 'decide_review'; readonly decision: 'continue'; readonly reviewEvery?: number }
  | {
      readonly type: 'decide_review';
      readonly decision: 'adjust';
      /** What the adjusted model changes (at least one). */
      readonly changes: readonly AdjustmentArea[];
      /** A new trial starts: the same facts as for start_trial must hold. */
      readonly readiness: TrialReadiness;
      readonly trialLength?: number;
    }
  | { readonly type: 'decide_review'; readonly decision: 'extend' }
  | { readonly type: 'decide_review'; readonly decision: 'dissolve' }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'dissolve' };

export const LIFECYCLE_REFUSAL_CODES = [
  'already_started',
  'too_few_members',
  'charter_not_in_force',
  'no_meeting_model',
  'invalid_trial_length',
  'not_started',
  'network_paused',
  'network_dissolved',
  'no_review_due',
  'no_changes',
  'invalid_review_interval',
  'cannot_pause',
  'not_paused',
  'time_went_backwards',
] as const;
export type LifecycleRefusalCode = (typeof LIFECYCLE_REFUSAL_CODES)[number];

export interface LifecycleRefusal {
  readonly code: LifecycleRefusalCode;
  readonly message: LocalizedText;
}

export const LIFECYCLE_REFUSAL_MESSAGES: Readonly<Record<LifecycleRefusalCode, LocalizedText>> = {
  already_started: text('Netværket er allerede i gang.', 'The network has already started.'),
  too_few_members: text(
    'Netværket har for få medlemmer til at starte.',
    'The network has too few members to start.',
  ),
  charter_not_in_force: text(
    'Kontrakten er ikke accepteret af alle medlemmer.',
    'The charter has not been accepted by every member.',
  ),
  no_meeting_model: text('Netværket har ingen mødemodel.', 'The network has no meeting model.'),
  invalid_trial_length: text('En prøveperiode er 3 eller 4 møder.', 'A trial period is 3 or 4 meetings.'),
  not_started: text('Netværket er ikke startet endnu.', 'The network has not started yet.'),
  network_paused: text('Netværket er sat på pause.', 'The network is paused.'),
  network_dissolved: text('Netværket er opløst.', 'The network is dissolved.'),
  no_review_due: text('Der er ingen evaluering at tage stilling til.', 'No review is due.'),
  no_changes: text('En justering skal sige, hvad der ændres.', 'An adjustment must say what changes.'),
  invalid_review_interval: text(
    `Evalueringsintervallet skal være et helt antal møder fra ${REVIEW_EVERY_LIMITS.min} til ${REVIEW_EVERY_LIMITS.max}.`,
    `The review interval must be a whole number of meetings from ${REVIEW_EVERY_LIMITS.min} to ${REVIEW_EVERY_LIMITS.max}.`,
  ),
  cannot_pause: text(
    'Kun et netværk i prøveperiode eller i drift kan sættes på pause.',
    'Only a network in trial or active can be paused.',
  ),
  not_paused: text('Netværket er ikke sat på pause.', 'The network is not paused.'),
  time_went_backwards: text(
    'Tidspunktet ligger før netværkets seneste ændring.',
    "The time is before the network's latest change.",
  ),
};

const refuse = (code: LifecycleRefusalCode): { ok: false; error: LifecycleRefusal } =>
  err({ code, message: LIFECYCLE_REFUSAL_MESSAGES[code] });

/** A new network, forming since `now`. */
export const formingNetwork = (now: Date): LifecycleState => ({ status: 'forming', since: now, history: [] });

/**
 * Every reason a trial cannot start yet, in a fixed order (members, charter, meeting model); empty
 * when it can. For a UI checklist; `transition` refuses with the first.
 */
export function trialReadinessGaps(
  readiness: TrialReadiness,
): ('too_few_members' | 'charter_not_in_force' | 'no_meeting_model')[] {
  const gaps: ('too_few_members' | 'charter_not_in_force' | 'no_meeting_model')[] = [];
  if (readiness.memberCount < readiness.minimumMembers) gaps.push('too_few_members');
  if (!readiness.charterInForce) gaps.push('charter_not_in_force');
  if (!readiness.hasMeetingModel) gaps.push('no_meeting_model');
  return gaps;
}

/** How many adjusting reviews the network has been through (the review's "tried before" count). */
export const adjustmentsMade = (state: LifecycleState): number =>
  state.history.filter((h) => h.decision === 'adjust').length;

const isTrialLength = (n: unknown): n is TrialLength => n === 3 || n === 4;

/** A new trial phase, or the refusal that stops it. */
function startTrial(
  readiness: TrialReadiness,
  trialLength: number | undefined,
  round: number,
): Result<TrialPhase, LifecycleRefusal> {
  const gap = trialReadinessGaps(readiness)[0];
  if (gap) return refuse(gap);
  const length = trialLength ?? DEFAULT_TRIAL_LENGTH;
  if (!isTrialLength(length)) return refuse('invalid_trial_length');
  return ok({ status: 'trial', trialLength: length, heldInTrial: 0, round });
}

/** The phase after one more held meeting: the trial or interval ends in review_due. */
function afterMeeting(phase: TrialPhase | ActivePhase) {
  if (phase.status === 'trial') {
    const heldInTrial = phase.heldInTrial + 1;
    if (heldInTrial < phase.trialLength + (phase.extendedBy ?? 0)) return { ...phase, heldInTrial };
    return {
      status: 'review_due' as const,
      kind: 'trial_end' as const,
      reviewEvery: DEFAULT_REVIEW_EVERY,
      heldWhileDue: 0,
      trial: { ...phase, heldInTrial },
    };
  }
  const heldSinceReview = phase.heldSinceReview + 1;
  if (heldSinceReview < phase.reviewEvery) return { ...phase, heldSinceReview };
  return {
    status: 'review_due' as const,
    kind: 'periodic' as const,
    reviewEvery: phase.reviewEvery,
    heldWhileDue: 0,
  };
}

/** A state without its time and history (distributes over the union). */
type PhaseOf<S> = S extends Common ? Omit<S, keyof Common> : never;
type Phase = PhaseOf<LifecycleState>;

/**
 * The one transition of the lifecycle: the new state, or a coded refusal. Rules:
 * - start_trial (forming only): needs memberCount ≥ minimumMembers, a charter in force and a
 *   meeting model; trial length 3 or 4 (default 3).
 * - meeting_held: counts toward the trial's end or the next periodic review; while a review is due
 *   it is counted but changes nothing (a review is never skipped).
 * - decide_review (review_due only): continue → active; adjust → a new trial (round + 1) with the
 *   changes named; extend → the same trial with {@link EXTEND_BY_MEETINGS} more meeting (a
 *   periodic review: active, due again after one more meeting); dissolve → dissolved.
 * - pause: from trial or active; resume: back to exactly where it paused.
 * - dissolve: from any state but dissolved.
 * `now` must not be before the state's `since`. Never throws.
 */
export function transition(
  state: LifecycleState,
  event: LifecycleEvent,
  now: Date,
): Result<LifecycleState, LifecycleRefusal> {
  if (now.getTime() < state.since.getTime()) return refuse('time_went_backwards');
  const to = (
    phase: Phase,
    extra: Partial<LifecycleHistoryEntry> = {},
  ): Result<LifecycleState, LifecycleRefusal> => {
    const entry: LifecycleHistoryEntry = {
      at: now,
      event: event.type,
      from: state.status,
      to: phase.status,
      ...extra,
    };
    return ok({ ...phase, since: now, history: [...state.history, entry] } as LifecycleState);
  };
  if (event.type === 'dissolve' && state.status !== 'dissolved') return to({ status: 'dissolved' });

  switch (state.status) {
    case 'forming': {
      if (event.type === 'start_trial') {
        const trial = startTrial(event.readiness, event.trialLength, 1);
        return trial.ok ? to(trial.value) : trial;
      }
      if (event.type === 'pause') return refuse('cannot_pause');
      if (event.type === 'resume') return refuse('not_paused');
      return refuse(event.type === 'decide_review' ? 'no_review_due' : 'not_started');
    }
    case 'trial':
    case 'active': {
      const phase = phaseOf(state);
      if (event.type === 'meeting_held') return to(afterMeeting(phase));
      if (event.type === 'pause') return to({ status: 'paused', resumeTo: phase });
      if (event.type === 'start_trial') return refuse('already_started');
      return refuse(event.type === 'resume' ? 'not_paused' : 'no_review_due');
    }
    case 'review_due': {
      if (event.type === 'meeting_held')
        return to({ ...phaseOf(state), heldWhileDue: state.heldWhileDue + 1 });
      if (event.type === 'decide_review') {
        switch (event.decision) {
          case 'continue': {
            const reviewEvery = event.reviewEvery ?? state.reviewEvery;
            if (!isReviewInterval(reviewEvery)) return refuse('invalid_review_interval');
            return to({ status: 'active', reviewEvery, heldSinceReview: 0 }, { decision: 'continue' });
          }
          case 'adjust': {
            if (event.changes.length === 0) return refuse('no_changes');
            const trial = startTrial(event.readiness, event.trialLength, adjustmentsMade(state) + 2);
            return trial.ok ? to(trial.value, { decision: 'adjust', changes: [...event.changes] }) : trial;
          }
          case 'extend':
            return to(extendedPhase(state), { decision: 'extend' });
          case 'dissolve':
            return to({ status: 'dissolved' }, { decision: 'dissolve' });
        }
      }
      if (event.type === 'start_trial') return refuse('already_started');
      return refuse(event.type === 'resume' ? 'not_paused' : 'cannot_pause');
    }
    case 'paused': {
      if (event.type === 'resume') return to(state.resumeTo);
      if (event.type === 'start_trial') return refuse('already_started');
      if (event.type === 'pause') return refuse('cannot_pause');
      return refuse(event.type === 'decide_review' ? 'no_review_due' : 'network_paused');
    }
    case 'dissolved':
      return refuse('network_dissolved');
  }
}

/**
 * The phase an "extend" decision returns to: the trial that ended with one more meeting (a state
 * stored before trials were kept on review_due resumes a default-length trial of its round), or
 * an active network one meeting before its next review.
 */
function extendedPhase(state: Extract<LifecycleState, { status: 'review_due' }>): TrialPhase | ActivePhase {
  if (state.kind === 'periodic')
    return {
      status: 'active',
      reviewEvery: state.reviewEvery,
      heldSinceReview: Math.max(0, state.reviewEvery - EXTEND_BY_MEETINGS),
    };
  const trial = state.trial ?? {
    status: 'trial' as const,
    trialLength: DEFAULT_TRIAL_LENGTH,
    heldInTrial: DEFAULT_TRIAL_LENGTH,
    round: adjustmentsMade(state) + 1,
  };
  return { ...trial, extendedBy: (trial.extendedBy ?? 0) + EXTEND_BY_MEETINGS };
}

const phaseOf = <S extends LifecycleState>(state: S): PhaseOf<S> => {
  const { since: _since, history: _history, ...phase } = state;
  return phase as PhaseOf<S>;
};

/**
 * Applies events in order (each with its time), stopping at the first refusal. For replaying a
 * stored event log and for golden tests.
 */
export function replay(
  state: LifecycleState,
  events: readonly { readonly event: LifecycleEvent; readonly at: Date }[],
): Result<LifecycleState, LifecycleRefusal & { readonly index: number }> {
  let current = state;
  for (const [index, { event, at }] of events.entries()) {
    const next = transition(current, event, at);
    if (!next.ok) return err({ ...next.error, index });
    current = next.value;
  }
  return ok(current);
}
