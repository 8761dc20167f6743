/**
 * Health and signals of stored networks: the domain's `assessNetwork` (one implementation with the
 * library) on what is stored, with the network's k and the charter's notice. Who sees which signal
 * is the domain's `visibleSignals`, fed with the tenant's policy and the members' consent.
 */
import {
  assessNetwork,
  discloseMeasures,
  type HealthReport,
  type HeldMeeting,
  isActiveMembership,
  type NetworkAssessment,
  type Signal,
  type SignalOptions,
  type SignalViewer,
  type SignalVisibilityPolicy,
  visibleSignals,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import { type Principal, requireOwnSession } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { noticeHoursOf, rowToMembership } from '../networks/network.repository.js';
import { beforeCutoff, memberCutoffs, networkForCaller } from '../networks/network-access.js';
import { healthInputStamps, heldMeetingsOf } from './health.repository.js';

/** The options the domain reads for one network: its k and its charter's notice. */
export const assessmentOptions = (network: NetworkRow, noticeHours: number | undefined): SignalOptions => ({
  minimumResponses: network.min_responses,
  ...(noticeHours !== undefined ? { noticeHours } : {}),
});

/**
 * The domain's assessment of each network at `now`, in a fixed number of queries (loaders batch
 * it). `cutoffs` (network → instant, from `memberCutoffs`) leaves out the meetings that started
 * after a former member left: they read what happened while they were members, nothing after.
 */
export async function assessNetworks(
  db: Kysely<Database>,
  tenantId: string,
  networks: readonly NetworkRow[],
  now: Date,
  cutoffs: ReadonlyMap<string, Date | null> = new Map(),
): Promise<Map<string, NetworkAssessment>> {
  const inputs = await healthInputs(
    db,
    tenantId,
    networks.map((n) => n.id),
  );
  return new Map(
    networks.map((n) => {
      const cutoff = cutoffs.get(n.id) ?? null;
      const { held: all, noticeHours } = inputs.get(n.id) ?? { held: [], noticeHours: undefined };
      const held = all.filter((m) => beforeCutoff(cutoff, m.startsAt));
      return [n.id, assessNetwork(held, now, assessmentOptions(n, noticeHours))];
    }),
  );
}

/** What health reads of one network: its held meetings (all of them) and its charter's notice. */
interface HealthInputs {
  readonly stamp: string;
  readonly held: readonly HeldMeeting[];
  readonly noticeHours: number | undefined;
}

/** How many networks' inputs each database handle keeps (the least recently read are dropped). */
const HEALTH_CACHE_SIZE = 1_000;
const healthCaches = new WeakMap<Kysely<Database>, Map<string, HealthInputs>>();

/**
 * The inputs of health for each network, reused while their fingerprint (`healthInputStamps`, one
 * query) is unchanged; only networks whose stamp changed are read again (four queries). The cache
 * holds stored facts, not results: the domain still assesses them at `now`, because health moves
 * with the clock too (evaluation windows close, an evaluation becomes overdue). The stamp is read
 * from the database on every call, so a write by any replica is seen at once.
 */
async function healthInputs(
  db: Kysely<Database>,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, HealthInputs>> {
  let cache = healthCaches.get(db);
  if (cache === undefined) {
    cache = new Map();
    healthCaches.set(db, cache);
  }
  const stamps = await healthInputStamps(db, tenantId, ids);
  const out = new Map<string, HealthInputs>();
  const stale: string[] = [];
  for (const [id, stamp] of stamps) {
    const key = `${tenantId}/${id}`;
    const hit = cache.get(key);
    if (hit?.stamp === stamp) {
      cache.delete(key);
      cache.set(key, hit);
      out.set(id, hit);
    } else stale.push(id);
  }
  if (stale.length > 0) {
    const [meetings, notice] = [
      await heldMeetingsOf(db, tenantId, stale),
      await noticeHoursOf(db, tenantId, stale),
    ];
    for (const id of stale) {
      const inputs = { stamp: stamps.get(id)!, held: meetings.get(id) ?? [], noticeHours: notice.get(id) };
      const key = `${tenantId}/${id}`;
      cache.delete(key);
      cache.set(key, inputs);
      out.set(id, inputs);
    }
    while (cache.size > HEALTH_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return out;
}

/** A signal on the wire (the domain's value as plain JSON). */
export function toSignalResource(s: Signal) {
  return {
    code: s.code,
    severity: s.severity,
    audience:
      s.audience.kind === 'member' ? { kind: 'member', memberId: s.audience.memberId } : { kind: 'network' },
    evidence: { ...s.evidence },
    title: { ...s.title },
    guidance: { ...s.guidance },
  };
}

/**
 * The health report as JSON (every field of the domain's report, dates as ISO strings) with the
 * network's own signals. The measures pass the domain's `discloseMeasures` (no count of members
 * below k).
 */
export function toHealthResource(report: HealthReport, signals: readonly Signal[], k?: number) {
  return {
    band: report.band,
    index: report.index,
    components: report.components ? { ...report.components } : null,
    measures: report.measures ? discloseMeasures(report.measures, k) : null,
    attendance: { ...report.attendance },
    meetingsInWindow: report.meetingsInWindow,
    evaluatedMeetings: report.evaluatedMeetings,
    trend: {
      direction: report.trend.direction,
      slope: report.trend.slope,
      meetings: report.trend.meetings.map((m) => ({
        meetingId: m.meetingId,
        meetingIds: [...m.meetingIds],
        startsAt: m.startsAt.toISOString(),
        index: m.index,
      })),
    },
    // Network-audience signals only: what the domain shows every viewer (an admin sees exactly these).
    signals: visibleSignals(signals, { role: 'admin' }).map(toSignalResource),
  };
}

/** The network's health for anyone who may see the network. */
export async function networkHealth(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
  now: Date,
) {
  const { network, assessment } = await assessForCaller(db, principal, networkId, now);
  return toHealthResource(assessment.health, assessment.signals, network.min_responses);
}

/**
 * The caller's network (404 when they may not see it) and the domain's assessment of it at `now`,
 * up to the caller's cutoff (a former member's leave date).
 */
async function assessForCaller(db: Kysely<Database>, principal: Principal, networkId: string, now: Date) {
  const network = await networkForCaller(db, principal, networkId);
  const cutoffs = await memberCutoffs(db, principal, [network.id], now);
  const assessment = (await assessNetworks(db, principal.tenantId, [network], now, cutoffs)).get(network.id)!;
  return { network, assessment };
}

/** Who the caller is to the domain's visibility rule: admin, the member facilitator, or a member. */
export function signalViewer(network: Pick<NetworkRow, 'facilitator'>, principal: Principal): SignalViewer {
  // A minted token acts, never reads: it sees what an admin sees (network signals), not the
  // member's own signal nor, for a facilitator, the consenting members' ones.
  if (principal.kind === 'admin' || principal.via === 'token') return { role: 'admin' };
  if (network.facilitator?.kind === 'member' && network.facilitator.leaderId === principal.leaderId) {
    return { role: 'facilitator', memberId: principal.leaderId };
  }
  return { role: 'member', memberId: principal.leaderId };
}

/** The tenant's policy and each network's consenting members, in two queries. */
export async function visibilityPolicies(
  db: Kysely<Database>,
  tenantId: string,
  networkIds: readonly string[],
): Promise<Map<string, SignalVisibilityPolicy>> {
  const tenant = await db
    .selectFrom('tenants')
    .select('facilitator_sees_member_signals')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  const now = new Date();
  const consenting = (
    networkIds.length === 0
      ? []
      : await db
          .selectFrom('network_members')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('network_id', 'in', networkIds)
          .where('signal_consent', '=', true)
          .execute()
  ).filter((row) => isActiveMembership(rowToMembership(row), now));
  return new Map(
    networkIds.map((id) => [
      id,
      {
        facilitatorMaySeeMemberSignals: tenant?.facilitator_sees_member_signals ?? false,
        consentingMemberIds: consenting.filter((c) => c.network_id === id).map((c) => c.leader_id),
      },
    ]),
  );
}

/**
 * Every signal the caller may see (domain's `visibleSignals`): network signals for all; a member's
 * own; the member facilitator also those of consenting members when the tenant allows it; an admin
 * never a member's.
 */
export async function signalsForCaller(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
  now: Date,
) {
  const { network, assessment } = await assessForCaller(db, principal, networkId, now);
  const policy = (await visibilityPolicies(db, principal.tenantId, [network.id])).get(network.id)!;
  return visibleSignals(assessment.signals, signalViewer(network, principal), policy).map(toSignalResource);
}

/**
 * The member's own signals only: those about them, never anyone else's. Private data: only in the
 * member's own session (an admin key or a minted token gets `private_data`).
 */
export async function mySignals(db: Kysely<Database>, principal: Principal, networkId: string, now: Date) {
  const session = requireOwnSession(principal);
  const { assessment } = await assessForCaller(db, session, networkId, now);
  return visibleSignals(assessment.signals, { role: 'member', memberId: session.leaderId })
    .filter((s) => s.audience.kind === 'member')
    .map(toSignalResource);
}
