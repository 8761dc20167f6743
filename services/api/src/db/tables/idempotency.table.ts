import type { Generated, Selectable } from 'kysely';

export interface IdempotencyKeyTable {
  tenant_id: string;
  key: string;
  /** Who sent it (an API key id or a member token id): keys are scoped per caller, like Stripe's. */
  principal: string;
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  request_hash: string;
  state: 'in_progress' | 'completed';
  status_code: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  created_at: Generated<Date>;
}

export type IdempotencyKeyRow = Selectable<IdempotencyKeyTable>;
