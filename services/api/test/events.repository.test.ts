/**
 * The outbox's storage: events recorded in a transaction are read back in feed order, only once
 * their transaction can no longer be overtaken, and paging by position never skips one.
 */

import t from '@sparring/test-workers/tap';
import { listEvents, recordEvent, visibleEventsAfter } from '../src/events/event.repository.js';
import { buildTestApp } from './helpers/build.js';
import { eventsSettled } from './helpers/events.js';

t.test(
  'recorded events are listed in order, per tenant, with a type filter and a position cursor',
  async (t) => {
    const { app, tenant } = await buildTestApp(t);
    const a = await tenant();
    const b = await tenant();
    const ids = ['0190a5f4-0000-7000-8000-000000000001', '0190a5f4-0000-7000-8000-000000000002'];
    await app.db.transaction().execute(async (trx) => {
      await recordEvent(trx, a.tenantId, { type: 'leader.created', data: { leaderId: ids[0] as string } });
      await recordEvent(trx, b.tenantId, { type: 'leader.created', data: { leaderId: ids[1] as string } });
      await recordEvent(trx, a.tenantId, {
        type: 'leader.updated',
        data: { leaderId: ids[0] as string, version: 2 },
      });
    });
    // A rolled-back change leaves no event.
    await app.db
      .transaction()
      .execute(async (trx) => {
        await recordEvent(trx, a.tenantId, { type: 'leader.created', data: { leaderId: ids[1] as string } });
        throw new Error('rollback');
      })
      .catch(() => {});
    await eventsSettled(app.db);
    const all = await listEvents(app.db, a.tenantId, { limit: 10 });
    t.same(
      all.map((e) => e.type),
      ['leader.created', 'leader.updated'],
    );
    t.ok(BigInt(all[0]?.position ?? 0) < BigInt(all[1]?.position ?? 0));
    const rest = await listEvents(app.db, a.tenantId, { after: all[0]?.position, limit: 10 });
    t.same(
      rest.map((e) => e.id),
      [all[1]?.id],
    );
    const filtered = await listEvents(app.db, a.tenantId, { types: ['leader.updated'], limit: 10 });
    t.same(
      filtered.map((e) => e.data),
      [{ leaderId: ids[0], version: 2 }],
    );
    const global = await visibleEventsAfter(app.db, 0n, 10);
    t.equal(global.length, 3);
    t.same(await visibleEventsAfter(app.db, global[1]?.position ?? '', 10), [global[2]]);
  },
);
