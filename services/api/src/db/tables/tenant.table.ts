import type { ColumnType, Generated, Selectable } from 'kysely';

export interface TenantTable {
  id: string;
  name: string;
  /** Tenant policy: a facilitator may see a member's private signals when that member consents. */
  facilitator_sees_member_signals: Generated<boolean>;
  /** https origins allowed to frame the member pages (CSP frame-ancestors); JSON array, default []. */
  frame_ancestors: ColumnType<string[], string | undefined, string>;
  /** Origins whose browser code may call /v1 and /graphql (CORS); JSON array, default []. */
  cors_origins: ColumnType<string[], string | undefined, string>;
  created_at: Generated<Date>;
}

/** The roles an API key can carry. `admin` is the HR platform acting for its customer. */
export const API_KEY_ROLES = ['admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export interface ApiKeyTable {
  tenant_id: string;
  id: string;
  name: string;
  role: ApiKeyRole;
  /** SHA-256 of the whole key, hex. */
  key_hash: string;
  /** The first characters of the key, to recognise it in listings without storing it. */
  key_prefix: string;
  created_at: Generated<Date>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type TenantRow = Selectable<TenantTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
