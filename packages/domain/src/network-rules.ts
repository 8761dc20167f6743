/**
 * The rules a network must satisfy (product rules, "Network rules"): its size, a charter in force
 * that is more than social and holds the confidentiality rule, and no conflict of interest among
 * its members. `checkNetwork` returns EVERY violation as a value, each with a stable code and a
 * Danish and English text; `canStartNetwork` turns them into the start decision.
 */
import {
  type CharterAcceptance,
  type CharterVersion,
  charterStatus,
  hasConfidentialityRule,
  hasNonSocialGoal,
  latestCharterVersion,
} from './charter.js';
import { type ConflictSubject, findConflicts } from './conflicts.js';
import type { LeaderId } from './leader.js';
import { activeMemberIds, type NetworkMembership } from './network-membership.js';
import { FieldReader } from './parse.js';
import { err, ok, type Result } from './result.js';
import { type LocalizedText, text } from './text.js';
import type { ValidationFailure } from './validation.js';

/** A network's size bounds: the fewest and the most members, inclusive. */
export interface NetworkSizeBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Default size: 6–12 members. Sources: the seed's network had 12 leaders (BFA, "Sparring i netværk
 * for ledere"); EO forums run 8–10 members; Vistage groups 12–14; Chief core groups and
 * small-group research put a working peer group at 4–10. 6 keeps a group alive through a couple
 * of cancellations (the seed's off-track sign); 12 is the largest group the seed shows working.
 */
export const DEFAULT_NETWORK_SIZE: NetworkSizeBounds = { min: 6, max: 12 };

/**
 * The widest bounds a tenant may configure: 4 is the lower end of the small-group range (Chief,
 * small-group research), 14 the upper end of Vistage's groups. Outside this range a group is no
 * longer the kind of peer network the method describes.
 */
export const NETWORK_SIZE_LIMITS = { smallest: 4, largest: 14 } as const;

/**
 * Validates size bounds `{ min, max }` (both optional: a missing one takes the default), integers
 * within NETWORK_SIZE_LIMITS and `min ≤ max`. Never throws.
 */
export function parseNetworkSizeBounds(input: unknown): Result<NetworkSizeBounds, ValidationFailure> {
  const r = new FieldReader(input);
  r.rejectUnknown(['min', 'max']);
  const limits = { min: NETWORK_SIZE_LIMITS.smallest, max: NETWORK_SIZE_LIMITS.largest, integer: true };
  const min = r.number('min', { ...limits, optional: true }) ?? DEFAULT_NETWORK_SIZE.min;
  const max = r.number('max', { ...limits, optional: true }) ?? DEFAULT_NETWORK_SIZE.max;
  if (r.issues.length === 0 && min > max) r.fail('max', 'too_small', `min (${min})`);
  if (r.issues.length > 0) return err({ code: 'validation_failed', issues: r.issues });
  return ok({ min, max });
}

/** The closed set of network-rule violation codes. */
export const NETWORK_VIOLATION_CODES = [
  'too_few_members',
  'too_many_members',
  'charter_not_in_force',
  'no_non_social_goal',
  'confidentiality_rule_missing',
  'manager_report_pair',
  'exclusion_conflict',
] as const;
export type NetworkViolationCode = (typeof NETWORK_VIOLATION_CODES)[number];

/** One broken rule, with what a caller needs to act on it and a text to show. */
export type NetworkViolation =
  | {
      readonly code: 'too_few_members';
      readonly memberCount: number;
      readonly min: number;
      readonly message: LocalizedText;
    }
  | {
      readonly code: 'too_many_members';
      readonly memberCount: number;
      readonly max: number;
      readonly message: LocalizedText;
    }
  | {
      readonly code: 'charter_not_in_force';
      /** The latest charter version, or null when there is none. */
      readonly version: number | null;
      /** Active members who have not accepted the latest version (sorted). */
      readonly awaitingAcceptance: readonly LeaderId[];
      readonly message: LocalizedText;
    }
  | { readonly code: 'no_non_social_goal'; readonly message: LocalizedText }
  | { readonly code: 'confidentiality_rule_missing'; readonly message: LocalizedText }
  | {
      readonly code: 'manager_report_pair' | 'exclusion_conflict';
      /**
       * The two members, in sorted order. For an exclusion the order says nothing about who
       * excluded whom, and the text never says it either: exclusion lists are private.
       */
      readonly between: readonly [LeaderId, LeaderId];
      readonly message: LocalizedText;
    };

/** What `checkNetwork` reads: plain data about one network at one instant. */
export interface NetworkCheckInput {
  /** Size bounds; DEFAULT_NETWORK_SIZE when omitted. */
  readonly size?: NetworkSizeBounds;
  readonly memberships: readonly NetworkMembership[];
  /**
   * The conflict-relevant part (id, manager, exclusions) of each member; only active members are
   * read. An active member missing here is treated as having no manager and no exclusions.
   */
  readonly leaders: readonly ConflictSubject[];
  readonly charterVersions: readonly CharterVersion[];
  readonly acceptances: readonly CharterAcceptance[];
  readonly now: Date;
}

/**
 * Every violation of the network rules at `now`, in the order of NETWORK_VIOLATION_CODES (then by
 * member pair). An empty list means the network satisfies every rule. Rules:
 * - size: `min ≤ active members ≤ max`;
 * - the latest charter version is in force (accepted by every active member; see `charterStatus`);
 * - that charter holds a goal that is not social, and the confidentiality rule (a charter from
 *   `parseCharter` always does; stored or hand-built data is checked anyway);
 * - no manager–report pair and no exclusion between two active members (`findConflicts`).
 */
export function checkNetwork(input: NetworkCheckInput): NetworkViolation[] {
  const size = input.size ?? DEFAULT_NETWORK_SIZE;
  const memberIds = activeMemberIds(input.memberships, input.now);
  const violations: NetworkViolation[] = [];
  const count = memberIds.length;
  if (count < size.min)
    violations.push({
      code: 'too_few_members',
      memberCount: count,
      min: size.min,
      message: text(
        `Netværket har ${count} medlemmer; det skal have mindst ${size.min}.`,
        `The network has ${count} members; it needs at least ${size.min}.`,
      ),
    });
  if (count > size.max)
    violations.push({
      code: 'too_many_members',
      memberCount: count,
      max: size.max,
      message: text(
        `Netværket har ${count} medlemmer; det må højst have ${size.max}.`,
        `The network has ${count} members; it may have at most ${size.max}.`,
      ),
    });

  const status = charterStatus({
    versions: input.charterVersions,
    memberships: input.memberships,
    acceptances: input.acceptances,
    now: input.now,
  });
  if (!status.inForce)
    violations.push({
      code: 'charter_not_in_force',
      version: status.version,
      awaitingAcceptance: status.awaitingAcceptance,
      message:
        status.version === null
          ? text('Netværket har ingen kontrakt endnu.', 'The network has no charter yet.')
          : text(
              `Kontrakten (version ${status.version}) er ikke i kraft: ${status.awaitingAcceptance.length} aktive medlemmer har ikke accepteret den.`,
              `The charter (version ${status.version}) is not in force: ${status.awaitingAcceptance.length} active members have not accepted it.`,
            ),
    });
  const latest = latestCharterVersion(input.charterVersions);
  if (latest !== null && !hasNonSocialGoal(latest.charter))
    violations.push({
      code: 'no_non_social_goal',
      message: text(
        'Formålet skal altid være mere end socialt: kontrakten mangler et mål, der ikke er socialt.',
        'The purpose must always be more than social: the charter lacks a goal that is not social.',
      ),
    });
  if (latest !== null && !hasConfidentialityRule(latest.charter))
    violations.push({
      code: 'confidentiality_rule_missing',
      message: text(
        'Kontrakten mangler reglen om fortrolighed, som altid skal være der.',
        'The charter lacks the confidentiality rule, which must always be there.',
      ),
    });

  const subjects = memberIds.map(
    (id) => input.leaders.find((l) => l.id === id) ?? { id, managerId: null, exclusions: [] },
  );
  const conflicts = findConflicts(subjects);
  for (const kind of ['manager_report', 'exclusion'] as const)
    for (const conflict of conflicts.filter((c) => c.kind === kind))
      violations.push(
        kind === 'manager_report'
          ? {
              code: 'manager_report_pair',
              between: conflict.between,
              message: text(
                'To medlemmer er leder og medarbejder; et fortroligt rum er ikke fortroligt med sin chef i det.',
                'Two members are manager and report; a confidential room is not confidential with your boss in it.',
              ),
            }
          : {
              code: 'exclusion_conflict',
              between: conflict.between,
              message: text(
                'To medlemmer kan ikke være i samme netværk (en fortrolig undtagelse).',
                'Two members cannot be in the same network (a confidential exclusion).',
              ),
            },
      );
  return violations;
}

/** The refusal to start a network: every violation that stands in the way. */
export interface NetworkNotReady {
  readonly code: 'network_not_ready';
  readonly violations: readonly NetworkViolation[];
}

/**
 * Whether a network may start (e.g. enter its trial) at `now`: only when `checkNetwork` finds
 * nothing. In particular a network cannot start below its minimum size.
 */
export function canStartNetwork(input: NetworkCheckInput): Result<true, NetworkNotReady> {
  const violations = checkNetwork(input);
  return violations.length === 0 ? ok(true) : err({ code: 'network_not_ready', violations });
}
