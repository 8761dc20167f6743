/**
 * Calendar feeds as use cases shared by REST and GraphQL: an admin creates a feed of a network or
 * of a leader (its secret URL is shown once), lists and revokes them; anyone holding the URL reads
 * the feed (a calendar app sends no credential: the token in the path is the credential).
 *
 * What a feed holds (docs/calendar-feeds.md): one event per meeting, cancelled ones included (as
 * STATUS:CANCELLED, so a subscribed calendar removes them). A leader's feed holds the meetings of
 * the networks they belong or belonged to, each only if it starts while they are a member (the
 * domain's `isActiveMembership` at the meeting's start). Nothing private: no attendance, no
 * afbud, no evaluations — only the time, the place, the network's name and who hosts and owns
 * the agenda, which every member of the network reads anyway.
 */
import { createHash } from 'node:crypto';
import {
  isActiveMembership,
  isStorableText,
  MEETING_ROLE_LABELS,
  type MeetingRole,
  unstorableTextIssue,
  type ValidationIssue,
} from '@sparring/domain';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { type Principal, requireAdmin, requireOwnSession } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { FEED_LANGUAGES, type FeedLanguage } from '../db/tables/calendar-feed.table.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { problem, validationProblem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { findLeaderNames } from '../leaders/leader.repository.js';
import { getLeader } from '../leaders/leader.service.js';
import { meetingsOfNetworks, type StoredMeeting } from '../meetings/meeting.repository.js';
import { findNetworks, rowToMembership } from '../networks/network.repository.js';
import { networkForCaller } from '../networks/network-access.js';
import {
  FEED_TOKEN_PATTERN,
  findLiveFeed,
  findLiveFeedByToken,
  insertCalendarFeed,
  listLiveFeeds,
  liveOwnFeeds,
  membershipsOfLeader,
  revokeCalendarFeed,
  revokeOwnFeeds,
  type StoredCalendarFeed,
} from './calendar-feed.repository.js';
import { type FeedEvent, renderCalendar } from './ics.js';

type Db = Kysely<Database>;

/** The longest label an admin may give a feed. */
export const FEED_LABEL_MAX = 200;

// -- shapes for the caller --

/** A feed as listed: never its token or URL (those are shown once, when it is created). */
export function toCalendarFeedResource(feed: StoredCalendarFeed) {
  return {
    id: feed.id,
    kind: feed.subject.kind,
    networkId: feed.subject.kind === 'network' ? feed.subject.networkId : null,
    leaderId: feed.subject.kind === 'leader' ? feed.subject.leaderId : null,
    language: feed.language,
    label: feed.label,
    tokenPrefix: feed.tokenPrefix,
    createdBy: feed.createdBy,
    createdAt: feed.createdAt.toISOString(),
  };
}
export type CalendarFeedResource = ReturnType<typeof toCalendarFeedResource>;

/** The path of a feed's document (the token is its only credential). */
export const feedPath = (token: string) => `/calendar/${token}.ics`;

/** The feed's URLs: https (or http) to fetch, webcal:// to subscribe with one click. */
export function feedUrls(publicUrl: string, token: string) {
  const url = `${publicUrl}${feedPath(token)}`;
  return { url, webcalUrl: url.replace(/^https?:\/\//, 'webcal://') };
}

// -- managing feeds (admin) --

export interface CreateFeedInput {
  readonly language?: string | null | undefined;
  readonly label?: string | null | undefined;
}

function parseFeedInput(input: CreateFeedInput): { language: FeedLanguage; label: string | null } {
  const issues: ValidationIssue[] = [];
  const language = input.language ?? 'da';
  if (!(FEED_LANGUAGES as readonly string[]).includes(language))
    issues.push({
      path: 'language',
      code: 'not_allowed',
      message: { da: 'Sproget er da eller en.', en: 'The language is da or en.' },
    });
  const label = input.label === undefined || input.label === null ? null : input.label.trim() || null;
  if (label !== null && !isStorableText(label)) issues.push(unstorableTextIssue('label'));
  else if (label !== null && label.length > FEED_LABEL_MAX)
    issues.push({
      path: 'label',
      code: 'too_large',
      message: { da: `Højst ${FEED_LABEL_MAX} tegn.`, en: `At most ${FEED_LABEL_MAX} characters.` },
    });
  if (issues.length > 0) throw validationProblem(issues);
  return { language: language as FeedLanguage, label };
}

/** Creates a feed of one network of the caller's tenant (admin; 404 for any other network). */
export async function createNetworkFeed(
  db: Db,
  principal: Principal,
  networkId: string,
  input: CreateFeedInput,
  publicUrl: string,
  log: FastifyBaseLogger,
) {
  const admin = requireAdmin(principal);
  const network = await networkForCaller(db, admin, networkId);
  return created(db, admin.tenantId, { kind: 'network', networkId: network.id }, input, publicUrl, log);
}

/** Creates a feed of one leader of the caller's tenant (admin; 404 for any other leader). */
export async function createLeaderFeed(
  db: Db,
  principal: Principal,
  leaderId: string,
  input: CreateFeedInput,
  publicUrl: string,
  log: FastifyBaseLogger,
) {
  const admin = requireAdmin(principal);
  const leader = await getLeader(db, admin, leaderId);
  if (leader.deactivatedAt !== null && leader.deactivatedAt.getTime() <= Date.now())
    throw problem('leader_deactivated', 'A deactivated leader gets no calendar feed');
  return created(db, admin.tenantId, { kind: 'leader', leaderId: leader.id }, input, publicUrl, log);
}

async function created(
  db: Db,
  tenantId: string,
  subject: StoredCalendarFeed['subject'],
  input: CreateFeedInput,
  publicUrl: string,
  log: FastifyBaseLogger,
) {
  const options = parseFeedInput(input);
  const { feed, token } = await insertCalendarFeed(db, tenantId, subject, options);
  log.info(
    { audit: 'calendar_feed_created', tenantId, feedId: feed.id, ...subject },
    'calendar feed created',
  );
  return { ...toCalendarFeedResource(feed), ...feedUrls(publicUrl, token) };
}

/** The live feeds of a network or a leader (admin), a page at a time. */
export async function listFeeds(
  db: Db,
  principal: Principal,
  subject: { kind: 'network' | 'leader'; id: string },
  opts: { limit: number; cursor?: string | undefined },
) {
  const admin = requireAdmin(principal);
  const of: StoredCalendarFeed['subject'] =
    subject.kind === 'network'
      ? { kind: 'network', networkId: (await networkForCaller(db, admin, subject.id)).id }
      : { kind: 'leader', leaderId: (await getLeader(db, admin, subject.id)).id };
  const rows = await listLiveFeeds(db, admin.tenantId, of, {
    after: decodeCursor(opts.cursor),
    limit: opts.limit,
  });
  const page = toPage(rows, opts.limit);
  return { items: page.items.map(toCalendarFeedResource), nextCursor: page.nextCursor };
}

/** One live feed of the tenant (admin); 404 when there is none with this id. */
export async function getFeed(db: Db, principal: Principal, feedId: string) {
  const admin = requireAdmin(principal);
  assertUuid(feedId, 'calendar feed id');
  const feed = await findLiveFeed(db, admin.tenantId, feedId);
  if (!feed) throw problem('not_found', 'No live calendar feed with this id');
  return toCalendarFeedResource(feed);
}

/** Revokes a live feed (admin): its URL answers 404 from now on. 404 when there is none. */
export async function revokeFeed(db: Db, principal: Principal, feedId: string, log: FastifyBaseLogger) {
  const admin = requireAdmin(principal);
  assertUuid(feedId, 'calendar feed id');
  const feed = await revokeCalendarFeed(db, admin.tenantId, feedId, new Date());
  if (!feed) throw problem('not_found', 'No live calendar feed with this id');
  log.info({ audit: 'calendar_feed_revoked', tenantId: admin.tenantId, feedId }, 'calendar feed revoked');
}

// -- a leader's own feed (member pages, in their own session) --

/**
 * The leader's own feed, created in their own session: a new address, and every address they
 * made before stops working (one live own feed at a time; feeds the admin made are not touched).
 * The address is returned once, for the page to show.
 */
export async function createOwnFeed(
  db: Db,
  principal: Principal,
  language: FeedLanguage,
  publicUrl: string,
  log: FastifyBaseLogger,
) {
  const session = requireOwnSession(principal);
  const { feed, token } = await db.transaction().execute(async (trx) => {
    await revokeOwnFeeds(trx, session.tenantId, session.leaderId, new Date());
    return insertCalendarFeed(
      trx,
      session.tenantId,
      { kind: 'leader', leaderId: session.leaderId },
      { language, label: null, createdBy: 'member' },
    );
  });
  log.info(
    { audit: 'calendar_feed_created', tenantId: session.tenantId, feedId: feed.id, by: 'member' },
    'calendar feed created',
  );
  return { ...toCalendarFeedResource(feed), ...feedUrls(publicUrl, token) };
}

/** The leader's live own feed (never its address), if any. */
export async function ownFeed(db: Db, principal: Principal) {
  const session = requireOwnSession(principal);
  const [feed] = await liveOwnFeeds(db, session.tenantId, session.leaderId);
  return feed ? toCalendarFeedResource(feed) : null;
}

/** Stops the leader's own feeds (in their own session); how many were stopped. */
export async function revokeOwnFeed(db: Db, principal: Principal, log: FastifyBaseLogger) {
  const session = requireOwnSession(principal);
  const count = await revokeOwnFeeds(db, session.tenantId, session.leaderId, new Date());
  if (count > 0)
    log.info(
      {
        audit: 'calendar_feed_revoked',
        tenantId: session.tenantId,
        leaderId: session.leaderId,
        by: 'member',
      },
      'calendar feed revoked',
    );
  return count;
}

// -- reading a feed (the token is the credential) --

/** The words of a feed, in its language. Role names are the domain's (MEETING_ROLE_LABELS). */
const FEED_TEXTS = {
  da: {
    meeting: (n: number, network: string) => `Netværksmøde ${n}: ${network}`,
    cancelled: 'Aflyst',
    network: 'Netværk',
    online: 'Online',
    unassigned: 'ikke fordelt endnu',
    leaderCalendar: 'Sparring: mine netværk',
    networkCalendar: (network: string) => `Sparring: ${network}`,
    description: 'Møderne i ledernetværket fra Sparring. Aflyste møder står som aflyst.',
  },
  en: {
    meeting: (n: number, network: string) => `Network meeting ${n}: ${network}`,
    cancelled: 'Cancelled',
    network: 'Network',
    online: 'Online',
    unassigned: 'not assigned yet',
    leaderCalendar: 'Sparring: my networks',
    networkCalendar: (network: string) => `Sparring: ${network}`,
    description: "The leader network's meetings, from Sparring. Cancelled meetings are marked cancelled.",
  },
} as const;

/** The roles a feed names, in this order: who hosts (the place) and who owns the agenda. */
const FEED_ROLES: readonly MeetingRole[] = ['host', 'agenda_owner'];

/**
 * One meeting as an event. A planned meeting of a dissolved network will not take place: it is
 * shown cancelled, its SEQUENCE one higher and its time of change the network's dissolution.
 * SEQUENCE is the meeting's row version less one (0 when created): every move, cancellation or
 * role change raises the version, so SEQUENCE rises with every revision (RFC 5545 §3.8.7.4).
 */
function meetingEvent(
  meeting: StoredMeeting,
  network: NetworkRow,
  names: ReadonlyMap<string, string>,
  language: FeedLanguage,
): FeedEvent {
  const t = FEED_TEXTS[language];
  const offByDissolution = meeting.status === 'planned' && network.status === 'dissolved';
  const cancelled = meeting.status === 'cancelled' || offByDissolution;
  const summary = t.meeting(meeting.sequence, network.name);
  const venue = meeting.venue;
  const link = venue.kind === 'in_person' ? null : venue.link;
  const lines = [`${t.network}: ${network.name}`];
  for (const role of FEED_ROLES) {
    const holder = meeting.roles.find((r) => r.role === role)?.holder ?? null;
    const name =
      holder === null
        ? t.unassigned
        : holder.kind === 'external'
          ? holder.name
          : (names.get(holder.memberId) ?? t.unassigned);
    lines.push(`${MEETING_ROLE_LABELS[role][language]}: ${name}`);
  }
  if (link !== null) lines.push(`${t.online}: ${link}`);
  const lastModified =
    offByDissolution && network.updated_at.getTime() > meeting.updatedAt.getTime()
      ? network.updated_at
      : meeting.updatedAt;
  return {
    uid: `${meeting.id}@sparring`,
    sequence: meeting.version - 1 + (offByDissolution ? 1 : 0),
    start: meeting.startsAt,
    end: meeting.endsAt,
    timeZone: network.time_zone,
    cancelled,
    summary: cancelled ? `${t.cancelled}: ${summary}` : summary,
    location: venue.kind === 'online' ? venue.link : venue.place,
    description: lines.join('\n'),
    created: meeting.createdAt,
    lastModified,
  };
}

/** The names of the members who hold a feed's roles (one query). */
async function holderNames(db: Db, tenantId: string, meetings: readonly StoredMeeting[]) {
  const ids = new Set<string>();
  for (const m of meetings)
    for (const r of m.roles)
      if (FEED_ROLES.includes(r.role) && r.holder?.kind === 'member') ids.add(r.holder.memberId);
  const found = await findLeaderNames(db, tenantId, [...ids]);
  return new Map([...found].map(([id, v]) => [id, v.name]));
}

/** The meetings a feed holds, with their networks, in start order. */
async function feedMeetings(db: Db, feed: StoredCalendarFeed) {
  const tenantId = feed.tenantId;
  if (feed.subject.kind === 'network') {
    const networks = await findNetworks(db, tenantId, [feed.subject.networkId]);
    return { networks, meetings: await meetingsOfNetworks(db, tenantId, [feed.subject.networkId]) };
  }
  // A leader: only meetings that start while they are a member (the domain's rule).
  const memberships = new Map(
    (await membershipsOfLeader(db, tenantId, feed.subject.leaderId)).map((row) => [
      row.network_id,
      rowToMembership(row),
    ]),
  );
  const networkIds = [...memberships.keys()];
  const meetings = (await meetingsOfNetworks(db, tenantId, networkIds)).filter((m) => {
    const membership = memberships.get(m.networkId);
    return membership !== undefined && isActiveMembership(membership, m.startsAt);
  });
  return { networks: await findNetworks(db, tenantId, networkIds), meetings };
}

/**
 * The feed with this token as iCalendar text and its ETag (a hash of the text, so a client that
 * sends If-None-Match gets 304 until something in the feed changes). An unknown, revoked or
 * malformed token is a 404 problem: the same answer for all three, so a token reveals nothing.
 */
export async function readFeed(db: Db, token: string): Promise<{ body: string; etag: string }> {
  const feed = FEED_TOKEN_PATTERN.test(token) ? await findLiveFeedByToken(db, token) : undefined;
  if (!feed) throw problem('not_found', 'No calendar feed at this address (it may have been revoked)');
  const { networks, meetings } = await feedMeetings(db, feed);
  const byId = new Map(networks.map((n) => [n.id, n]));
  const names = await holderNames(db, feed.tenantId, meetings);
  const t = FEED_TEXTS[feed.language];
  const single = feed.subject.kind === 'network' ? byId.get(feed.subject.networkId) : undefined;
  const events = meetings
    .filter((m) => byId.has(m.networkId))
    .map((m) => meetingEvent(m, byId.get(m.networkId)!, names, feed.language))
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.uid.localeCompare(b.uid));
  const body = renderCalendar({
    name: single ? t.networkCalendar(single.name) : t.leaderCalendar,
    description: t.description,
    language: feed.language,
    events,
  });
  const etag = `"${createHash('sha256').update(body, 'utf8').digest('base64url').slice(0, 27)}"`;
  return { body, etag };
}
