/**
 * The leader profile (product rules): what a leader states before joining a network. The seed's
 * first step: "Hvad vil du gerne have ud af netværket? … hvem vil du gerne netværke med?"
 */
import { FieldReader } from './parse.js';
import { err, ok, type Result } from './result.js';
import type { ValidationFailure } from './validation.js';
import {
  CADENCES_IN_MONTHS,
  type CadenceInMonths,
  LEADERSHIP_LEVELS,
  type LeadershipLevel,
  MEETING_FORMATS,
  type MeetingFormat,
  MOTIVATIONS,
  type Motivation,
  SAMENESS_PREFERENCES,
  type SamenessDimension,
  type SamenessPreference,
  TIME_SLOTS,
  type TimeSlot,
} from './vocabulary.js';

/** A leader's id, as assigned by whoever stores leaders (the service uses UUIDs). */
export type LeaderId = string;

/** What a leader states about themselves and the network they want. */
export interface LeaderProfile {
  readonly name: string;
  readonly email: string;
  readonly sector: string;
  readonly organisation: string;
  readonly level: LeadershipLevel;
  readonly yearsOfExperience: number;
  readonly region: string;
  /** Languages the leader can hold a network meeting in (e.g. "da", "en"). */
  readonly languages: readonly string[];
  readonly motivations: readonly Motivation[];
  readonly availability: readonly TimeSlot[];
  readonly formats: readonly MeetingFormat[];
  readonly preferredCadenceMonths: CadenceInMonths | null;
  /** The leader's own manager, for the conflict-of-interest rule. */
  readonly managerId: LeaderId | null;
  /** Private: "not in a network with these people". Never revealed to anyone but the tenant's admin. */
  readonly exclusions: readonly LeaderId[];
  readonly sameness: Readonly<Record<SamenessDimension, SamenessPreference>>;
  /**
   * The HR system's own id for this person (SCIM's `externalId`, RFC 7643 §3.1): unique in the
   * tenant, set by the HR platform, never interpreted here. Absent or null when HR has none.
   */
  readonly externalId?: string | null;
}

/** A stored leader: a profile with its id. */
export interface Leader extends LeaderProfile {
  readonly id: LeaderId;
}

/** Limits on the profile's fields. */
export const LEADER_LIMITS = {
  nameMax: 200,
  emailMax: 320, // RFC 5321: 64 + 1 + 255
  textMax: 200,
  yearsOfExperienceMax: 60,
  languagesMax: 10,
  exclusionsMax: 500,
  /** An HR system's id: 255 characters holds every id scheme we know of (UUIDs, Entra object ids, DNs). */
  externalIdMax: 255,
} as const;

/** A pragmatic email shape (one @, a dot in the domain, no spaces); the HR platform owns verification. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The fields a profile may have; anything else is rejected (no mass assignment). */
export const LEADER_PROFILE_FIELDS = [
  'name',
  'email',
  'sector',
  'organisation',
  'level',
  'yearsOfExperience',
  'region',
  'languages',
  'motivations',
  'availability',
  'formats',
  'preferredCadenceMonths',
  'managerId',
  'exclusions',
  'sameness',
  'externalId',
] as const;

const DEFAULT_SAMENESS: Readonly<Record<SamenessDimension, SamenessPreference>> = {
  sector: 'no_preference',
  experience: 'no_preference',
  organisation: 'no_preference',
};

/**
 * Validates a leader profile. `selfId`, when given, is the leader's own id: a leader cannot be
 * their own manager nor exclude themselves. Returns every issue found; never throws.
 */
export function parseLeaderProfile(
  input: unknown,
  selfId?: LeaderId,
): Result<LeaderProfile, ValidationFailure> {
  const r = new FieldReader(input);
  r.rejectUnknown(LEADER_PROFILE_FIELDS);
  const name = r.string('name', { max: LEADER_LIMITS.nameMax });
  const email = r.string('email', { max: LEADER_LIMITS.emailMax, pattern: [EMAIL_PATTERN, 'email address'] });
  const sector = r.string('sector', { max: LEADER_LIMITS.textMax });
  const organisation = r.string('organisation', { max: LEADER_LIMITS.textMax });
  const level = r.oneOf('level', LEADERSHIP_LEVELS);
  const yearsOfExperience = r.number('yearsOfExperience', {
    min: 0,
    max: LEADER_LIMITS.yearsOfExperienceMax,
    integer: true,
  });
  const region = r.string('region', { max: LEADER_LIMITS.textMax });
  const languages = r.stringSet('languages', { min: 1, max: LEADER_LIMITS.languagesMax, itemMax: 35 });
  const motivations = r.setOf('motivations', MOTIVATIONS, { min: 1 });
  const availability = r.setOf('availability', TIME_SLOTS, { min: 1 });
  const formats = r.setOf('formats', MEETING_FORMATS, { min: 1 });
  const preferredCadenceMonths =
    r.oneOf('preferredCadenceMonths', CADENCES_IN_MONTHS, { optional: true }) ?? null;
  const managerId = r.string('managerId', { optional: true, max: 100 }) || null;
  const exclusions =
    r.stringSet('exclusions', { optional: true, max: LEADER_LIMITS.exclusionsMax, itemMax: 100 }) ?? [];
  const externalId = r.string('externalId', { optional: true, max: LEADER_LIMITS.externalIdMax }) || null;
  let sameness = DEFAULT_SAMENESS;
  if (r.has('sameness')) {
    const s = new FieldReader(r.raw('sameness'), r.childPath('sameness'), r.issues);
    s.rejectUnknown(Object.keys(DEFAULT_SAMENESS));
    sameness = {
      sector: s.oneOf('sector', SAMENESS_PREFERENCES, { optional: true }) ?? 'no_preference',
      experience: s.oneOf('experience', SAMENESS_PREFERENCES, { optional: true }) ?? 'no_preference',
      organisation: s.oneOf('organisation', SAMENESS_PREFERENCES, { optional: true }) ?? 'no_preference',
    };
  }
  if (selfId !== undefined) {
    if (managerId === selfId)
      r.fail('managerId', 'invalid_reference', 'a leader cannot be their own manager');
    if (exclusions.includes(selfId))
      r.fail('exclusions', 'invalid_reference', 'a leader cannot exclude themselves');
  }
  if (r.issues.length > 0) return err({ code: 'validation_failed', issues: r.issues });
  return ok({
    name: name!,
    email: email!.toLowerCase(),
    sector: sector!,
    organisation: organisation!,
    level: level!,
    yearsOfExperience: yearsOfExperience!,
    region: region!,
    languages: languages!,
    motivations: motivations!,
    availability: availability!,
    formats: formats!,
    preferredCadenceMonths,
    managerId,
    exclusions,
    sameness,
    externalId,
  });
}

/**
 * Applies a partial update (PATCH semantics: absent fields keep their value, `null` clears an
 * optional field) and validates the result as a whole.
 */
export function patchLeaderProfile(
  current: LeaderProfile,
  patch: unknown,
  selfId?: LeaderId,
): Result<LeaderProfile, ValidationFailure> {
  const r = new FieldReader(patch);
  r.rejectUnknown(LEADER_PROFILE_FIELDS);
  if (r.issues.length > 0) return err({ code: 'validation_failed', issues: r.issues });
  const merged: Record<string, unknown> = {};
  for (const field of LEADER_PROFILE_FIELDS) merged[field] = current[field];
  Object.assign(merged, patch);
  if (merged.sameness !== undefined && (patch as Record<string, unknown>).sameness !== undefined) {
    merged.sameness = { ...current.sameness, ...((patch as Record<string, unknown>).sameness as object) };
  }
  return parseLeaderProfile(merged, selfId);
}

/**
 * Experience bands, for the "same experience" preference and the composition criterion. Bands
 * widen with seniority because a year matters more early in a career; the cut points follow the
 * common split of leadership-development programmes (new: < 3 years, established: 3–9,
 * experienced: 10–19, veteran: 20+).
 */
export const EXPERIENCE_BANDS = ['new', 'established', 'experienced', 'veteran'] as const;
export type ExperienceBand = (typeof EXPERIENCE_BANDS)[number];

/** The experience band of a number of years in leadership. */
export function experienceBand(yearsOfExperience: number): ExperienceBand {
  if (yearsOfExperience < 3) return 'new';
  if (yearsOfExperience < 10) return 'established';
  if (yearsOfExperience < 20) return 'experienced';
  return 'veteran';
}
