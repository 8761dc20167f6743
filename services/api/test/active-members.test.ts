/**
 * One active-member rule: the service asks the domain (`joinedAt ≤ now < leftAt`). A member whose
 * leave date is still ahead acts (answers a meeting) until that date; one whose date has passed
 * does not; the service's `activeMemberIds` agrees with the domain's on the stored rows.
 */
import { activeMemberIds as domainActiveMemberIds } from '@sparring/domain';
import t from '@sparring/test-workers/tap';
import { rowToMembership } from '../src/networks/network.repository.js';
import { activeMemberIds } from '../src/networks/network-access.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { createLeaders, createNetwork, memberToken, modelAndMeetings } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
const DAY = 86_400_000;

const { tenantId, auth } = await ctx.tenant();

const leave = (networkId: string, leaderId: string, leftAt: Date) =>
  api(app, auth).post(`/v1/networks/${networkId}/members/${leaderId}/leave`, {
    leftAt: leftAt.toISOString(),
  });

const respond = (meetingId: string, auth: Record<string, string>) =>
  api(app, auth).post(`/v1/meetings/${meetingId}/attendance/me`, { status: 'confirmed' });

t.test('a member leaving in 30 days still acts; one who left yesterday does not', async (t) => {
  const leaders = await createLeaders(app, auth, 6);
  const networkId = await createNetwork(app, tenantId, leaders, { status: 'trial' });
  const [meeting] = await modelAndMeetings(app, auth, networkId, 1);
  const [, leaving, gone] = leaders;

  t.equal((await leave(networkId, leaving!, new Date(Date.now() + 30 * DAY))).statusCode, 200);
  const leavingRes = await respond(meeting!.id, await memberToken(app, auth, leaving!));
  t.equal(leavingRes.statusCode, 200, `a future leave date: still a member (${leavingRes.body})`);

  // A leave date in the past (after the long-ago join): the membership has ended.
  t.equal((await leave(networkId, gone!, new Date(Date.now() - DAY))).statusCode, 200);
  const goneRes = await respond(meeting!.id, await memberToken(app, auth, gone!));
  t.ok(goneRes.statusCode === 403 || goneRes.statusCode === 404, `left: refused (${goneRes.statusCode})`);

  const ids = await activeMemberIds(app.db, tenantId, networkId);
  t.ok(ids.includes(leaving!), 'counted until the date');
  t.notOk(ids.includes(gone!), 'not counted after it');
  t.equal(ids.length, 5);
  const rows = await app.db
    .selectFrom('network_members')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', '=', networkId)
    .execute();
  t.same(ids, domainActiveMemberIds(rows.map(rowToMembership), new Date()), "the domain's rule, same order");
  const later = await activeMemberIds(app.db, tenantId, networkId, new Date(Date.now() + 31 * DAY));
  t.notOk(later.includes(leaving!), 'after the date: no longer a member');
  t.equal(later.length, 4);
});
