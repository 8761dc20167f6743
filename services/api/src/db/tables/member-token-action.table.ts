import type { ColumnType } from 'kysely';

/** One write done with a minted member token (migration 0011), shown to the leader in their session. */
export interface MemberTokenActionTable {
  tenant_id: string;
  id: string;
  token_id: string;
  leader_id: string;
  /** `METHOD /route/:pattern` (REST) or `graphql <mutation field>`. */
  action: string;
  at: ColumnType<Date, Date | undefined, Date>;
}
