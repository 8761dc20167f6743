import type { ColumnType, Generated, Selectable } from 'kysely';

/** One recorded domain event (migration 0015); see docs/events.md. */
export interface EventTable {
  tenant_id: string;
  /** UUIDv7. */
  id: string;
  /** Global order (identity); int8 is parsed to a number (db/database.ts). */
  position: ColumnType<number, never, never>;
  type: string;
  occurred_at: Generated<Date>;
  /** jsonb: a JSON string on write, the parsed payload on read. */
  data: ColumnType<unknown, string, string>;
  /** xid8 of the writing transaction, as text on read. */
  tx: ColumnType<string, never, never>;
}

export type EventRow = Selectable<EventTable>;

/** What the periodic event task already announced for a network (migration 0015). */
export interface NetworkAnnouncementTable {
  tenant_id: string;
  network_id: string;
  key: string;
  announced_at: Generated<Date>;
}
