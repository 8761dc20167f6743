/**
 * Bulk upsert of leaders keyed by the HR system's own id (`externalId`): an HR platform sends the
 * people it knows, and each becomes a new leader, an update of the leader with that id, or
 * nothing at all when the stored profile already says the same (so sending the same batch again
 * changes nothing). The batch is valid as a whole or not at all: every issue of every item is
 * reported, by index, and nothing is planned.
 */
import {
  LEADER_LIMITS,
  LEADER_PROFILE_FIELDS,
  type Leader,
  type LeaderId,
  type LeaderProfile,
  parseLeaderProfile,
  patchLeaderProfile,
} from './leader.js';
import { FieldReader, isRecord, issue } from './parse.js';
import { err, ok, type Result } from './result.js';
import type { ValidationFailure, ValidationIssue } from './validation.js';

/**
 * At most this many leaders in one batch: SCIM's bulk limit in its own example configuration
 * (RFC 7644 §5, ServiceProviderConfig `bulk.maxOperations`: 1000).
 */
export const LEADER_UPSERT_MAX = 1000;

/** What an item of the batch did. */
export type LeaderUpsertStatus = 'created' | 'updated' | 'unchanged';

/** One item of a valid batch: the leader it names, the profile to store, and what that does. */
export interface LeaderUpsertStep {
  /** The item's position in the batch. */
  readonly index: number;
  /** The HR system's id, trimmed (the key). */
  readonly externalId: string;
  /** The stored leader's id, or the new id for a created one. */
  readonly id: LeaderId;
  readonly status: LeaderUpsertStatus;
  /** The profile to store (for `unchanged`, the stored one as it is). */
  readonly profile: LeaderProfile;
  /** The leader as stored before, or null for a created one. */
  readonly current: Leader | null;
}

/** The fields an item may have: the profile's, and the manager named by the HR system's id. */
export const LEADER_UPSERT_FIELDS = [...LEADER_PROFILE_FIELDS, 'managerExternalId'] as const;

/** Structural equality of two plain values (JSON-like: arrays in order, objects by key). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
}

/** True when two profiles say the same in every field (an absent externalId reads as null). */
export function sameLeaderProfile(a: LeaderProfile, b: LeaderProfile): boolean {
  return LEADER_PROFILE_FIELDS.every((field) => sameValue(a[field] ?? null, b[field] ?? null));
}

/** The profile's issues of one item (each at a field), placed under the item's path (`leaders[3].email`). */
const under = (path: string, issues: readonly ValidationIssue[]) =>
  issues.map((i) => ({ ...i, path: `${path}.${i.path}` }));

/**
 * Plans a batch. `items` is the batch as received; `known` holds the tenant's stored leaders by
 * their externalId, at least every one an item names (as its own `externalId` or its
 * `managerExternalId`); `newId` gives the id of each leader to create.
 *
 * Rules: 1 to LEADER_UPSERT_MAX items; each has an `externalId`, and no two the same; an item for
 * a known leader is a partial update (absent fields keep their value, `null` clears an optional
 * one, as on a single update), any other item a complete new profile; `managerExternalId` names
 * the manager by the HR system's id (a leader of the batch or a stored one) instead of by
 * `managerId`, not both; no two leaders of the batch end up with the same email. Never throws:
 * every issue of every item is in the failure.
 */
export function planLeaderUpsert(
  items: unknown,
  known: ReadonlyMap<string, Leader>,
  newId: () => LeaderId,
): Result<readonly LeaderUpsertStep[], ValidationFailure> {
  if (!Array.isArray(items))
    return err({ code: 'validation_failed', issues: [issue('leaders', 'wrong_type', 'array')] });
  if (items.length < 1 || items.length > LEADER_UPSERT_MAX) {
    const code = items.length < 1 ? 'too_short' : 'too_long';
    return err({
      code: 'validation_failed',
      issues: [issue('leaders', code, String(items.length < 1 ? 1 : LEADER_UPSERT_MAX))],
    });
  }
  // Each item's issues apart, so the failure lists them in the batch's order.
  const issuesOf: ValidationIssue[][] = items.map(() => []);
  // Pass 1: the keys, each once, and the id each names (known, or new).
  const byKey = new Map<string, { index: number; id: LeaderId }>();
  const keys: (string | undefined)[] = items.map((item, index) => {
    const path = `leaders[${index}]`;
    if (!isRecord(item)) return void issuesOf[index]!.push(issue(path, 'wrong_type', 'object'));
    const r = new FieldReader(item, path, issuesOf[index]);
    const key = r.string('externalId', { max: LEADER_LIMITS.externalIdMax });
    if (key === undefined) return undefined;
    const first = byKey.get(key);
    if (first) {
      r.fail('externalId', 'duplicate', `${key} (also leaders[${first.index}])`);
      return undefined;
    }
    byKey.set(key, { index, id: known.get(key)?.id ?? newId() });
    return key;
  });
  // Pass 2: each item's profile, with its manager resolved.
  const steps: LeaderUpsertStep[] = [];
  const emails = new Map<string, number>();
  items.forEach((item, index) => {
    const key = keys[index];
    if (key === undefined) return;
    const path = `leaders[${index}]`;
    const { managerExternalId: _, ...input } = item as Record<string, unknown>;
    const r = new FieldReader(item, path, issuesOf[index]);
    const managerKey = r.string('managerExternalId', { optional: true, max: LEADER_LIMITS.externalIdMax });
    if (r.has('managerExternalId') && r.has('managerId')) {
      r.fail('managerExternalId', 'not_allowed', 'managerId or managerExternalId, not both');
    } else if (managerKey !== undefined && managerKey !== '') {
      const managerId = byKey.get(managerKey)?.id ?? known.get(managerKey)?.id;
      if (managerId === undefined)
        r.fail('managerExternalId', 'invalid_reference', `no leader with externalId ${managerKey}`);
      else input.managerId = managerId;
    } else if (r.has('managerExternalId')) {
      input.managerId = null; // '' or null clears the manager, as managerId's own null does
    }
    const { id } = byKey.get(key)!;
    const current = known.get(key) ?? null;
    const parsed = current ? patchLeaderProfile(current, input, id) : parseLeaderProfile(input, id);
    if (!parsed.ok) {
      issuesOf[index]!.push(...under(path, parsed.error.issues));
      return;
    }
    const profile = parsed.value;
    const sameEmail = emails.get(profile.email);
    if (sameEmail !== undefined) {
      issuesOf[index]!.push(
        issue(`${path}.email`, 'duplicate', `${profile.email} (also leaders[${sameEmail}])`),
      );
      return;
    }
    emails.set(profile.email, index);
    const status =
      current === null ? 'created' : sameLeaderProfile(current, profile) ? 'unchanged' : 'updated';
    steps.push({ index, externalId: key, id, status, profile, current });
  });
  const issues = issuesOf.flat();
  if (issues.length > 0) return err({ code: 'validation_failed', issues });
  return ok(steps);
}
