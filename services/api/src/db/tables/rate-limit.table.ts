import type { Selectable } from 'kysely';

/** One rate-limit counter (http/rate-limit.store.ts): not tenant data, see its migration. */
export interface RateLimitHitTable {
  /** The limited key: the route scope, if any, and a hash of the credential or the client's address. */
  key: string;
  /**
   * Requests of the current window leased by the replicas (blocks, http/rate-limit.store.ts), plus
   * the refused part of at most one claim per replica once the window's allowance is all leased.
   */
  count: number;
  /** When the current window ends (the next request after it starts a new one). */
  expires_at: Date;
}

export type RateLimitHitRow = Selectable<RateLimitHitTable>;
