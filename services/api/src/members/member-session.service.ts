/**
 * Member sessions: the only way a leader reads their own private data (docs/member-sessions.md).
 * The service mails a single-use sign-in link to the leader's address on file; the link opens a
 * session on the member pages under /m/, held in an httpOnly cookie. An admin key or an
 * admin-minted member token acts for a member but can never open one: the link goes to the
 * member's mailbox, not to the caller. Every token (link and session) is 32 random bytes, stored
 * as its SHA-256 only, like API keys (tenants/api-key.ts).
 */
import { randomBytes } from 'node:crypto';
import {
  emailChangedMail,
  LEADER_LIMITS,
  type LocalizedMail,
  type MailLanguage,
  signInLinkMail,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { SessionMemberPrincipal } from '../auth/principal.js';
import { hashSecret } from '../auth/secret.js';
import type { Database } from '../db/schema.js';
import type { MemberNoticeRow } from '../db/tables/member-session.table.js';
import type { Mailer, OutgoingMail } from '../mail/mailer.js';
import {
  countLinksFromIp,
  countLinksToAddress,
  expireUnusedLinks,
  findLeadersByEmail,
  findLiveSession,
  findSignInLink,
  insertNotice,
  insertSession,
  insertSignInLink,
  listNotices,
  purgeEndedSessions,
  purgeSignInLinks,
  revokeLeaderSessions,
  revokeSession,
  touchSession,
  useSignInLink,
} from './member-session.repository.js';

/**
 * A sign-in link works once, for 15 minutes: long enough to switch to the mailbox (even on another
 * device), short enough that a link left in a mailbox or forwarded later is dead. OWASP's
 * Forgot-Password cheat sheet asks for single-use, short-lived tokens; 15 minutes is the common
 * choice for magic links (Slack, Notion).
 */
export const SIGN_IN_LINK_TTL_MINUTES = 15;

/**
 * A session lasts 14 days from sign-in, FIXED (not sliding): the cookie and the row end together,
 * so no page has to renew the cookie, and a session forgotten on a shared computer reads private
 * data for two weeks at most. Two weeks span the work around one meeting (confirm or afbud before
 * it, evaluate after it); signing in again costs one mail.
 */
export const SESSION_TTL_DAYS = 14;

/**
 * Sign-in requests per 15-minute window. Per address: 3 links (a retry or two when a mail is
 * slow), so nobody can flood a leader's mailbox. Per requesting IP: 10 links, room for an office
 * behind one NAT address, not for mailing a whole tenant. Requests over a limit are answered like
 * any other (no mail is sent), so the limit reveals nothing either.
 */
export const SIGN_IN_LIMITS = { windowMinutes: 15, perAddress: 3, perIp: 10 } as const;

/** The path of the member pages' sign-in link; the token follows it. */
export const SIGN_IN_PATH = '/m/sign-in/';

/** last_seen_at is written at most once a minute: a page view costs no write. */
const TOUCH_EVERY_MS = 60_000;
/** Expired links are deleted a day after they expire (address and IP hash included). */
const PURGE_AFTER_MS = 24 * 3600_000;
/** Tokens are 32 bytes, base64url: 43 characters. Anything much longer is not one. */
const TOKEN_MAX_LENGTH = 100;
const NOTICES_SHOWN = 20;

const newToken = () => randomBytes(32).toString('base64url');
const minutes = (n: number) => n * 60_000;

/** The link a leader follows to sign in. */
export function signInUrl(publicUrl: string, token: string): string {
  return `${publicUrl}${SIGN_IN_PATH}${token}`;
}

const inLanguage = (mail: LocalizedMail, lang: MailLanguage, to: string): OutgoingMail => ({
  to,
  subject: mail.subject[lang],
  text: mail.text[lang],
});

/**
 * Hands mail to the mailer without waiting for it: how long SMTP takes must not tell a caller
 * whether an address is known. A failed send is logged by the service's mailer (mail/mailer.ts).
 */
function sendInBackground(mailer: Mailer, mails: readonly OutgoingMail[]) {
  for (const mail of mails) mailer.send(mail).catch(() => {});
}

/**
 * Stores a new single-use link for a leader and returns its token (shown only in the mail).
 * `requestedBy` is the requester's IP (stored hashed), or a label such as 'demo'.
 */
export async function createSignInLink(
  db: Kysely<Database>,
  leader: { readonly tenantId: string; readonly leaderId: string; readonly email: string },
  now: Date,
  requestedBy: string,
) {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + minutes(SIGN_IN_LINK_TTL_MINUTES));
  await insertSignInLink(db, {
    tenantId: leader.tenantId,
    leaderId: leader.leaderId,
    email: leader.email.toLowerCase(),
    tokenHash: hashSecret(token),
    ipHash: hashSecret(requestedBy),
    now,
    expiresAt,
  });
  return { token, expiresAt };
}

/**
 * "Mail me a sign-in link." For every leader with this address on file (any tenant,
 * case-insensitive), unless a limit (SIGN_IN_LIMITS) is reached, stores a single-use link and mails
 * it to that address in `lang`. Resolves the same way, after about the same work, whether the
 * address is known or not and whether a limit was hit; the mail itself leaves in the background.
 */
export async function requestSignIn(
  db: Kysely<Database>,
  mailer: Mailer,
  input: { email: string; ip: string; lang: 'da' | 'en' },
  now: Date,
  publicUrl: string,
): Promise<void> {
  await purgeSignInLinks(db, new Date(now.getTime() - PURGE_AFTER_MS));
  const email = input.email.trim().toLowerCase();
  if (email.length === 0 || email.length > LEADER_LIMITS.emailMax) return;
  const leaders = await findLeadersByEmail(db, email);
  const since = new Date(now.getTime() - minutes(SIGN_IN_LIMITS.windowMinutes));
  const ipHash = hashSecret(input.ip);
  const mails: OutgoingMail[] = [];
  for (const leader of leaders) {
    if ((await countLinksFromIp(db, ipHash, since)) >= SIGN_IN_LIMITS.perIp) break;
    if ((await countLinksToAddress(db, email, since)) >= SIGN_IN_LIMITS.perAddress) break;
    const { token } = await createSignInLink(
      db,
      { tenantId: leader.tenant_id, leaderId: leader.id, email: leader.email },
      now,
      input.ip,
    );
    const link = signInUrl(publicUrl, token);
    mails.push(
      inLanguage(signInLinkMail({ link, validMinutes: SIGN_IN_LINK_TTL_MINUTES }), input.lang, leader.email),
    );
  }
  sendInBackground(mailer, mails);
}

export type SignInOutcome =
  | {
      readonly ok: true;
      /** The session cookie's value (SESSION_COOKIE); shown to the browser only. */
      readonly cookieValue: string;
      readonly session: SessionMemberPrincipal;
      readonly expiresAt: Date;
    }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'used' };

/** Opens a session for a leader (a used link, the demo, tests). The cookie value is shown once. */
export async function createMemberSession(
  db: Kysely<Database>,
  tenantId: string,
  leaderId: string,
  now: Date,
) {
  await purgeEndedSessions(db, tenantId, leaderId, new Date(now.getTime() - PURGE_AFTER_MS));
  const cookieValue = newToken();
  const row = await insertSession(db, {
    tenantId,
    leaderId,
    tokenHash: hashSecret(cookieValue),
    now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_DAYS * 24 * 3600_000),
  });
  const session: SessionMemberPrincipal = {
    kind: 'member',
    via: 'session',
    tenantId: row.tenant_id,
    leaderId: row.leader_id,
    sessionId: row.id,
  };
  return { cookieValue, session, expiresAt: row.expires_at };
}

/**
 * Follows a sign-in link: marks it used and opens a session, in one transaction. Single use: of
 * two concurrent uses exactly one opens a session, the other gets 'used'. Never throws for a bad
 * link; the reason is in the result ('used' wins over 'expired' when both hold).
 */
export async function signInWithLink(db: Kysely<Database>, token: string, now: Date): Promise<SignInOutcome> {
  if (token.length === 0 || token.length > TOKEN_MAX_LENGTH) return { ok: false, reason: 'unknown' };
  const tokenHash = hashSecret(token);
  return db.transaction().execute(async (trx): Promise<SignInOutcome> => {
    const link = await useSignInLink(trx, tokenHash, now);
    if (link === undefined) {
      const found = await findSignInLink(trx, tokenHash);
      if (found === undefined) return { ok: false, reason: 'unknown' };
      return { ok: false, reason: found.used_at !== null ? 'used' : 'expired' };
    }
    return { ok: true, ...(await createMemberSession(trx, link.tenant_id, link.leader_id, now)) };
  });
}

/**
 * Whether a link would still sign in, without using it: the page a link opens shows a button, and
 * only that button's POST uses the link (a mail scanner that opens every link burns nothing).
 */
export async function checkSignInLink(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<{ ok: true } | { ok: false; reason: 'unknown' | 'expired' | 'used' }> {
  if (token.length === 0 || token.length > TOKEN_MAX_LENGTH) return { ok: false, reason: 'unknown' };
  const found = await findSignInLink(db, hashSecret(token));
  if (found === undefined) return { ok: false, reason: 'unknown' };
  if (found.used_at !== null) return { ok: false, reason: 'used' };
  if (found.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true };
}

/**
 * The live session (not expired, not revoked) a cookie value belongs to; undefined for any other
 * value. Notes when it was last seen, at most once a minute.
 */
export async function findSession(
  db: Kysely<Database>,
  cookieValue: string,
  now: Date,
): Promise<SessionMemberPrincipal | undefined> {
  if (cookieValue.length === 0 || cookieValue.length > TOKEN_MAX_LENGTH) return undefined;
  const row = await findLiveSession(db, hashSecret(cookieValue), now);
  if (row === undefined) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
    await touchSession(db, row.tenant_id, row.id, now);
  }
  return {
    kind: 'member',
    via: 'session',
    tenantId: row.tenant_id,
    leaderId: row.leader_id,
    sessionId: row.id,
  };
}

/** Ends this session (sign out); true when it was live. */
export async function signOut(db: Kysely<Database>, session: SessionMemberPrincipal, now = new Date()) {
  return revokeSession(db, session.tenantId, session.sessionId, now);
}

/**
 * Ends every session of a leader and kills their unused sign-in links (deactivation, or a leader
 * removed from the service); returns how many sessions were live.
 */
export async function revokeSessionsOfLeader(
  db: Kysely<Database>,
  tenantId: string,
  leaderId: string,
  now: Date,
) {
  await expireUnusedLinks(db, tenantId, leaderId, now);
  return revokeLeaderSessions(db, tenantId, leaderId, now);
}

/** A leader's sign-in address changed: who and from what to what, and the language to say it in. */
export interface EmailChange {
  readonly tenantId: string;
  readonly leaderId: string;
  readonly oldEmail: string;
  readonly newEmail: string;
  readonly lang: MailLanguage;
}

/**
 * Records that a leader's address changed, for them to see in their session, and kills the links
 * still unused at the old address (they may now reach someone else). Run it in the transaction
 * that changes the address.
 */
export async function recordEmailChange(db: Kysely<Database>, change: EmailChange, now: Date) {
  await expireUnusedLinks(db, change.tenantId, change.leaderId, now);
  await insertNotice(db, {
    tenantId: change.tenantId,
    leaderId: change.leaderId,
    kind: 'email_changed',
    data: { oldEmail: change.oldEmail, newEmail: change.newEmail },
    now,
  });
}

/**
 * Tells the OLD address that the sign-in address changed (and to contact HR if it was not them):
 * whoever changes the address could otherwise redirect the member's sign-in links unnoticed.
 * Never rejects (a failed send is logged by the service's mailer), so callers need not wait for it.
 */
export async function notifyEmailChange(
  mailer: Mailer,
  change: { readonly oldEmail: string; readonly newEmail: string; readonly lang: MailLanguage },
): Promise<void> {
  const mail = emailChangedMail({ oldEmail: change.oldEmail, newEmail: change.newEmail });
  await mailer.send(inLanguage(mail, change.lang, change.oldEmail)).catch(() => {});
}

/** Something that happened to a member's account, as their pages show it. */
export type MemberNotice = {
  readonly id: string;
  readonly createdAt: Date;
  readonly kind: 'email_changed';
  readonly oldEmail: string;
  readonly newEmail: string;
};

/** A stored notice as the member's pages show it (one case per kind: the compiler checks them all). */
function rowToNotice(row: MemberNoticeRow): MemberNotice {
  switch (row.kind) {
    case 'email_changed':
      return {
        id: row.id,
        createdAt: row.created_at,
        kind: row.kind,
        oldEmail: row.data.oldEmail,
        newEmail: row.data.newEmail,
      };
  }
}

/** The member's newest notices (at most 20), newest first: read in their own session only. */
export async function noticesForLeader(
  db: Kysely<Database>,
  session: SessionMemberPrincipal,
): Promise<MemberNotice[]> {
  const rows = await listNotices(db, session.tenantId, session.leaderId, NOTICES_SHOWN);
  return rows.map(rowToNotice);
}
