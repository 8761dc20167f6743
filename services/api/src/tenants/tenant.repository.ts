import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { hashSecret } from '../auth/secret.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import type { ApiKeyRole, TenantRow } from '../db/tables/tenant.table.js';
import { generateApiKey, keyPrefix } from './api-key.js';

export interface CreatedTenant {
  readonly tenant: TenantRow;
  /** The first admin key, in clear: shown once, never stored. */
  readonly adminKey: string;
}

/** Creates a tenant with its first admin key (one transaction). */
export async function createTenant(
  db: Kysely<Database>,
  input: { name: string; adminKey?: string },
): Promise<CreatedTenant> {
  return db.transaction().execute(async (trx) => {
    const tenant = await trx
      .insertInto('tenants')
      .values({ id: uuidv7(), name: input.name })
      .returningAll()
      .executeTakeFirstOrThrow();
    const adminKey = input.adminKey ?? generateApiKey();
    await insertApiKey(trx, tenant.id, adminKey, 'admin', 'first admin key');
    return { tenant, adminKey };
  });
}

/** Stores a key's hash for a tenant. */
export async function insertApiKey(
  db: Kysely<Database>,
  tenantId: string,
  key: string,
  role: ApiKeyRole,
  name: string,
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      tenant_id: tenantId,
      id: uuidv7(),
      name,
      role,
      key_hash: hashSecret(key),
      key_prefix: keyPrefix(key),
    })
    .execute();
}

/** The live key with this clear-text value, or undefined. */
export async function findApiKey(db: Kysely<Database>, key: string) {
  return findApiKeyByHash(db, hashSecret(key));
}

/** The live key whose stored hash (`hashSecret`) is this, or undefined. */
export async function findApiKeyByHash(db: Kysely<Database>, keyHash: string) {
  return db
    .selectFrom('api_keys')
    .select(['tenant_id', 'id', 'role'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Makes sure a tenant owns this admin key (the SPARRING_BOOTSTRAP_ADMIN_KEY set-up for local use
 * and tests). Idempotent: a second start with the same key changes nothing.
 */
export async function ensureBootstrapTenant(db: Kysely<Database>, adminKey: string): Promise<string> {
  const existing = await findApiKey(db, adminKey);
  if (existing) return existing.tenant_id;
  try {
    const { tenant } = await createTenant(db, { name: 'Bootstrap tenant', adminKey });
    return tenant.id;
  } catch (error) {
    // Replicas starting together on a new database: another one created it between our read
    // and our insert (api_keys.key_hash is unique, so there is still exactly one).
    const created = isUniqueViolation(error) ? await findApiKey(db, adminKey) : undefined;
    if (created) return created.tenant_id;
    throw error;
  }
}
