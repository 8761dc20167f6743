import type { ColumnType, Selectable } from 'kysely';

/** jsonb columns take a JSON string on write and give the parsed value on read. */
type Json<T> = ColumnType<T, string, string>;

/** A single-use sign-in link the service mailed to a leader's address on file. */
export interface MemberSignInLinkTable {
  tenant_id: string;
  id: string;
  leader_id: string;
  /** SHA-256 of the link's token, hex (the token itself is only in the mail). */
  token_hash: string;
  /** The address it was sent to (the leader's at the time), lower case: the per-address limit counts by it. */
  email: string;
  created_at: Date;
  expires_at: Date;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** SHA-256 of the requester's IP address, for the per-IP limit (pseudonymous, purged after a day). */
  requested_ip_hash: string;
}

/** A session a leader opened from a sign-in link: the only way to read their own private data. */
export interface MemberSessionTable {
  tenant_id: string;
  id: string;
  leader_id: string;
  /** SHA-256 of the cookie value, hex. */
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** What a notice to a member says, by kind (a closed union: one kind so far). */
export type MemberNoticeData = { readonly oldEmail: string; readonly newEmail: string };

/** Something that happened to a member's account, shown to them in their session. */
export interface MemberNoticeTable {
  tenant_id: string;
  id: string;
  leader_id: string;
  kind: 'email_changed';
  data: Json<MemberNoticeData>;
  created_at: Date;
}

export type MemberSignInLinkRow = Selectable<MemberSignInLinkTable>;
export type MemberSessionRow = Selectable<MemberSessionTable>;
export type MemberNoticeRow = Selectable<MemberNoticeTable>;
