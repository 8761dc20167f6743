import type { ColumnType, Generated, Selectable } from 'kysely';

export interface MemberTokenTable {
  tenant_id: string;
  id: string;
  leader_id: string;
  /** SHA-256 of the token, hex (the token itself is shown once, when minted). */
  token_hash: string;
  expires_at: Date;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Generated<Date>;
}

export type MemberTokenRow = Selectable<MemberTokenTable>;
