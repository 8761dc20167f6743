/**
 * The SCIM User use cases. Each goes through the leader use cases REST and GraphQL use
 * (createLeader, patchLeader: the domain validates, events are recorded) and the leader
 * lifecycle (deactivate, reactivate, erase); this module only translates SCIM to them.
 *
 * - `active: false` (PUT, or PATCH) → deactivateLeader (from now); `active: true` → reactivateLeader.
 * - DELETE → eraseLeader (GDPR art. 17); the User is gone afterwards (GET is a 404).
 * - An erased leader is not a SCIM User: reads, lists and writes answer 404.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import {
  PATCH_OPERATION_SCHEMA,
  ScimError as ScimPatchError,
  type ScimPatchOperation,
  scimPatch,
} from 'scim-patch';
import type { AdminPrincipal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { ProblemError } from '../errors/problem.js';
import { findLeader, type StoredLeader } from '../leaders/leader.repository.js';
import { createLeader, patchLeader } from '../leaders/leader.service.js';
import {
  deactivateLeader,
  eraseLeader,
  isActiveLeader,
  reactivateLeader,
} from '../leaving/leader-lifecycle.service.js';
import type { EmailChange } from '../members/member-session.service.js';
import { DEFAULT_COUNT, LIST_RESPONSE_SCHEMA, MAX_COUNT } from './scim.constants.js';
import { type ScimType, scimError } from './scim-error.js';
import { filterToWhere } from './scim-filter.js';
import {
  changedFields,
  createInput,
  replaceInput,
  type ScimLeader,
  type ScimUser,
  type ScimUserInput,
  toScimUser,
} from './scim-user.mapper.js';
import { findTenantName, listLeadersByFilter } from './scim-user.repository.js';

type Db = Kysely<Database>;

/** Who is asking, where the service's SCIM base URL is, and where audit lines go. */
export interface ScimCaller {
  readonly db: Db;
  readonly principal: AdminPrincipal;
  /** The absolute base of the SCIM endpoints, e.g. https://sparring.example/scim/v2. */
  readonly baseUrl: string;
  readonly log?: FastifyBaseLogger | undefined;
  /**
   * Checks the client's If-Match against the version the write starts from (412 otherwise); set
   * only when the request has If-Match. Without it a write that loses a race is retried.
   */
  readonly checkVersion?: ((version: number) => void) | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = (id: string) => scimError(404, undefined, `No User with id ${id}`);

const withActive = (leader: StoredLeader, now = new Date()): ScimLeader => ({
  ...leader,
  active: isActiveLeader(leader, now),
});

/** The leader behind a SCIM id: 404 for an id that is not a UUID, unknown, or erased. */
async function loadLeader(caller: ScimCaller, id: string): Promise<StoredLeader> {
  if (!UUID.test(id)) throw notFound(id);
  const leader = await findLeader(caller.db, caller.principal.tenantId, id.toLowerCase());
  if (!leader || leader.erasedAt !== null) throw notFound(id);
  return leader;
}

export async function getScimUser(caller: ScimCaller, id: string): Promise<ScimUser> {
  return toScimUser(withActive(await loadLeader(caller, id)), caller.baseUrl);
}

/** A query parameter that must be an integer when present. */
function integerParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d{1,9}$/.test(value.trim())) throw scimError(400, 'invalidValue', `${name} must be an integer`);
  return Number(value);
}

export interface ListQuery {
  readonly filter?: string | undefined;
  readonly startIndex?: string | undefined;
  readonly count?: string | undefined;
}

/**
 * A page of Users (RFC 7644 §3.4.2): `filter` translated to SQL, `startIndex` 1-based (below 1
 * reads as 1), `count` DEFAULT_COUNT when absent, at most MAX_COUNT, below 0 reads as 0 (then
 * only `totalResults` is of interest). Creation order, so pages do not shift as users change.
 */
export async function listScimUsers(caller: ScimCaller, query: ListQuery) {
  const where =
    query.filter !== undefined && query.filter.trim() !== '' ? filterToWhere(query.filter) : undefined;
  const startIndex = Math.max(1, integerParam(query.startIndex, 'startIndex') ?? 1);
  const count = Math.min(MAX_COUNT, Math.max(0, integerParam(query.count, 'count') ?? DEFAULT_COUNT));
  const page = await listLeadersByFilter(caller.db, caller.principal.tenantId, where, startIndex - 1, count);
  const now = new Date();
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: page.total,
    startIndex,
    itemsPerPage: page.leaders.length,
    Resources: page.leaders.map((l) => toScimUser(withActive(l, now), caller.baseUrl)),
  };
}

/** Applies `active` after the profile: deactivate or reactivate when it changes. */
async function applyActive(caller: ScimCaller, leader: StoredLeader, active: boolean | undefined) {
  if (active === undefined || active === isActiveLeader(leader)) return leader;
  const options = { log: caller.log };
  if (active) return reactivateLeader(caller.db, caller.principal, leader.id, options);
  // Deactivated from a later date (set over /v1) and now `active: false`: the identity provider
  // says the person has left, so the date moves to now (the lifecycle moves a date by
  // reactivating and deactivating again).
  if (leader.deactivatedAt !== null) await reactivateLeader(caller.db, caller.principal, leader.id, options);
  return deactivateLeader(caller.db, caller.principal, leader.id, options);
}

/** POST /Users: a new leader (defaults for the fields SCIM does not carry), deactivated if `active: false`. */
export async function createScimUser(caller: ScimCaller, body: unknown): Promise<ScimUser> {
  const input = createInput(body, await findTenantName(caller.db, caller.principal.tenantId));
  const created = await createLeader(caller.db, caller.principal, input.fields);
  const leader = await applyActive(caller, created, input.active);
  return toScimUser(withActive(leader), caller.baseUrl);
}

export interface WriteResult {
  readonly user: ScimUser;
  /** Set when the sign-in address changed: the caller mails the old address (as REST does). */
  readonly emailChange: EmailChange | null;
}

/** Writes what a replacement resource changes: the profile (if anything differs), then `active`. */
async function write(caller: ScimCaller, current: StoredLeader, input: ScimUserInput): Promise<WriteResult> {
  const changes = changedFields(current, input.fields);
  let leader = current;
  let emailChange: EmailChange | null = null;
  if (Object.keys(changes).length > 0) {
    const result = await patchLeader(caller.db, caller.principal, current.id, changes);
    leader = result.leader;
    emailChange = result.emailChange;
  }
  leader = await applyActive(caller, leader, input.active);
  return { user: toScimUser(withActive(leader), caller.baseUrl), emailChange };
}

/**
 * How often a PUT or PATCH without If-Match is tried when another write wins the race. A try
 * fails only because another write to the same User committed, so with up to five writes to one
 * User at once every one lands (an identity provider sends one or two at a time).
 */
const WRITE_ATTEMPTS = 5;

/**
 * Runs a read-modify-write; when another request changed the leader in between (the leader
 * use case refuses the stale write with 412) and the client sent no If-Match, runs it again on
 * the new version: a PATCH applies its operations to what is there now, never over it.
 */
async function retryingStale<T>(caller: ScimCaller, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const stale = error instanceof ProblemError && error.code === 'precondition_failed';
      if (!stale || caller.checkVersion !== undefined || attempt >= WRITE_ATTEMPTS) throw error;
    }
  }
}

/** PUT /Users/{id}: the resource replaces the leader's SCIM attributes (see replaceInput). */
export async function replaceScimUser(caller: ScimCaller, id: string, body: unknown): Promise<WriteResult> {
  return retryingStale(caller, async () => {
    const current = await loadLeader(caller, id);
    caller.checkVersion?.(current.version);
    const before = toScimUser(withActive(current), caller.baseUrl);
    return write(caller, current, replaceInput(body, before));
  });
}

/** scim-patch's error codes that are RFC 7644 scimTypes; anything else reads as invalidSyntax. */
const PATCH_SCIM_TYPES = new Set<ScimType>([
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'mutability',
]);

/**
 * One operation as scim-patch takes it: the op name lower-cased (Entra ID sends "Replace",
 * "Add"), and a path-less operation's keys that are themselves paths with a value filter (Entra
 * ID sends `{ op: "replace", value: { 'emails[type eq "work"].value': … } }`) split into
 * operations of their own, since scim-patch would store such a key as an attribute.
 */
function normaliseOperation(raw: unknown): ScimPatchOperation[] {
  if (typeof raw !== 'object' || raw === null || typeof (raw as { op?: unknown }).op !== 'string')
    throw scimError(400, 'invalidSyntax', 'Each operation needs an op (add, remove or replace)');
  const op = {
    ...(raw as { path?: unknown; value?: unknown }),
    op: (raw as { op: string }).op.toLowerCase(),
  };
  const value = op.value;
  if (op.path !== undefined || typeof value !== 'object' || value === null || Array.isArray(value))
    return [op as ScimPatchOperation];
  const entries = Object.entries(value as Record<string, unknown>);
  const filtered = entries.filter(([key]) => key.includes('['));
  if (filtered.length === 0) return [op as ScimPatchOperation];
  const rest = Object.fromEntries(entries.filter(([key]) => !key.includes('[')));
  return [
    ...(Object.keys(rest).length > 0 ? [{ ...op, value: rest } as ScimPatchOperation] : []),
    ...filtered.map(([path, v]) => ({ op: op.op, path, value: v }) as ScimPatchOperation),
  ];
}

/**
 * PATCH /Users/{id} (RFC 7644 §3.5.2): scim-patch applies the operations to the current
 * resource, then the result is written like a PUT. Operation names are case-insensitive (Entra ID
 * sends "Replace", "Add"); Entra's string booleans and bare manager ids are read by the mapper.
 */
export async function patchScimUser(caller: ScimCaller, id: string, body: unknown): Promise<WriteResult> {
  return retryingStale(caller, () => applyPatch(caller, id, body));
}

async function applyPatch(caller: ScimCaller, id: string, body: unknown): Promise<WriteResult> {
  const current = await loadLeader(caller, id);
  caller.checkVersion?.(current.version);
  const request = body as { schemas?: unknown; Operations?: unknown } | null;
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    throw scimError(400, 'invalidSyntax', 'The body must be a PatchOp message');
  const schemas = Array.isArray(request.schemas) ? request.schemas : [];
  if (!schemas.includes(PATCH_OPERATION_SCHEMA))
    throw scimError(400, 'invalidSyntax', `schemas must list ${PATCH_OPERATION_SCHEMA}`);
  const operations = request.Operations;
  if (!Array.isArray(operations) || operations.length === 0)
    throw scimError(400, 'invalidSyntax', 'Operations must be a non-empty list');
  const normalised = operations.flatMap((op: unknown) => normaliseOperation(op));
  const before = toScimUser(withActive(current), caller.baseUrl);
  let after: unknown;
  try {
    after = scimPatch(structuredClone(before) as never, normalised, { mutateDocument: false });
  } catch (error) {
    const code = error instanceof ScimPatchError ? (error.scimCode as ScimType | undefined) : undefined;
    const message = error instanceof Error ? error.message : 'The patch cannot be applied';
    throw scimError(400, code && PATCH_SCIM_TYPES.has(code) ? code : 'invalidSyntax', message);
  }
  return write(caller, current, replaceInput(after, before));
}

/** DELETE /Users/{id}: erasure. The User is gone afterwards (404 on every read and write). */
export async function deleteScimUser(caller: ScimCaller, id: string): Promise<void> {
  const current = await loadLeader(caller, id);
  caller.checkVersion?.(current.version);
  await eraseLeader(caller.db, caller.principal, current.id, { log: caller.log });
}
