/**
 * Who does what at each meeting. The seed: "Skal der være en, der er tovholder for netværket?
 * Aftal, hvem der gør hvad – fx koordinerer datoer, sørger for mødested og dagsorden. Det behøver
 * ikke at være den samme hver gang, og det kan også være en udefrakommende." Four roles are filled
 * for every meeting (product rules), each by the policy the network agreed: rotation among members
 * (fair: fewest past turns first), a fixed member, or (for the facilitator only) an outsider.
 */
import type { LeaderId } from './leader.js';
import { compareIds } from './network-membership.js';
import { FieldReader } from './parse.js';
import { err, ok, type Result } from './result.js';
import { type LocalizedText, text } from './text.js';
import type { ValidationFailure } from './validation.js';

/** The roles of a meeting, in the order they are assigned. */
export const MEETING_ROLES = ['coordinator', 'host', 'agenda_owner', 'facilitator'] as const;
export type MeetingRole = (typeof MEETING_ROLES)[number];
export const MEETING_ROLE_LABELS: Readonly<Record<MeetingRole, LocalizedText>> = {
  coordinator: text('Tovholder (koordinerer datoer)', 'Coordinator (dates)'),
  host: text('Vært (mødested)', 'Host (meeting place)'),
  agenda_owner: text('Ansvarlig for dagsorden', 'Agenda owner'),
  facilitator: text('Facilitator', 'Facilitator'),
};

/**
 * How a role is filled. `external` is allowed for the facilitator only: the seed's outsider leads
 * the network ("det kan også være en udefrakommende"), while dates, the meeting place and the
 * agenda are the members' own business (an outside host or agenda owner would take the network
 * out of the members' hands).
 */
export type RolePolicy =
  | { readonly kind: 'rotating' }
  | { readonly kind: 'fixed'; readonly memberId: LeaderId }
  | { readonly kind: 'external'; readonly name: string };

export type RolesPolicy = Readonly<Record<MeetingRole, RolePolicy>>;

/** Default: every role rotates. Source: the seed ("Det behøver ikke at være den samme hver gang"). */
export const DEFAULT_ROLES_POLICY: RolesPolicy = {
  coordinator: { kind: 'rotating' },
  host: { kind: 'rotating' },
  agenda_owner: { kind: 'rotating' },
  facilitator: { kind: 'rotating' },
};

/**
 * Validates a roles policy: an object with an optional policy per role (missing roles rotate).
 * `memberIds`, when given, are the network's active members: a fixed holder must be one of them.
 * An external holder is allowed for the facilitator only. Never throws.
 */
export function parseRolesPolicy(
  input: unknown,
  memberIds?: readonly LeaderId[],
): Result<RolesPolicy, ValidationFailure> {
  const r = new FieldReader(input);
  r.rejectUnknown(MEETING_ROLES);
  const policy: Record<MeetingRole, RolePolicy> = { ...DEFAULT_ROLES_POLICY };
  for (const role of MEETING_ROLES) {
    if (!r.has(role)) continue;
    const p = new FieldReader(r.raw(role), r.childPath(role), r.issues);
    const kind = p.oneOf(
      'kind',
      role === 'facilitator'
        ? (['rotating', 'fixed', 'external'] as const)
        : (['rotating', 'fixed'] as const),
    );
    if (kind === 'rotating') p.rejectUnknown(['kind']);
    if (kind === 'fixed') {
      p.rejectUnknown(['kind', 'memberId']);
      const memberId = p.string('memberId', { max: 100 });
      if (memberId !== undefined && memberIds !== undefined && !memberIds.includes(memberId))
        p.fail('memberId', 'invalid_reference', 'an active member of the network');
      else if (memberId !== undefined) policy[role] = { kind, memberId };
    }
    if (kind === 'external') {
      p.rejectUnknown(['kind', 'name']);
      const name = p.string('name', { max: 200 });
      if (name !== undefined) policy[role] = { kind, name };
    }
  }
  if (r.issues.length > 0) return err({ code: 'validation_failed', issues: r.issues });
  return ok(policy);
}

/** One past turn in a role: who held it at which meeting. */
export interface RoleTurn {
  readonly meetingSequence: number;
  readonly role: MeetingRole;
  readonly memberId: LeaderId;
}

/** Who holds a role: a member, or the agreed outsider. */
export type RoleHolder =
  | { readonly kind: 'member'; readonly memberId: LeaderId }
  | { readonly kind: 'external'; readonly name: string };

/**
 * Why a role went to its holder: `rotation` (fewest turns), `fixed` (the agreed member),
 * `fixed_unavailable_rotation` (the agreed member cancelled or left, so rotation filled in),
 * `external` (the agreed outsider), `unfilled` (no member is available).
 */
export type RoleAssignmentBasis =
  | 'rotation'
  | 'fixed'
  | 'fixed_unavailable_rotation'
  | 'external'
  | 'unfilled';

/** One role of one meeting, with its holder and why. */
export interface RoleAssignment {
  readonly role: MeetingRole;
  readonly holder: RoleHolder | null;
  readonly basis: RoleAssignmentBasis;
  /** For a rotation: the holder's turns in this role before this meeting, and their last turn (null: never). */
  readonly turnsBefore: number | null;
  readonly lastTurn: number | null;
  readonly explanation: LocalizedText;
}

/** What `assignRoles` reads. */
export interface RoleAssignmentInput {
  readonly policy: RolesPolicy;
  /** The network's active members. */
  readonly memberIds: readonly LeaderId[];
  /** Members who cancelled (gave afbud) for this meeting: they are skipped. */
  readonly unavailable: readonly LeaderId[];
  /** Every past turn (any order); turns of other meetings count, not of this one. */
  readonly history: readonly RoleTurn[];
  readonly meetingSequence: number;
}

interface Candidate {
  readonly memberId: LeaderId;
  readonly turns: number;
  /** Past turns in any role: spreads the work when the role's own counts tie. */
  readonly totalTurns: number;
  readonly lastTurn: number | null;
}

/**
 * Fills every role of one meeting. Fixed and external roles go to their holder (a fixed member who
 * is unavailable or no longer a member is replaced by rotation). Rotating roles are filled in
 * MEETING_ROLES order from the available members (active, not cancelled), ordered by:
 * 1. fewest past turns in this role (fairness: this keeps turn counts among always-available
 *    members within 1 of each other);
 * 2. among those, members who hold no other role at this meeting first (one role each when
 *    possible, never at the cost of rule 1);
 * 3. fewest past turns in any role (spreads the work across roles);
 * 4. earliest last turn in this role (never held it comes first);
 * 5. member id (a stable final tie-break).
 * Deterministic: the same input gives the same assignments. Never throws.
 */
export function assignRoles(input: RoleAssignmentInput): RoleAssignment[] {
  const unavailable = new Set(input.unavailable);
  const available = [...new Set(input.memberIds)].filter((id) => !unavailable.has(id)).sort(compareIds);
  const past = input.history.filter((t) => t.meetingSequence !== input.meetingSequence);
  const holding = new Map<LeaderId, number>();
  const hold = (id: LeaderId) => holding.set(id, (holding.get(id) ?? 0) + 1);
  const assignments = new Map<MeetingRole, RoleAssignment>();

  // Fixed and external holders first, so rotation knows who already has a role.
  for (const role of MEETING_ROLES) {
    const policy = input.policy[role];
    if (policy.kind === 'external')
      assignments.set(role, {
        role,
        holder: { kind: 'external', name: policy.name },
        basis: 'external',
        turnsBefore: null,
        lastTurn: null,
        explanation: text(
          `Netværket har aftalt en ekstern ${MEETING_ROLE_LABELS[role].da.toLowerCase()}: ${policy.name}.`,
          `The network agreed on an external ${MEETING_ROLE_LABELS[role].en.toLowerCase()}: ${policy.name}.`,
        ),
      });
    if (policy.kind === 'fixed' && available.includes(policy.memberId)) {
      hold(policy.memberId);
      assignments.set(role, {
        role,
        holder: { kind: 'member', memberId: policy.memberId },
        basis: 'fixed',
        turnsBefore: null,
        lastTurn: null,
        explanation: text(
          'Netværket har aftalt, at dette medlem altid har rollen.',
          'The network agreed that this member always holds the role.',
        ),
      });
    }
  }

  for (const role of MEETING_ROLES) {
    if (assignments.has(role)) continue;
    const fixedAway = input.policy[role].kind === 'fixed';
    const candidates: Candidate[] = available.map((memberId) => {
      const turns = past.filter((t) => t.role === role && t.memberId === memberId);
      const lastTurn = turns.length === 0 ? null : Math.max(...turns.map((t) => t.meetingSequence));
      const totalTurns = past.filter((t) => t.memberId === memberId).length;
      return { memberId, turns: turns.length, totalTurns, lastTurn };
    });
    const pick = candidates.sort((a, b) => compareCandidates(a, b, holding))[0];
    if (pick === undefined) {
      assignments.set(role, {
        role,
        holder: null,
        basis: 'unfilled',
        turnsBefore: null,
        lastTurn: null,
        explanation: text(
          'Ingen medlemmer er til rådighed til rollen ved dette møde.',
          'No member is available for the role at this meeting.',
        ),
      });
      continue;
    }
    hold(pick.memberId);
    const fewest = text(
      `Færrest tidligere ture i rollen (${pick.turns}) blandt de ${available.length} medlemmer, der kan deltage; ${pick.lastTurn === null ? 'har ikke haft rollen før' : `havde den sidst ved møde ${pick.lastTurn}`}; tidligere ture i alle roller: ${pick.totalTurns}.`,
      `Fewest past turns in the role (${pick.turns}) among the ${available.length} members who can attend; ${pick.lastTurn === null ? 'has not held it before' : `last held it at meeting ${pick.lastTurn}`}; earlier turns in any role: ${pick.totalTurns}.`,
    );
    assignments.set(role, {
      role,
      holder: { kind: 'member', memberId: pick.memberId },
      basis: fixedAway ? 'fixed_unavailable_rotation' : 'rotation',
      turnsBefore: pick.turns,
      lastTurn: pick.lastTurn,
      explanation: fixedAway
        ? text(
            `Det aftalte medlem kan ikke deltage, så rollen går på skift. ${fewest.da}`,
            `The agreed member cannot attend, so the role rotates. ${fewest.en}`,
          )
        : fewest,
    });
  }
  return MEETING_ROLES.map((role) => assignments.get(role)!);
}

/** Sorts "never held the role" before any meeting (sequences are ≥ 0). */
const NEVER = -1;

function compareCandidates(a: Candidate, b: Candidate, holding: ReadonlyMap<LeaderId, number>): number {
  return (
    a.turns - b.turns ||
    (holding.get(a.memberId) ?? 0) - (holding.get(b.memberId) ?? 0) ||
    a.totalTurns - b.totalTurns ||
    (a.lastTurn ?? NEVER) - (b.lastTurn ?? NEVER) ||
    compareIds(a.memberId, b.memberId)
  );
}

/** The turns of one meeting's assignments, to append to the history once the meeting is planned. */
export function turnsOf(meetingSequence: number, assignments: readonly RoleAssignment[]): RoleTurn[] {
  return assignments.flatMap((a) =>
    a.holder?.kind === 'member' ? [{ meetingSequence, role: a.role, memberId: a.holder.memberId }] : [],
  );
}
