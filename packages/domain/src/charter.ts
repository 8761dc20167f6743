/**
 * The charter (kontrakt): what a network agrees it is for and how it behaves. The seed: "Det er
 * vigtigt, at I er enige om formålet, og det er en god idé at skrive det ned i en 'kontrakt'", and
 * "formålet skal altid være mere end socialt". Confidentiality is a ground rule of every charter
 * (product rules: "a confidential room").
 *
 * A charter has versions (a new one after e.g. an adjusting review), and each member accepts a
 * version. A version is in force only when every ACTIVE member has accepted it. All functions are
 * pure over plain data; instants are arguments.
 */
// The default notice (48 h, product rules) has one home: the attendance rules that read it.
import { DEFAULT_CANCELLATION_NOTICE_HOURS } from './attendance.js';
import type { LeaderId } from './leader.js';
import { activeMemberships, compareIds, type NetworkMembership } from './network-membership.js';
import { FieldReader, issue } from './parse.js';
import { err, ok, type Result } from './result.js';
import { type LocalizedText, text } from './text.js';
import type { ValidationFailure } from './validation.js';
import { FOCUS_AREAS, type FocusArea } from './vocabulary.js';

/** One goal of the network, in one of the focus-area categories. */
export interface CharterGoal {
  readonly category: FocusArea;
  readonly description: string;
}

/** The kinds of ground rule. Confidentiality and the cancellation notice appear exactly once. */
export const GROUND_RULE_KINDS = ['confidentiality', 'cancellation_notice', 'custom'] as const;
export type GroundRuleKind = (typeof GROUND_RULE_KINDS)[number];

/** A ground rule of the charter. */
export type GroundRule =
  | { readonly kind: 'confidentiality'; readonly text: LocalizedText }
  | { readonly kind: 'cancellation_notice'; readonly hours: number }
  | { readonly kind: 'custom'; readonly text: string };

/**
 * A valid charter. Promises (kept by `parseCharter`): at least one goal is not `social`; the
 * ground rules start with confidentiality, then the cancellation notice, then custom rules.
 */
export interface Charter {
  readonly purpose: string;
  readonly goals: readonly CharterGoal[];
  readonly groundRules: readonly GroundRule[];
}

/** The wording of the confidentiality rule: the seed's "fortroligt rum" made explicit. */
export const CONFIDENTIALITY_RULE_TEXT: LocalizedText = text(
  'Det, der bliver sagt i netværket, bliver i netværket.',
  'What is said in the network stays in the network.',
);

/** Limits on a charter's fields (ours: long enough for a real kontrakt, short enough to be read). */
export const CHARTER_LIMITS = {
  purposeMax: 2000,
  goalsMax: 10,
  goalDescriptionMax: 500,
  customRulesMax: 20,
  customRuleMax: 500,
  /** Two weeks: a longer notice is no longer a cancellation rule but a planning horizon. */
  cancellationNoticeHoursMax: 14 * 24,
} as const;

/** The fields a charter input may have; anything else is rejected. */
export const CHARTER_FIELDS = ['purpose', 'goals', 'groundRules'] as const;

/** True when a goal category is more than social (the seed's rule reads each goal's category). */
export const isNonSocialGoal = (goal: Pick<CharterGoal, 'category'>): boolean => goal.category !== 'social';

const moreThanSocialIssue = {
  path: 'goals',
  code: 'not_allowed',
  message: text(
    'Formålet skal altid være mere end socialt: mindst ét mål skal have en anden kategori end "socialt".',
    'The purpose must always be more than social: at least one goal must have a category other than "social".',
  ),
} as const;

/**
 * Validates a charter. Input: `purpose` (text), `goals` (1–10 of `{ category, description }`,
 * category from FOCUS_AREAS), optional `groundRules` (a list of `{ kind: 'confidentiality' }`,
 * `{ kind: 'cancellation_notice', hours }`, `{ kind: 'custom', text }`).
 *
 * Rules: at least one goal is not `social`; confidentiality is always a ground rule (added when
 * missing; it cannot be removed, and its wording is fixed); the cancellation notice is added with
 * the default 48 h when missing; at most one of each. Returns every issue; never throws.
 */
export function parseCharter(input: unknown): Result<Charter, ValidationFailure> {
  const r = new FieldReader(input);
  r.rejectUnknown(CHARTER_FIELDS);
  const purpose = r.string('purpose', { max: CHARTER_LIMITS.purposeMax });
  const goals = r.array('goals', { min: 1, max: CHARTER_LIMITS.goalsMax }, (item, path) => {
    const g = new FieldReader(item, path, r.issues);
    g.rejectUnknown(['category', 'description']);
    const category = g.oneOf('category', FOCUS_AREAS);
    const description = g.string('description', { max: CHARTER_LIMITS.goalDescriptionMax });
    return category && description ? { category, description } : undefined;
  });
  if (goals && !goals.some(isNonSocialGoal)) r.issues.push(moreThanSocialIssue);

  let noticeHours: number | undefined;
  const custom: string[] = [];
  const seenKinds = new Set<GroundRuleKind>();
  r.array('groundRules', { optional: true, allowDuplicates: true }, (item, path) => {
    const g = new FieldReader(item, path, r.issues);
    const kind = g.oneOf('kind', GROUND_RULE_KINDS);
    if (kind === undefined) return undefined;
    if (kind !== 'custom' && seenKinds.has(kind)) {
      r.issues.push(issue(`${path}.kind`, 'duplicate', kind));
      return undefined;
    }
    seenKinds.add(kind);
    switch (kind) {
      case 'confidentiality':
        g.rejectUnknown(['kind']);
        return kind;
      case 'cancellation_notice': {
        g.rejectUnknown(['kind', 'hours']);
        noticeHours = g.number('hours', {
          min: 0,
          max: CHARTER_LIMITS.cancellationNoticeHoursMax,
          integer: true,
        });
        return noticeHours === undefined ? undefined : kind;
      }
      case 'custom': {
        g.rejectUnknown(['kind', 'text']);
        const rule = g.string('text', { max: CHARTER_LIMITS.customRuleMax });
        if (rule === undefined) return undefined;
        if (custom.includes(rule)) {
          r.issues.push(issue(`${path}.text`, 'duplicate', rule));
          return undefined;
        }
        custom.push(rule);
        return kind;
      }
    }
  });
  if (custom.length > CHARTER_LIMITS.customRulesMax)
    r.fail('groundRules', 'too_long', `${CHARTER_LIMITS.customRulesMax} custom rules`);

  if (r.issues.length > 0) return err({ code: 'validation_failed', issues: r.issues });
  return ok({
    purpose: purpose!,
    goals: goals!,
    groundRules: [
      { kind: 'confidentiality', text: CONFIDENTIALITY_RULE_TEXT },
      { kind: 'cancellation_notice', hours: noticeHours ?? DEFAULT_CANCELLATION_NOTICE_HOURS },
      ...custom.map((rule) => ({ kind: 'custom' as const, text: rule })),
    ],
  });
}

/**
 * The charter's cancellation notice in hours: its `cancellation_notice` rule, or the default 48 h
 * when a charter built outside `parseCharter` has none.
 */
export function cancellationNoticeHours(charter: Pick<Charter, 'groundRules'>): number {
  for (const rule of charter.groundRules) if (rule.kind === 'cancellation_notice') return rule.hours;
  return DEFAULT_CANCELLATION_NOTICE_HOURS;
}

/** True when the charter holds the confidentiality rule (always, for a parsed charter). */
export const hasConfidentialityRule = (charter: Pick<Charter, 'groundRules'>): boolean =>
  charter.groundRules.some((rule) => rule.kind === 'confidentiality');

/** True when the charter holds at least one goal that is not social (always, for a parsed charter). */
export const hasNonSocialGoal = (charter: Pick<Charter, 'goals'>): boolean =>
  charter.goals.some(isNonSocialGoal);

/** One version of a network's charter. Versions are numbered 1, 2, 3, … */
export interface CharterVersion {
  readonly version: number;
  readonly charter: Charter;
  readonly adoptedAt: Date;
}

/**
 * The next version of a charter: number = latest version + 1 (1 for the first). Adopting a new
 * version means every active member must accept again: acceptances name a version.
 */
export function adoptCharterVersion(
  latest: CharterVersion | null,
  charter: Charter,
  now: Date,
): CharterVersion {
  return { version: (latest?.version ?? 0) + 1, charter, adoptedAt: now };
}

/** The latest of a list of versions (the highest number), or null for none. */
export function latestCharterVersion(versions: readonly CharterVersion[]): CharterVersion | null {
  let latest: CharterVersion | null = null;
  for (const v of versions) if (latest === null || v.version > latest.version) latest = v;
  return latest;
}

/** One member's acceptance of one charter version. */
export interface CharterAcceptance {
  readonly memberId: LeaderId;
  readonly version: number;
  readonly acceptedAt: Date;
}

/** Why an acceptance is refused. */
export type CharterAcceptanceErrorCode = 'not_an_active_member' | 'not_the_latest_version';

export interface CharterAcceptanceError {
  readonly code: CharterAcceptanceErrorCode;
  readonly message: LocalizedText;
}

/**
 * Records that `memberId` accepts `version` at `now`. Only an active member can accept, and only
 * the latest version (accepting an outdated one would not bring the charter into force). Accepting
 * again is idempotent: the list is returned unchanged when the acceptance already counts.
 */
export function acceptCharter(args: {
  readonly latest: CharterVersion;
  readonly version: number;
  readonly memberId: LeaderId;
  readonly memberships: readonly NetworkMembership[];
  readonly acceptances: readonly CharterAcceptance[];
  readonly now: Date;
}): Result<CharterAcceptance[], CharterAcceptanceError> {
  const membership = activeMemberships(args.memberships, args.now).find((m) => m.memberId === args.memberId);
  if (membership === undefined)
    return err({
      code: 'not_an_active_member',
      message: text(
        'Kun aktive medlemmer af netværket kan acceptere kontrakten.',
        'Only active members of the network can accept the charter.',
      ),
    });
  if (args.version !== args.latest.version)
    return err({
      code: 'not_the_latest_version',
      message: text(
        `Kun den nyeste version af kontrakten (version ${args.latest.version}) kan accepteres.`,
        `Only the latest version of the charter (version ${args.latest.version}) can be accepted.`,
      ),
    });
  if (args.acceptances.some((a) => acceptanceCounts(a, membership, args.version)))
    return ok([...args.acceptances]);
  return ok([...args.acceptances, { memberId: args.memberId, version: args.version, acceptedAt: args.now }]);
}

/**
 * An acceptance counts for a member when it names the version and was given during the member's
 * current membership (`acceptedAt ≥ joinedAt`): a leader who leaves and rejoins accepts again.
 */
function acceptanceCounts(a: CharterAcceptance, membership: NetworkMembership, version: number): boolean {
  return (
    a.memberId === membership.memberId &&
    a.version === version &&
    a.acceptedAt.getTime() >= membership.joinedAt.getTime()
  );
}

/** Whether a charter is in force, and if not, why. */
export interface CharterStatus {
  readonly inForce: boolean;
  /** The latest version, or null when the network has no charter yet. */
  readonly version: number | null;
  /** Active members whose acceptance of the latest version is missing, sorted. */
  readonly awaitingAcceptance: readonly LeaderId[];
}

/**
 * The charter's status at `now`. In force ⇔ a latest version exists, the network has at least one
 * active member, and every active member has an acceptance of the latest version given during
 * their current membership. Consequences: a member who joins must accept before the charter is
 * in force again; a member who has left is no longer needed; a new version needs everyone again.
 */
export function charterStatus(args: {
  readonly versions: readonly CharterVersion[];
  readonly memberships: readonly NetworkMembership[];
  readonly acceptances: readonly CharterAcceptance[];
  readonly now: Date;
}): CharterStatus {
  const latest = latestCharterVersion(args.versions);
  const active = activeMemberships(args.memberships, args.now);
  if (latest === null)
    return { inForce: false, version: null, awaitingAcceptance: active.map((m) => m.memberId) };
  const awaitingAcceptance = active
    .filter((m) => !args.acceptances.some((a) => acceptanceCounts(a, m, latest.version)))
    .map((m) => m.memberId)
    .sort(compareIds);
  return {
    inForce: active.length > 0 && awaitingAcceptance.length === 0,
    version: latest.version,
    awaitingAcceptance,
  };
}

/** True when the latest charter version is accepted by every active member (see `charterStatus`). */
export function isCharterInForce(args: Parameters<typeof charterStatus>[0]): boolean {
  return charterStatus(args).inForce;
}
