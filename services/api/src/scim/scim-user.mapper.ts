/**
 * A Sparring leader as a SCIM User (RFC 7643 §4.1) and back. One address serves as both
 * `userName` and the primary work email (the leader's sign-in address, stored lower-cased and
 * unique in the tenant); `displayName` and `name.formatted` are the leader's name; `active` is
 * "not deactivated"; the enterprise extension carries `organization` and `manager` (a leader id);
 * Sparring's leader extension carries the profile fields SCIM has no attribute for.
 */
import {
  type LEADERSHIP_LEVELS,
  type LeaderProfile,
  MEETING_FORMATS,
  MOTIVATIONS,
  TIME_SLOTS,
} from '@sparring/domain';
import type { StoredLeader } from '../leaders/leader.repository.js';
import { ENTERPRISE_USER_SCHEMA, LEADER_EXTENSION_SCHEMA, USER_SCHEMA } from './scim.constants.js';
import { scimError } from './scim-error.js';

/** A leader with what SCIM also shows: whether they are active. */
export interface ScimLeader extends StoredLeader {
  readonly active: boolean;
}

export interface ScimUser {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name: { formatted: string; givenName?: string; familyName?: string };
  displayName: string;
  emails: { value: string; type: 'work'; primary: true }[];
  active: boolean;
  [ENTERPRISE_USER_SCHEMA]: { organization: string; manager?: { value: string; $ref: string } };
  [LEADER_EXTENSION_SCHEMA]: {
    sector: string;
    level: string;
    yearsOfExperience: number;
    region: string;
    languages: string[];
    motivations: string[];
    availability: string[];
    formats: string[];
    preferredCadenceMonths?: number;
  };
  meta: { resourceType: 'User'; created: string; lastModified: string; location: string; version: string };
}

/**
 * The given and family name read from the one stored name: the family name is the last word,
 * the given name the rest (a single word is a given name). Derived, not stored: Sparring keeps
 * one name, and Okta reads `name.givenName` and `name.familyName` back after a create.
 */
export function splitName(name: string): { givenName?: string; familyName?: string } {
  const words = name.trim().split(/\s+/);
  if (words.length < 2) return { givenName: name.trim() };
  return { givenName: words.slice(0, -1).join(' '), familyName: words.at(-1)! };
}

/** The weak ETag / meta.version of a leader version (RFC 7644 §3.14). */
export const scimVersion = (version: number) => `W/"${version}"`;

export function toScimUser(leader: ScimLeader, baseUrl: string): ScimUser {
  const location = `${baseUrl}/Users/${leader.id}`;
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, LEADER_EXTENSION_SCHEMA],
    id: leader.id,
    ...(leader.externalId ? { externalId: leader.externalId } : {}),
    userName: leader.email,
    name: { formatted: leader.name, ...splitName(leader.name) },
    displayName: leader.name,
    emails: [{ value: leader.email, type: 'work', primary: true }],
    active: leader.active,
    [ENTERPRISE_USER_SCHEMA]: {
      organization: leader.organisation,
      ...(leader.managerId
        ? { manager: { value: leader.managerId, $ref: `${baseUrl}/Users/${leader.managerId}` } }
        : {}),
    },
    [LEADER_EXTENSION_SCHEMA]: {
      sector: leader.sector,
      level: leader.level,
      yearsOfExperience: leader.yearsOfExperience,
      region: leader.region,
      languages: [...leader.languages],
      motivations: [...leader.motivations],
      availability: [...leader.availability],
      formats: [...leader.formats],
      ...(leader.preferredCadenceMonths !== null
        ? { preferredCadenceMonths: leader.preferredCadenceMonths }
        : {}),
    },
    meta: {
      resourceType: 'User',
      created: leader.createdAt.toISOString(),
      lastModified: leader.updatedAt.toISOString(),
      location,
      version: scimVersion(leader.version),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading what a client sent
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalidValue = (detail: string) => scimError(400, 'invalidValue', detail);

/** An attribute by name, case-insensitively (RFC 7643 §2.1: attribute names are case-insensitive). */
function attr(obj: Json | undefined, name: string): unknown {
  if (!obj) return undefined;
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function optionalString(obj: Json | undefined, name: string, label = name): string | undefined {
  const v = attr(obj, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidValue(`${label} must be a string`);
  return v;
}

/**
 * A SCIM boolean. Entra ID sends `"True"`/`"False"` as strings in PATCH (its documented
 * non-compliance before the aadOptscim062020 flag), so those are read as booleans too.
 */
export function scimBoolean(value: unknown, label: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidValue(`${label} must be true or false`);
}

/**
 * The manager's leader id: `{ value: id }` (RFC 7643 §4.3), a bare id string (what Entra ID
 * sends), or a one-element array of either (older Entra payloads). null, "" or `{}` clear it.
 */
function managerIdOf(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  // Ids are UUIDs, stored lower-case; a client may send them in capitals.
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    if (value.length === 1) return managerIdOf(value[0]);
    throw invalidValue('manager is a single value');
  }
  if (isObject(value)) {
    const v = attr(value, 'value');
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'string') return v.toLowerCase();
  }
  throw invalidValue('manager.value must be the SCIM id of another User');
}

/** The email the client means: the primary email, else the work one, else the first. */
function emailOf(resource: Json): string | undefined {
  const emails = attr(resource, 'emails');
  if (emails === undefined || emails === null) return undefined;
  if (!Array.isArray(emails)) throw invalidValue('emails must be a list');
  const objects = emails.filter(isObject);
  const chosen =
    objects.find(
      (e) => attr(e, 'primary') === true || attr(e, 'primary') === 'True' || attr(e, 'primary') === 'true',
    ) ??
    objects.find((e) => String(attr(e, 'type') ?? '').toLowerCase() === 'work') ??
    objects[0];
  return chosen ? optionalString(chosen, 'value', 'emails.value') : undefined;
}

/** The parts of a name a client may send, normalised. */
function nameParts(resource: Json) {
  const name = attr(resource, 'name');
  if (name !== undefined && name !== null && !isObject(name)) throw invalidValue('name must be an object');
  const n = isObject(name) ? name : undefined;
  return {
    displayName: optionalString(resource, 'displayName')?.trim() || undefined,
    formatted: optionalString(n, 'formatted', 'name.formatted')?.trim() || undefined,
    givenName: optionalString(n, 'givenName', 'name.givenName')?.trim() || undefined,
    familyName: optionalString(n, 'familyName', 'name.familyName')?.trim() || undefined,
  };
}

const joinName = (given?: string, family?: string) => [given, family].filter(Boolean).join(' ') || undefined;

/**
 * The name a resource gives: on create the first of displayName, name.formatted, given + family
 * name; on replace the first of these that differs from what the leader had (so a PATCH of
 * `name.familyName` alone renames, and an unchanged displayName does not hide it).
 */
function nameOf(resource: Json, before: ScimUser | undefined): string | undefined {
  const now = nameParts(resource);
  const joined = joinName(now.givenName, now.familyName);
  if (!before) return now.displayName ?? now.formatted ?? joined;
  if (now.displayName !== undefined && now.displayName !== before.displayName) return now.displayName;
  if (now.formatted !== undefined && now.formatted !== before.name.formatted) return now.formatted;
  if (
    (now.givenName !== undefined || now.familyName !== undefined) &&
    (now.givenName !== before.name.givenName || now.familyName !== before.name.familyName)
  )
    return joined;
  return undefined;
}

/** The address a resource gives: userName, or the primary email when only that changed. */
function emailAddressOf(resource: Json, before: ScimUser | undefined): string | undefined {
  const userName = optionalString(resource, 'userName');
  const email = emailOf(resource);
  if (!before) return userName;
  if (userName !== undefined && userName.toLowerCase() !== before.userName) return userName;
  if (email !== undefined && email.toLowerCase() !== before.emails[0]!.value) return email;
  return undefined;
}

/** Sparring's own fields, from the leader extension: present ones only. */
const LEADER_EXTENSION_FIELDS = [
  'sector',
  'level',
  'yearsOfExperience',
  'region',
  'languages',
  'motivations',
  'availability',
  'formats',
  'preferredCadenceMonths',
] as const;

function extensionFields(resource: Json): Partial<Record<(typeof LEADER_EXTENSION_FIELDS)[number], unknown>> {
  const ext = attr(resource, LEADER_EXTENSION_SCHEMA);
  if (ext === undefined || ext === null) return {};
  if (!isObject(ext)) throw invalidValue(`${LEADER_EXTENSION_SCHEMA} must be an object`);
  const out: Record<string, unknown> = {};
  for (const field of LEADER_EXTENSION_FIELDS) {
    const v = attr(ext, field);
    if (v !== undefined) out[field] = v;
  }
  return out;
}

/**
 * Defaults for the profile fields a SCIM client does not send (documented in
 * docs/provisioning.md). A provisioned leader has stated nothing yet, so each set is the least
 * restrictive value (the formation never keeps them out of a network for a wish they never
 * made) and each single value is a neutral one; the leader or the admin states the real ones
 * later (PATCH /v1/leaders/{id}, or the leader extension).
 */
export const SCIM_LEADER_DEFAULTS = {
  /** Free text in Sparring; "unspecified" until stated. */
  sector: 'unspecified',
  /** The middle of the four levels: at most two steps from any other level. */
  level: 'middle',
  /** Nothing stated. */
  yearsOfExperience: 0,
  /** Free text; the work address's region when the client sends one. */
  region: 'unspecified',
  /** Danish: Sparring's networks meet in Danish unless the leader says otherwise (the seed is Danish). */
  languages: ['da'],
  motivations: [...MOTIVATIONS],
  availability: [...TIME_SLOTS],
  formats: [...MEETING_FORMATS],
} as const satisfies Partial<Record<keyof LeaderProfile, unknown>>;

// A compile-time check that the default level is one of the domain's levels.
const _level: (typeof LEADERSHIP_LEVELS)[number] = SCIM_LEADER_DEFAULTS.level;
void _level;

/** The work address's region (RFC 7643 §4.1.2 `addresses`), if the client sends one. */
function regionOf(resource: Json): string | undefined {
  const addresses = attr(resource, 'addresses');
  if (!Array.isArray(addresses)) return undefined;
  const objects = addresses.filter(isObject);
  const chosen =
    objects.find((a) => attr(a, 'primary') === true) ??
    objects.find((a) => String(attr(a, 'type') ?? '').toLowerCase() === 'work') ??
    objects[0];
  const region = chosen ? attr(chosen, 'region') : undefined;
  return typeof region === 'string' && region.trim() ? region.trim() : undefined;
}

/** The primary language subtag of `preferredLanguage` ("da-DK" → "da"), if it has one. */
function languageOf(resource: Json): string | undefined {
  const tag = attr(resource, 'preferredLanguage');
  if (typeof tag !== 'string') return undefined;
  const primary = /^([a-z]{2,3})(?:[-_]|$)/i.exec(tag.trim());
  return primary ? primary[1]!.toLowerCase() : undefined;
}

function requireUserSchema(resource: Json) {
  const schemas = attr(resource, 'schemas');
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === USER_SCHEMA.toLowerCase())
  )
    throw scimError(400, 'invalidSyntax', `schemas must list ${USER_SCHEMA}`);
}

/** What a User body asks for: the leader's profile fields and, if given, `active`. */
export interface ScimUserInput {
  readonly fields: Record<string, unknown>;
  readonly active: boolean | undefined;
}

function activeOf(resource: Json): boolean | undefined {
  const v = attr(resource, 'active');
  return v === undefined || v === null ? undefined : scimBoolean(v, 'active');
}

/** The profile of a User created by POST /Users: what it says, defaults for the rest. */
export function createInput(body: unknown, tenantName: string): ScimUserInput {
  if (!isObject(body)) throw scimError(400, 'invalidSyntax', 'The body must be a SCIM User object');
  requireUserSchema(body);
  const email = emailAddressOf(body, undefined);
  if (email === undefined) throw invalidValue('userName is required');
  const name = nameOf(body, undefined);
  if (name === undefined) throw invalidValue('Give displayName, name.formatted or name.givenName/familyName');
  const enterprise = attr(body, ENTERPRISE_USER_SCHEMA);
  const ent = isObject(enterprise) ? enterprise : undefined;
  const language = languageOf(body);
  const fields: Record<string, unknown> = {
    ...SCIM_LEADER_DEFAULTS,
    languages: language ? [language] : SCIM_LEADER_DEFAULTS.languages,
    region: regionOf(body) ?? SCIM_LEADER_DEFAULTS.region,
    organisation: optionalString(ent, 'organization', 'organization')?.trim() || tenantName,
    ...extensionFields(body),
    name,
    email,
    externalId: optionalString(body, 'externalId') || null,
    managerId: managerIdOf(attr(ent, 'manager') ?? attr(body, 'manager')),
  };
  return { fields, active: activeOf(body) };
}

/**
 * The profile changes of a whole resource replacing `before` (PUT, and the result of a PATCH).
 * The attributes SCIM owns are replaced (absent `externalId` or `manager` clear them);
 * `organization` and Sparring's extension fields keep their value when absent, since the leader
 * needs them and an identity provider usually does not send them.
 */
export function replaceInput(resource: unknown, before: ScimUser): ScimUserInput {
  if (!isObject(resource)) throw scimError(400, 'invalidSyntax', 'The body must be a SCIM User object');
  requireUserSchema(resource);
  const fields: Record<string, unknown> = { ...extensionFields(resource) };
  const name = nameOf(resource, before);
  if (name !== undefined) fields.name = name;
  const email = emailAddressOf(resource, before);
  if (email !== undefined) fields.email = email;
  fields.externalId = optionalString(resource, 'externalId') || null;
  const enterprise = attr(resource, ENTERPRISE_USER_SCHEMA);
  if (enterprise !== undefined && enterprise !== null && !isObject(enterprise))
    throw invalidValue(`${ENTERPRISE_USER_SCHEMA} must be an object`);
  const ent = isObject(enterprise) ? enterprise : undefined;
  const organization = optionalString(ent, 'organization', 'organization')?.trim();
  if (organization) fields.organisation = organization;
  // Older Entra ID jobs patch a bare `manager` path (its compatibility notes): read it too.
  fields.managerId = managerIdOf(attr(resource, 'manager') ?? attr(ent, 'manager'));
  return { fields, active: activeOf(resource) };
}

/** Only the fields whose value differs from the leader's (so an unchanged PUT writes nothing). */
export function changedFields(
  leader: StoredLeader,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const current = (leader as unknown as Record<string, unknown>)[key];
    const same =
      key === 'email' && typeof value === 'string'
        ? value.toLowerCase() === current
        : JSON.stringify(value ?? null) === JSON.stringify(current ?? null);
    if (!same) out[key] = value;
  }
  return out;
}
