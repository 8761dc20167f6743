/**
 * A network's inputs as stored: the name and the settings, checked by the domain
 * (`parseNetworkSettings`), and the validation issues the network use cases raise.
 */
import {
  isStorableText,
  type NetworkSettingsInput,
  parseNetworkSettings,
  unstorableTextIssue,
  type ValidationIssue,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { validationProblem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import { findLeaders } from '../leaders/leader.repository.js';
import type { NetworkSettingsColumns } from './network.repository.js';

type Db = Kysely<Database>;

/** A validation issue at `path`, with its message in English and Danish. */
export const issue = (
  path: string,
  code: ValidationIssue['code'],
  en: string,
  da: string,
): ValidationIssue => ({
  path,
  code,
  message: { da, en },
});

/** The settings a create or update request may carry (the domain's input). */
export type SettingsInput = NetworkSettingsInput;

/**
 * The domain's `parseNetworkSettings` on the settings present in `input`, as the columns they are
 * stored in; a 400 problem with every issue otherwise. This only gathers the stored facts the rules
 * need: whether a member facilitator's leader exists. `memberIds`: the active members (PATCH);
 * undefined at creation, when there are no members yet.
 */
export async function parseSettings(
  db: Db,
  tenantId: string,
  input: SettingsInput,
  memberIds: readonly string[] | undefined,
): Promise<Partial<NetworkSettingsColumns>> {
  const f = input.facilitator as { kind?: unknown; leaderId?: unknown } | null | undefined;
  const named = f?.kind === 'member' && typeof f.leaderId === 'string' ? f.leaderId : null;
  if (named !== null) assertUuid(named, 'facilitator leader id');
  const found = named === null ? [] : await findLeaders(db, tenantId, [named]);
  const parsed = parseNetworkSettings(input, {
    ...(memberIds === undefined ? {} : { memberIds }),
    leaderExists: (id) => found.some((l) => l.id === id),
  });
  if (!parsed.ok) throw validationProblem(parsed.error.issues);
  const v = parsed.value;
  const out: Partial<NetworkSettingsColumns> = {};
  if (v.size !== undefined) {
    out.min_members = v.size.min;
    out.max_members = v.size.max;
  }
  if (v.trialLength !== undefined) out.trial_length = v.trialLength;
  if (v.reviewEvery !== undefined) out.review_every = v.reviewEvery;
  if (v.timeZone !== undefined) out.time_zone = v.timeZone;
  if (v.rolesPolicy !== undefined) out.roles_policy = JSON.stringify(v.rolesPolicy);
  if (v.minResponses !== undefined) out.min_responses = v.minResponses;
  if (v.evaluationWindowDays !== undefined) out.evaluation_window_days = v.evaluationWindowDays;
  if (v.facilitator !== undefined)
    out.facilitator = v.facilitator === null ? null : JSON.stringify(v.facilitator);
  return out;
}

/** A network's name as stored: trimmed, not empty, storable text; a 400 problem otherwise. */
export function networkName(raw: string): string {
  const name = raw.trim();
  if (name === '')
    throw validationProblem([issue('name', 'required', 'A name is required', 'Et navn er påkrævet')]);
  if (!isStorableText(name)) throw validationProblem([unstorableTextIssue('name')]);
  return name;
}
