/**
 * A network's settings as one validating constructor: size bounds, trial length, review interval,
 * time zone, roles policy, k, the evaluation window and the facilitator. Every field is optional
 * (creation fills defaults, a change names only what changes); every issue is collected, not only
 * the first. Pure: whether a named leader exists is an argument, read by the caller.
 */

import { MAX_EVALUATION_WINDOW_DAYS, parseMinResponses } from './confidentiality.js';
import { EMAIL_PATTERN, type LeaderId } from './leader.js';
import {
  isReviewInterval,
  LIFECYCLE_REFUSAL_MESSAGES,
  TRIAL_LENGTHS,
  type TrialLength,
} from './lifecycle.js';
import { isValidTimeZone } from './meeting-model.js';
import { type NetworkSizeBounds, parseNetworkSizeBounds } from './network-rules.js';
import { isRecord, unstorableTextIssue } from './parse.js';
import { err, ok, type Result } from './result.js';
import { parseRolesPolicy, type RolesPolicy } from './roles.js';
import { isStorableText, text } from './text.js';
import type { ValidationFailure, ValidationIssue } from './validation.js';

/** Who facilitates: one of the members, or an outsider (the seed: "det kan også være en udefra"). */
export type Facilitator =
  | { readonly kind: 'member'; readonly leaderId: LeaderId }
  | { readonly kind: 'external'; readonly name: string; readonly email: string | null };

/** The settings as given: each field unknown until parsed, absent when not changed. */
export interface NetworkSettingsInput {
  readonly size?: unknown;
  readonly trialLength?: unknown;
  readonly reviewEvery?: unknown;
  readonly timeZone?: unknown;
  readonly rolesPolicy?: unknown;
  readonly facilitator?: unknown;
  readonly minResponses?: unknown;
  readonly evaluationWindowDays?: unknown;
}

/** The settings present in the input, parsed. `facilitator: null` removes the facilitator. */
export interface NetworkSettings {
  readonly size?: NetworkSizeBounds;
  readonly trialLength?: TrialLength;
  readonly reviewEvery?: number;
  readonly timeZone?: string;
  readonly rolesPolicy?: RolesPolicy;
  readonly facilitator?: Facilitator | null;
  readonly minResponses?: number;
  readonly evaluationWindowDays?: number;
}

/** What the rules need to know of the network and the tenant. */
export interface NetworkSettingsContext {
  /** The active members (a fixed role holder and a member facilitator must be one); undefined at creation. */
  readonly memberIds?: readonly LeaderId[];
  /** Whether a leader with this id exists in the tenant (a member facilitator must). */
  readonly leaderExists: (leaderId: LeaderId) => boolean;
}

/** The issue for a review interval outside REVIEW_EVERY_LIMITS (settings and review decisions). */
export const reviewEveryIssue = (): ValidationIssue => ({
  path: 'reviewEvery',
  code: 'not_allowed',
  message: LIFECYCLE_REFUSAL_MESSAGES.invalid_review_interval,
});

const issue = (path: string, code: ValidationIssue['code'], en: string, da: string): ValidationIssue => ({
  path,
  code,
  message: text(da, en),
});

const nested = (prefix: string, issues: readonly ValidationIssue[]): ValidationIssue[] =>
  issues.map((i) => ({ ...i, path: i.path ? `${prefix}.${i.path}` : prefix }));

function parseFacilitator(
  f: unknown,
  context: NetworkSettingsContext,
): Result<Facilitator | null, ValidationIssue> {
  if (f === null) return ok(null);
  if (isRecord(f) && f.kind === 'member' && typeof f.leaderId === 'string') {
    if (!context.leaderExists(f.leaderId))
      return err(
        issue(
          'facilitator.leaderId',
          'invalid_reference',
          'No leader with this id.',
          'Ingen leder med dette id.',
        ),
      );
    if (context.memberIds !== undefined && !context.memberIds.includes(f.leaderId))
      return err(
        issue(
          'facilitator.leaderId',
          'invalid_reference',
          'Not an active member of the network.',
          'Ikke et aktivt medlem af netværket.',
        ),
      );
    return ok({ kind: 'member', leaderId: f.leaderId });
  }
  if (isRecord(f) && f.kind === 'external' && typeof f.name === 'string' && f.name.trim() !== '') {
    const email = typeof f.email === 'string' ? f.email.trim() : null;
    if (!isStorableText(f.name)) return err(unstorableTextIssue('facilitator.name'));
    if (email !== null && (!isStorableText(email) || !EMAIL_PATTERN.test(email)))
      return err(
        issue('facilitator.email', 'invalid_format', 'Not an email address', 'Ikke en e-mailadresse'),
      );
    return ok({ kind: 'external', name: f.name.trim(), email });
  }
  return err(
    issue(
      'facilitator',
      'not_allowed',
      'A member {kind, leaderId} or an external person {kind, name, email?}',
      'Et medlem eller en ekstern person',
    ),
  );
}

/**
 * Parses the settings present in `input`. Rules: size within NETWORK_SIZE_LIMITS (min ≤ max); a
 * trial of 3 or 4 held meetings (the seed: "afprøv den på 3-4 møder"); a review interval within
 * REVIEW_EVERY_LIMITS; an IANA time zone; a roles policy whose fixed holders are active members;
 * k at or above its floor (never silently raised); an evaluation window of 1 to
 * {@link MAX_EVALUATION_WINDOW_DAYS} days; a facilitator who is an existing leader and an active
 * member, or an outsider with a name and, optionally, an email address.
 */
export function parseNetworkSettings(
  input: NetworkSettingsInput,
  context: NetworkSettingsContext,
): Result<NetworkSettings, ValidationFailure> {
  const issues: ValidationIssue[] = [];
  const out: {
    -readonly [K in keyof NetworkSettings]: NetworkSettings[K];
  } = {};
  if (input.size !== undefined) {
    const size = parseNetworkSizeBounds(input.size);
    if (size.ok) out.size = size.value;
    else issues.push(...nested('size', size.error.issues));
  }
  if (input.trialLength !== undefined) {
    if ((TRIAL_LENGTHS as readonly unknown[]).includes(input.trialLength))
      out.trialLength = input.trialLength as TrialLength;
    else
      issues.push(
        issue(
          'trialLength',
          'not_allowed',
          'A trial is 3 or 4 held meetings',
          'En prøveperiode er 3 eller 4 møder',
        ),
      );
  }
  if (input.reviewEvery !== undefined) {
    const n = input.reviewEvery;
    if (typeof n === 'number' && isReviewInterval(n)) out.reviewEvery = n;
    else issues.push(reviewEveryIssue());
  }
  if (input.timeZone !== undefined) {
    if (typeof input.timeZone === 'string' && isValidTimeZone(input.timeZone)) out.timeZone = input.timeZone;
    else
      issues.push(
        issue(
          'timeZone',
          'invalid_format',
          'An IANA time zone, e.g. Europe/Copenhagen',
          'En IANA-tidszone, fx Europe/Copenhagen',
        ),
      );
  }
  if (input.rolesPolicy !== undefined) {
    const policy = parseRolesPolicy(input.rolesPolicy, context.memberIds);
    if (policy.ok) out.rolesPolicy = policy.value;
    else issues.push(...nested('rolesPolicy', policy.error.issues));
  }
  if (input.minResponses !== undefined) {
    // Below the floor (3) is refused naming it, never silently raised. A new k applies to meetings
    // held from then on; each held meeting keeps the k frozen when it was held.
    const k = parseMinResponses(input.minResponses);
    if (k.ok) out.minResponses = k.value;
    else issues.push(k.error);
  }
  if (input.evaluationWindowDays !== undefined) {
    const d = input.evaluationWindowDays;
    if (typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= MAX_EVALUATION_WINDOW_DAYS)
      out.evaluationWindowDays = d;
    else
      issues.push(
        issue(
          'evaluationWindowDays',
          'not_allowed',
          `1 to ${MAX_EVALUATION_WINDOW_DAYS} days`,
          `1 til ${MAX_EVALUATION_WINDOW_DAYS} dage`,
        ),
      );
  }
  if (input.facilitator !== undefined) {
    const f = parseFacilitator(input.facilitator, context);
    if (f.ok) out.facilitator = f.value;
    else issues.push(f.error);
  }
  return issues.length > 0 ? err({ code: 'validation_failed', issues }) : ok(out);
}
