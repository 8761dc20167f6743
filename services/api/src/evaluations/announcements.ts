/**
 * Events that time causes rather than a request: results released when an evaluation window
 * closes by its deadline, network signals raised and cleared. A periodic task reads each network
 * with held meetings through the domain's own rules (`releaseStateOf`, `assessNetwork`,
 * `visibleSignals` for an admin = network signals only) and records what changed since the last
 * run. What was announced is kept in `network_announcements` (one row per release and per raised
 * signal), inserted with ON CONFLICT DO NOTHING, so each event is recorded exactly once even when
 * a request and the task, or two replicas, see the same change at the same moment. The events
 * plugin (events/events.plugin.ts) runs the task with the function app.ts hands it.
 */
import { releaseStateOf, type Signal, visibleSignals } from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { recordEvent } from '../events/event.repository.js';
import { heldMeetingsOf } from './health.repository.js';
import { assessNetworks } from './health.service.js';

type Db = Kysely<Database>;

const releaseKey = (lastMeetingId: string) => `release:${lastMeetingId}`;
const signalKey = (code: string) => `signal:${code}`;

/** Inserts the announcement; true when this call made it (so the caller records the event). */
async function claim(trx: Db, tenantId: string, networkId: string, key: string): Promise<boolean> {
  const row = await trx
    .insertInto('network_announcements')
    .values({ tenant_id: tenantId, network_id: networkId, key })
    .onConflict((oc) => oc.columns(['tenant_id', 'network_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records evaluation.results_released for each release of the network (the domain's release rule
 * at `now`, with the network's k as summaries use it) not announced before. A release never
 * changes, so its last meeting names it. Call it in the transaction that may have closed a window
 * (an early close), or from the periodic task.
 */
export async function announceReleases(trx: Db, network: NetworkRow, now: Date): Promise<void> {
  const held = (await heldMeetingsOf(trx, network.tenant_id, [network.id])).get(network.id) ?? [];
  const state = releaseStateOf(held, { now, minimumResponses: network.min_responses });
  for (const release of state.releases) {
    const last = release.meetingIds.at(-1);
    if (last === undefined || !(await claim(trx, network.tenant_id, network.id, releaseKey(last)))) continue;
    await recordEvent(trx, network.tenant_id, {
      type: 'evaluation.results_released',
      data: { networkId: network.id, meetingIds: [...release.meetingIds] },
    });
  }
}

/**
 * Records signal.raised for each network signal present now and not announced, and
 * signal.cleared for each announced one that is gone. Member signals never reach this function's
 * output: `visibleSignals` for an admin keeps network signals only.
 */
export async function announceSignals(
  trx: Db,
  network: NetworkRow,
  signals: readonly Signal[],
): Promise<void> {
  const current = new Map<string, Signal>();
  for (const s of visibleSignals(signals, { role: 'admin' }))
    if (!current.has(s.code)) current.set(s.code, s);
  for (const [code, signal] of current) {
    if (!(await claim(trx, network.tenant_id, network.id, signalKey(code)))) continue;
    await recordEvent(trx, network.tenant_id, {
      type: 'signal.raised',
      data: { networkId: network.id, code: signal.code, severity: signal.severity },
    });
  }
  const cleared = await trx
    .deleteFrom('network_announcements')
    .where('tenant_id', '=', network.tenant_id)
    .where('network_id', '=', network.id)
    .where('key', 'like', 'signal:%')
    .$if(current.size > 0, (q) =>
      q.where(
        'key',
        'not in',
        [...current.keys()].map((code) => signalKey(code)),
      ),
    )
    .returning('key')
    .execute();
  for (const { key } of cleared) {
    const code = key.slice('signal:'.length) as Signal['code'];
    await recordEvent(trx, network.tenant_id, {
      type: 'signal.cleared',
      data: { networkId: network.id, code },
    });
  }
}

/** How many networks one pass reads at a time (one tenant's batch: a fixed number of queries). */
const BATCH = 100;

/**
 * The periodic task: every network with a held meeting, tenant by tenant, in batches; each
 * network's announcements and events in one transaction of their own.
 */
export async function announceTimeDrivenEvents(db: Db, now: Date = new Date()): Promise<void> {
  let after: { tenantId: string; id: string } | null = null;
  for (;;) {
    const cursor: { tenantId: string; id: string } | null = after;
    const networks = await db
      .selectFrom('networks')
      .selectAll()
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('meetings')
            .select(sql`1`.as('one'))
            .whereRef('meetings.tenant_id', '=', 'networks.tenant_id')
            .whereRef('meetings.network_id', '=', 'networks.id')
            .where('meetings.status', '=', 'held'),
        ),
      )
      .$if(cursor !== null, (q) =>
        q.where(
          sql<boolean>`(networks.tenant_id, networks.id) > (${cursor?.tenantId}::uuid, ${cursor?.id}::uuid)`,
        ),
      )
      .orderBy('tenant_id')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (networks.length === 0) return;
    const byTenant = new Map<string, NetworkRow[]>();
    for (const n of networks) byTenant.set(n.tenant_id, [...(byTenant.get(n.tenant_id) ?? []), n]);
    for (const [tenantId, rows] of byTenant) {
      const assessments = await assessNetworks(db, tenantId, rows, now);
      for (const network of rows) {
        await db.transaction().execute(async (trx) => {
          await announceReleases(trx, network, now);
          await announceSignals(trx, network, assessments.get(network.id)?.signals ?? []);
        });
      }
    }
    const last = networks.at(-1) as NetworkRow;
    after = { tenantId: last.tenant_id, id: last.id };
  }
}
