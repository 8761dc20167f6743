import type { ColumnType, Generated, Selectable } from 'kysely';

/** The language a feed's texts (event titles, descriptions, calendar name) are written in. */
export const FEED_LANGUAGES = ['da', 'en'] as const;
export type FeedLanguage = (typeof FEED_LANGUAGES)[number];

/** Who created a feed: the tenant's admin (API), or the leader themselves on the member pages. */
export const FEED_CREATORS = ['admin', 'member'] as const;
export type FeedCreator = (typeof FEED_CREATORS)[number];

export interface CalendarFeedTable {
  tenant_id: string;
  id: string;
  /** The network whose meetings the feed holds; null for a leader's feed. */
  network_id: string | null;
  /** The leader whose networks' meetings the feed holds; null for a network's feed. */
  leader_id: string | null;
  language: FeedLanguage;
  /** Who the HR platform gave the feed to, in its own words (optional). */
  label: string | null;
  /** SHA-256 of the token, hex (the token itself is shown once, when the feed is created). */
  token_hash: string;
  /** The token's first characters, to recognise a feed in listings without storing the token. */
  token_prefix: string;
  created_by: ColumnType<FeedCreator, FeedCreator | undefined, never>;
  created_at: Generated<Date>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type CalendarFeedRow = Selectable<CalendarFeedTable>;
