/**
 * Conflicts of interest between two leaders: a confidential room is not confidential with your
 * boss in it (product rules), and a leader's private exclusion list is honoured. A conflict is
 * reported as an unordered pair and never says who excluded whom: exclusion lists are private.
 */
import type { Leader, LeaderId } from './leader.js';

/** The part of a leader the conflict rule reads. */
export type ConflictSubject = Pick<Leader, 'id' | 'managerId' | 'exclusions'>;

/** Why two leaders cannot share a network. */
export type ConflictKind = 'manager_report' | 'exclusion';

/** One conflict inside a group: the two ids in sorted order, so the pair reveals no direction. */
export interface Conflict {
  readonly kind: ConflictKind;
  readonly between: readonly [LeaderId, LeaderId];
}

/**
 * The conflict between two leaders, or null. A manager–report pair wins over an exclusion, so
 * the (private) exclusion is not even hinted at when the public reason suffices.
 */
export function conflictBetween(a: ConflictSubject, b: ConflictSubject): ConflictKind | null {
  if (a.id === b.id) return null;
  if (a.managerId === b.id || b.managerId === a.id) return 'manager_report';
  if (a.exclusions.includes(b.id) || b.exclusions.includes(a.id)) return 'exclusion';
  return null;
}

/** Every conflicting pair among `members`, each pair once, in a stable order. */
export function findConflicts(members: readonly ConflictSubject[]): Conflict[] {
  const conflicts: Conflict[] = [];
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const a = members[i]!;
      const b = members[j]!;
      const kind = conflictBetween(a, b);
      if (kind === null) continue;
      const between: [LeaderId, LeaderId] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
      conflicts.push({ kind, between });
    }
  }
  return conflicts.sort(
    (x, y) => x.between[0].localeCompare(y.between[0]) || x.between[1].localeCompare(y.between[1]),
  );
}
