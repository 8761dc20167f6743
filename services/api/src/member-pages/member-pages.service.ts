/**
 * What each member page shows, gathered from the use cases REST and GraphQL share (networks,
 * charter, meetings, evaluations, health, sessions) with the signed-in member's session as the
 * principal. Each loader runs a fixed number of queries whatever the number of networks, except
 * where a use case is per network (signals on "Mine"), which the member pages accept for the
 * handful of networks a leader is in.
 */
import {
  type AttendanceStatus,
  cancellationNoticeHours,
  DEFAULT_CANCELLATION_NOTICE_HOURS,
  type GroundRule,
  isActiveMembership,
  isLateCancellation,
  type ReleasedAggregate,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { SessionMemberPrincipal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { NetworkMemberRow, NetworkRow } from '../db/tables/network.table.js';
import {
  meetingForCaller as evaluationMeetingForCaller,
  evaluationWindowClosesAt,
  myEvaluation,
  summariesOfMeetings,
} from '../evaluations/evaluation.service.js';
import { mySignals, networkHealth, signalsForCaller } from '../evaluations/health.service.js';
import { findLeaders } from '../leaders/leader.repository.js';
import {
  agendaOf,
  attendanceOf,
  meetingsOfNetworks,
  type StoredMeeting,
} from '../meetings/meeting.repository.js';
import { meetingForCaller } from '../meetings/meeting.service.js';
import { noticesForLeader } from '../members/member-session.service.js';
import { actionsForLeader } from '../members/token-audit.js';
import { charterViews } from '../networks/charter.service.js';
import { noticeHoursOf, rowToMembership } from '../networks/network.repository.js';
import { facilitatorIdOf, getNetwork, listNetworksPage, toMemberView } from '../networks/network.service.js';
import { answeredMeetingIds, evaluationWindowsOf, ownEvaluations } from './member-pages.repository.js';

type Db = Kysely<Database>;

/** The most networks the overview lists (a leader is in one or two; the cap keeps the page bounded). */
const NETWORKS_SHOWN = 50;
/** Upcoming meetings shown on a network's page. */
const UPCOMING_SHOWN = 3;

/** Attendance from which a member may answer the evaluation (the domain's parseEvaluation accepts these). */
const MAY_ANSWER: readonly AttendanceStatus[] = ['expected', 'confirmed', 'attended'];

/** Meetings by start time (a moved meeting keeps its sequence number). */
const byStart = (meetings: StoredMeeting[]) =>
  meetings.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

/** The domain's active-member rule on a stored membership row. */
const isActive = (row: NetworkMemberRow, now: Date) => isActiveMembership(rowToMembership(row), now);

/** "My networks": each with its status, next meeting, and what waits for me (charter, evaluation). */
export async function networksOverview(db: Db, session: SessionMemberPrincipal, now: Date) {
  const page = await listNetworksPage(db, session, { limit: NETWORKS_SHOWN });
  const networks = page.items;
  const ids = networks.map((n) => n.id);
  const meetings = byStart(await meetingsOfNetworks(db, session.tenantId, ids));
  const charters = await charterViews(db, session.tenantId, ids, now);
  const byId = new Map(networks.map((n) => [n.id, n]));
  // Held meetings whose window is still open, by the stored close (frozen deadline or early close).
  const held = meetings.filter((m) => m.status === 'held');
  const windows = await evaluationWindowsOf(
    db,
    session,
    held.map((m) => m.id),
  );
  const closesAt = (m: StoredMeeting, network: NetworkRow) =>
    evaluationWindowClosesAt(windows.get(m.id) ?? { held_at: m.heldAt, starts_at: m.startsAt }, network);
  const openHeld = held.filter((m) => {
    const network = byId.get(m.networkId);
    return network !== undefined && now < closesAt(m, network);
  });
  const mine = new Map(
    (
      await attendanceOf(
        db,
        session.tenantId,
        openHeld.map((m) => m.id),
      )
    )
      .filter((a) => a.leaderId === session.leaderId)
      .map((a) => [a.meetingId, a.status]),
  );
  const answered = await answeredMeetingIds(
    db,
    session,
    openHeld.map((m) => m.id),
  );
  return networks.map((network) => {
    const membership = page.members.find(
      (m) => m.row.network_id === network.id && m.row.leader_id === session.leaderId,
    );
    const active = membership !== undefined && isActive(membership.row, now);
    const charter = charters.get(network.id)!;
    const next = meetings.find(
      (m) => m.networkId === network.id && m.status === 'planned' && m.startsAt > now,
    );
    const waiting = openHeld.filter(
      (m) =>
        m.networkId === network.id && MAY_ANSWER.includes(mine.get(m.id) ?? 'no_show') && !answered.has(m.id),
    );
    return {
      network,
      active,
      nextMeeting: next ?? null,
      evaluationsWaiting: waiting.map((m) => ({ meeting: m, closesAt: closesAt(m, network) })),
      charterWaiting:
        active &&
        charter.version !== null &&
        !charter.acceptedBy.some((a) => a.leaderId === session.leaderId),
    };
  });
}

export type NetworkOverview = Awaited<ReturnType<typeof networksOverview>>[number];

/** The cancellation notice of a charter's ground rules (the domain's default without a charter). */
const noticeOf = (groundRules: readonly GroundRule[] | undefined) =>
  groundRules ? cancellationNoticeHours({ groundRules }) : DEFAULT_CANCELLATION_NOTICE_HOURS;

/** One network: the charter, fellow members (name, organisation, level), upcoming meetings with roles and agenda. */
export async function networkDetail(db: Db, session: SessionMemberPrincipal, networkId: string, now: Date) {
  const { row: network, members } = await getNetwork(db, session, networkId);
  const charter = (await charterViews(db, session.tenantId, [network.id], now)).get(network.id)!;
  const facilitatorId = facilitatorIdOf(network.facilitator);
  const fellows = members
    .filter((m) => isActive(m.row, now))
    .map((m) => toMemberView(m, facilitatorId, session, now));
  const meetings = byStart(await meetingsOfNetworks(db, session.tenantId, [network.id]));
  const upcoming = meetings.filter((m) => m.status === 'planned' && m.endsAt > now).slice(0, UPCOMING_SHOWN);
  const upcomingIds = upcoming.map((m) => m.id);
  const [agenda, attendance] = [
    await agendaOf(db, session.tenantId, upcomingIds),
    await attendanceOf(db, session.tenantId, upcomingIds),
  ];
  // Names of everyone the page mentions: members, role holders, agenda owners.
  const leaderIds = new Set<string>();
  for (const m of upcoming)
    for (const r of m.roles) if (r.holder?.kind === 'member') leaderIds.add(r.holder.memberId);
  for (const a of agenda) leaderIds.add(a.ownerId);
  const leaders = await findLeaders(db, session.tenantId, [...leaderIds]);
  const names = new Map(leaders.map((l) => [l.id, l.name]));
  const me = members.find((m) => m.row.leader_id === session.leaderId);
  return {
    network,
    active: me !== undefined && isActive(me.row, now),
    sharedSignals: await sharedSignals(
      db,
      session,
      network.id,
      facilitatorId,
      new Map(members.map((m) => [m.row.leader_id, m.name])),
      now,
    ),
    charter,
    charterAcceptedByMe: charter.acceptedBy.some((a) => a.leaderId === session.leaderId),
    noticeHours: noticeOf(charter.charter?.groundRules as readonly GroundRule[] | undefined),
    // The member view (network.service's toMemberView): name, organisation and role, nothing else.
    members: fellows,
    names,
    upcoming: upcoming.map((m) => {
      const my = attendance.find((a) => a.meetingId === m.id && a.leaderId === session.leaderId);
      return {
        meeting: m,
        agenda: agenda.filter((a) => a.meetingId === m.id).sort((a, b) => a.position - b.position),
        myAttendance: my ?? null,
      };
    }),
  };
}

export type NetworkDetail = Awaited<ReturnType<typeof networkDetail>>;

/**
 * For the member who facilitates: the member signals others shared with them (the domain's
 * `visibleSignals` through `signalsForCaller`: the tenant's policy AND the member's consent), each
 * with the member's name. Anyone else: none (and nothing is computed).
 */
async function sharedSignals(
  db: Db,
  session: SessionMemberPrincipal,
  networkId: string,
  facilitatorId: string | null,
  names: ReadonlyMap<string, string>,
  now: Date,
) {
  if (facilitatorId !== session.leaderId) return [];
  return (await signalsForCaller(db, session, networkId, now)).flatMap((signal) =>
    signal.audience.kind === 'member' && signal.audience.memberId !== session.leaderId
      ? [{ name: names.get(signal.audience.memberId!) ?? '', signal }]
      : [],
  );
}

/** The afbud step: the meeting, its network, and whether an afbud now would be late under the charter. */
export async function afbudPreview(db: Db, session: SessionMemberPrincipal, meetingId: string, now: Date) {
  const { meeting, network } = await meetingForCaller(db, session, meetingId);
  const noticeHours =
    (await noticeHoursOf(db, session.tenantId, [network.id])).get(network.id) ??
    DEFAULT_CANCELLATION_NOTICE_HOURS;
  return { meeting, network, noticeHours, late: isLateCancellation(now, meeting.startsAt, noticeHours) };
}

/** The evaluation form's facts: the meeting, its network, when the window closes, and my answers so far. */
export async function evaluationForm(db: Db, session: SessionMemberPrincipal, meetingId: string) {
  const { meeting, network } = await evaluationMeetingForCaller(db, session, meetingId);
  const mine = await myEvaluation(db, session, meetingId);
  return { meeting, network, closesAt: evaluationWindowClosesAt(meeting, network), mine: mine ?? null };
}

/** "Mine": my answers, my signals per network, my consent per network, who acted for me, notices. */
export async function mineOverview(db: Db, session: SessionMemberPrincipal, now: Date) {
  const page = await listNetworksPage(db, session, { limit: NETWORKS_SHOWN });
  const answers = await ownEvaluations(db, session);
  const signals = [];
  for (const network of page.items)
    signals.push({ network, signals: await mySignals(db, session, network.id, now) });
  const consents = page.items.flatMap((network) => {
    const me = page.members.find(
      (m) => m.row.network_id === network.id && m.row.leader_id === session.leaderId,
    );
    return me && isActive(me.row, now) ? [{ network, consent: me.row.signal_consent }] : [];
  });
  const { tokens } = await actionsForLeader(db, session);
  const notices = await noticesForLeader(db, session);
  return { answers, signals, consents, tokens, notices };
}

export type MineOverview = Awaited<ReturnType<typeof mineOverview>>;

/** A network's health as members see it: the released aggregates of held meetings, and the trend. */
export async function healthOverview(db: Db, session: SessionMemberPrincipal, networkId: string, now: Date) {
  const { row: network } = await getNetwork(db, session, networkId);
  const health = await networkHealth(db, session, network.id, now);
  const held = (await meetingsOfNetworks(db, session.tenantId, [network.id]))
    .filter((m) => m.status === 'held')
    .reverse();
  const summaries = await summariesOfMeetings(
    db,
    session.tenantId,
    held.map((m) => m.id),
    now,
  );
  // A release pools one or more meetings: each release once, with its meetings; then the rest.
  const releases = new Map<string, { meetings: StoredMeeting[]; value: ReleasedAggregate }>();
  const withheld: { meeting: StoredMeeting; reason: string; minimum: number; closesAt: Date | null }[] = [];
  for (const m of held) {
    const s = summaries.get(m.id);
    if (s?.released) {
      const key = s.value.meetingIds.join(',');
      const entry = releases.get(key) ?? { meetings: [], value: s.value };
      entry.meetings.push(m);
      releases.set(key, entry);
    } else
      withheld.push({
        meeting: m,
        reason: s?.reason ?? 'not_enough_responses',
        minimum: s?.minimum ?? network.min_responses,
        closesAt: (s && 'closesAt' in s ? s.closesAt : null) ?? null,
      });
  }
  return { network, health, releases: [...releases.values()], withheld };
}

export type HealthOverview = Awaited<ReturnType<typeof healthOverview>>;
