/**
 * Every table of the service, in one interface (kysely's own example layout). Each table file
 * declares its columns; row types are derived with Selectable/Insertable, never retyped.
 */

import type { IdempotencyKeyTable } from '../http/idempotency.table.js';
import type { LeaderTable } from '../leaders/leader.table.js';
import type { ApiKeyTable, TenantTable } from '../tenants/tenant.table.js';

export interface Database {
  tenants: TenantTable;
  api_keys: ApiKeyTable;
  leaders: LeaderTable;
  idempotency_keys: IdempotencyKeyTable;
}
