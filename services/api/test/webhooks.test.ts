/**
 * Webhooks end to end in one process: endpoint management over REST and GraphQL, events caused
 * through the API arriving signed at a real receiver (every signature verified with
 * standardwebhooks), rotation, retries with backoff, the attempt log, redelivery, disabling, and
 * the outbound safety rules at delivery time. Time passes through the tasks' `now` argument.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t from '@sparring/test-workers/tap';
import { sql } from 'kysely';
import { deliverDueWebhooks, dispatchWebhookEvents } from '../src/webhooks/webhook.delivery.js';
import { RESPONSE_LOG_BYTES, sendWebhook } from '../src/webhooks/webhook.sender.js';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import { createLeaders, memberToken } from './helpers/network-fixtures.js';
import { startReceiver } from './helpers/webhook-receiver.js';

const TIMEOUT_MS = 1000;
const ctx = await buildTestApp(t, {
  SPARRING_WEBHOOK_ALLOW_PRIVATE: 'true',
  SPARRING_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
});
const { app } = ctx;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Dispatches until every event recorded so far is dispatched. An event becomes visible once no
 * older transaction is open anywhere on the server (docs/events.md), so on a PostgreSQL shared
 * with other test files it can take a moment: wait for that condition, not a fixed time.
 */
async function dispatchAll(now: Date) {
  const { last } = await app.db
    .selectFrom('events')
    .select(sql<number>`coalesce(max(position), 0)`.as('last'))
    .executeTakeFirstOrThrow();
  for (let i = 0; i < 600; i++) {
    await dispatchWebhookEvents(app.db, now);
    const cursor = await app.db
      .selectFrom('webhook_dispatch_cursor')
      .select('position')
      .executeTakeFirstOrThrow();
    if (Number(cursor.position) >= Number(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`events up to position ${last} were not dispatched within a minute`);
}

/** Runs the two webhook tasks at `now` (jitter fixed at its middle: delays exactly as scheduled). */
async function runWebhooks(now = new Date(), allowPrivate = true) {
  await dispatchAll(now);
  return deliverDueWebhooks(
    app.db,
    { timeoutMs: TIMEOUT_MS, allowPrivate, log: app.log, random: () => 0.5 },
    now,
  );
}

async function createEndpoint(auth: Auth, body: Record<string, unknown>) {
  const res = await api(app, auth).post('/v1/webhook-endpoints', body);
  if (res.statusCode !== 201) throw new Error(`endpoint: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; secret: string; version: number };
}

async function createNetwork(auth: Auth, name = 'Ledernetværk Aarhus 1') {
  const res = await api(app, auth).post('/v1/networks', { name });
  if (res.statusCode !== 201) throw new Error(`network: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
}

async function deliveriesOf(auth: Auth, endpointId: string) {
  const res = await api(app, auth).get(`/v1/webhook-endpoints/${endpointId}/deliveries`);
  return res.json().data as { id: string; status: string; eventId: string; nextAttemptAt: string | null }[];
}

async function deliveryLog(auth: Auth, id: string) {
  const res = await api(app, auth).get(`/v1/webhook-deliveries/${id}`);
  return res.json() as {
    status: string;
    attemptCount: number;
    nextAttemptAt: string | null;
    attempts: {
      attempt: number;
      trigger: string;
      outcome: string;
      responseStatus: number | null;
      responseBody: string | null;
      durationMs: number | null;
      error: string | null;
    }[];
  };
}

t.test(
  'endpoints over REST: create shows the secret once, reads never; validation; If-Match; admin only',
  async (t) => {
    const { auth } = await ctx.tenant();
    const created = await api(app, auth).post('/v1/webhook-endpoints', {
      url: 'https://hr.example.com/hooks',
      eventTypes: ['network.created'],
      description: 'HR',
    });
    t.equal(created.statusCode, 201);
    const endpoint = created.json();
    t.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'a Standard Webhooks secret (32 bytes, base64)');
    t.equal(created.headers.etag, '"1"');
    t.same(endpoint.eventTypes, ['network.created']);
    t.equal(endpoint.enabled, true);

    const read = await api(app, auth).get(`/v1/webhook-endpoints/${endpoint.id}`);
    t.equal(read.statusCode, 200);
    t.notOk('secret' in read.json(), 'no secret in a read');
    t.notMatch(read.body, endpoint.secret);
    const list = await api(app, auth).get('/v1/webhook-endpoints?limit=1');
    t.equal(list.json().data.length, 1);
    t.notMatch(list.body, endpoint.secret, 'no secret in a list');
    t.notMatch(list.body, 'whsec_');

    // Partial update with If-Match; a stale ETag is 412.
    const patched = await api(app, auth).patch(
      `/v1/webhook-endpoints/${endpoint.id}`,
      { eventTypes: null, description: 'every event' },
      { headers: { 'if-match': '"1"' } },
    );
    t.equal(patched.statusCode, 200);
    t.equal(patched.json().eventTypes, null, 'null: every event type');
    t.equal(patched.json().version, 2);
    const stale = await api(app, auth).patch(
      `/v1/webhook-endpoints/${endpoint.id}`,
      { description: 'late' },
      { headers: { 'if-match': '"1"' } },
    );
    t.equal(stale.statusCode, 412);
    t.equal(stale.json().code, 'precondition_failed');

    const disabled = await api(app, auth).post(`/v1/webhook-endpoints/${endpoint.id}/disable`);
    t.equal(disabled.json().enabled, false);
    t.equal(disabled.json().disabledReason, 'disabled by an admin');
    const enabled = await api(app, auth).post(`/v1/webhook-endpoints/${endpoint.id}/enable`);
    t.equal(enabled.json().enabled, true);
    t.equal(enabled.json().disabledReason, null);

    // Bad input: stable codes.
    for (const [body, code] of [
      [{ url: 'ftp://hr.example.com/hooks' }, 'webhook_url_invalid'],
      [{ url: 'not a url' }, 'webhook_url_invalid'],
      [{ url: 'https://user:pass@hr.example.com/hooks' }, 'webhook_url_invalid'],
      [{ url: 'https://hr.example.com/hooks', eventTypes: ['network.exploded'] }, 'unknown_event_type'],
      [{ url: 'https://hr.example.com/hooks', eventTypes: [] }, 'validation_failed'],
      [{ url: 'https://hr.example.com/hooks', secret: 'whsec_mine' }, 'validation_failed'],
    ] as const) {
      const res = await api(app, auth).post('/v1/webhook-endpoints', body);
      t.equal(res.statusCode, 400, JSON.stringify(body));
      t.equal(res.json().code, code, JSON.stringify(body));
    }

    // A member token and another tenant's key reach nothing.
    const [leaderId] = await createLeaders(app, auth, 1);
    const member = await memberToken(app, auth, leaderId as string);
    for (const [method, url] of [
      ['GET', '/v1/webhook-endpoints'],
      ['GET', `/v1/webhook-endpoints/${endpoint.id}`],
      ['POST', '/v1/webhook-endpoints'],
      ['POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`],
    ] as const) {
      const res = await api(app, member).send(
        method,
        url,
        method === 'POST' ? { url: 'https://hr.example.com/x' } : undefined,
      );
      t.equal(res.statusCode, 403, `member: ${method} ${url}`);
    }
    const other = await ctx.tenant();
    const foreign = await api(app, other.auth).get(`/v1/webhook-endpoints/${endpoint.id}`);
    t.equal(foreign.statusCode, 404, "another tenant's endpoint is not found");

    const deleted = await api(app, auth).delete(`/v1/webhook-endpoints/${endpoint.id}`);
    t.equal(deleted.statusCode, 204);
    t.equal((await api(app, auth).get(`/v1/webhook-endpoints/${endpoint.id}`)).statusCode, 404);
  },
);

t.test('endpoints over GraphQL: the same use cases and codes; no secret field to read', async (t) => {
  const { auth } = await ctx.tenant();
  const created = await gql(
    app,
    auth,
    `mutation($input: CreateWebhookEndpointInput!) {
      createWebhookEndpoint(input: $input) { secret endpoint { id url eventTypes enabled version } }
    }`,
    { input: { url: 'https://hr.example.com/gql', eventTypes: ['meeting.scheduled'] } },
  );
  t.equal(created.status, 200);
  const created_ = created.body.data?.createWebhookEndpoint as
    | { secret: string; endpoint: { id: string; version: number } }
    | undefined;
  const secret = created_?.secret ?? '';
  const endpoint = created_?.endpoint ?? { id: '', version: 0 };
  t.match(secret, /^whsec_/);
  const read = await gql(
    app,
    auth,
    `{ webhookEndpoints(first: 10) { nodes { id url eventTypes } nextCursor } }`,
  );
  t.same(read.body.data, {
    webhookEndpoints: {
      nodes: [{ id: endpoint.id, url: 'https://hr.example.com/gql', eventTypes: ['meeting.scheduled'] }],
      nextCursor: null,
    },
  });
  t.notMatch(JSON.stringify(read.body), secret);
  const noField = await gql(app, auth, `{ webhookEndpoint(id: "${endpoint.id}") { secret } }`);
  t.equal(noField.status, 400, 'an endpoint has no secret field');

  const updated = await gql(
    app,
    auth,
    `mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { eventTypes: null }, ifVersion: 1) { eventTypes version } }`,
    { id: endpoint.id },
  );
  t.same(updated.body.data, { updateWebhookEndpoint: { eventTypes: null, version: 2 } });
  const stale = await gql(
    app,
    auth,
    `mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { description: "x" }, ifVersion: 1) { version } }`,
    { id: endpoint.id },
  );
  t.equal(stale.body.errors?.[0]?.extensions.code, 'precondition_failed');
  const unknown = await gql(
    app,
    auth,
    `mutation { createWebhookEndpoint(input: { url: "https://hr.example.com/x", eventTypes: ["nope"] }) { secret } }`,
  );
  t.equal(unknown.body.errors?.[0]?.extensions.code, 'unknown_event_type');
  const badUrl = await gql(
    app,
    auth,
    `mutation { createWebhookEndpoint(input: { url: "gopher://x" }) { secret } }`,
  );
  t.equal(badUrl.body.errors?.[0]?.extensions.code, 'webhook_url_invalid');

  const rotated = await gql(
    app,
    auth,
    `mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret endpoint { previousSecretExpiresAt } } }`,
    { id: endpoint.id },
  );
  const rotation = rotated.body.data?.rotateWebhookEndpointSecret as {
    secret: string;
    endpoint: { previousSecretExpiresAt: string };
  };
  t.not(rotation.secret, secret, 'a new secret');
  t.ok(
    Math.abs(Date.parse(rotation.endpoint.previousSecretExpiresAt) - Date.now() - DAY) < MINUTE,
    'the old one for 24 h',
  );

  const off = await gql(
    app,
    auth,
    `mutation($id: ID!) { disableWebhookEndpoint(id: $id) { enabled disabledReason } }`,
    {
      id: endpoint.id,
    },
  );
  t.same(off.body.data, {
    disableWebhookEndpoint: { enabled: false, disabledReason: 'disabled by an admin' },
  });
  const on = await gql(app, auth, `mutation($id: ID!) { enableWebhookEndpoint(id: $id) { enabled } }`, {
    id: endpoint.id,
  });
  t.same(on.body.data, { enableWebhookEndpoint: { enabled: true } });

  const [leaderId] = await createLeaders(app, auth, 1);
  const member = await memberToken(app, auth, leaderId as string);
  const refused = await gql(app, member, `{ webhookEndpoints { nodes { id } } }`);
  t.equal(refused.body.errors?.[0]?.extensions.code, 'forbidden', 'a member token is refused');
  const refusedCreate = await gql(
    app,
    member,
    `mutation { createWebhookEndpoint(input: { url: "https://hr.example.com/x" }) { secret } }`,
  );
  t.equal(refusedCreate.body.errors?.[0]?.extensions.code, 'forbidden');

  const deleted = await gql(app, auth, `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, {
    id: endpoint.id,
  });
  t.same(deleted.body.data, { deleteWebhookEndpoint: true });
  const gone = await gql(app, auth, `query($id: ID!) { webhookEndpoint(id: $id) { id } }`, {
    id: endpoint.id,
  });
  t.equal(gone.body.errors?.[0]?.extensions.code, 'not_found');
});

t.test(
  'an event caused through the API arrives signed, to its own tenant only, filtered by type',
  async (t) => {
    const { auth } = await ctx.tenant();
    const other = await ctx.tenant();
    const endpoint = await createEndpoint(auth, { url: 'PLACEHOLDER' }).catch(() => undefined);
    t.equal(endpoint, undefined, 'a URL that is not one is refused');
    const receiver = await startReceiver(t);
    const ours = await createEndpoint(auth, { url: receiver.url, eventTypes: ['network.created'] });
    receiver.secrets = [ours.secret];

    await createLeaders(app, auth, 1); // leader.created: not subscribed
    const network = await createNetwork(auth);
    await createNetwork(other.auth, 'Not ours'); // another tenant's event
    await dispatchAll(new Date()); // the event visible (see dispatchAll), then the scheduler's run
    const ran = await app.scheduler.runDue({ force: true });
    t.ok(
      ran.includes('webhooks.dispatch') && ran.includes('webhooks.deliver'),
      'the scheduler runs both tasks',
    );
    await receiver.waitFor(1);

    t.same(receiver.failures, [], 'every signature verified');
    t.equal(receiver.received.length, 1, 'one webhook: the network of our tenant, nothing else');
    const [hook] = receiver.received;
    t.equal(hook?.json.type, 'network.created');
    t.equal(hook?.json.data.networkId, network.id);
    t.equal(hook?.json.data.name, 'Ledernetværk Aarhus 1');
    t.ok(
      Math.abs(Number(hook?.timestamp) * 1000 - Date.now()) < MINUTE,
      'webhook-timestamp is the time of sending',
    );
    const [delivery] = await deliveriesOf(auth, ours.id);
    t.equal(delivery?.eventId, hook?.id, 'webhook-id is the event id');
    t.equal(delivery?.status, 'succeeded');

    // Nothing more on another run: each event is dispatched once.
    await app.scheduler.runDue({ force: true });
    t.equal(receiver.hits, 1);
  },
);

t.test('rotation: both secrets sign for 24 h, then only the new one', async (t) => {
  const { auth } = await ctx.tenant();
  const receiver = await startReceiver(t);
  const endpoint = await createEndpoint(auth, { url: receiver.url, eventTypes: ['network.created'] });
  const rotated = await api(app, auth).post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
  t.equal(rotated.statusCode, 200);
  const { secret: next } = rotated.json() as { secret: string };
  t.not(next, endpoint.secret);

  receiver.secrets = [endpoint.secret, next];
  receiver.mustVerifyWith = [endpoint.secret, next];
  await createNetwork(auth, 'During the overlap');
  await runWebhooks();
  await receiver.waitFor(1);
  t.same(receiver.failures, []);
  t.equal(receiver.received[0]?.signatures.length, 2, 'two signatures, space-separated');
  t.same(
    receiver.received[0]?.verifiedBy,
    [endpoint.secret, next],
    'the old secret and the new one both verify',
  );

  receiver.secrets = [next];
  receiver.mustVerifyWith = [next];
  await createNetwork(auth, 'After the overlap');
  await runWebhooks(new Date(Date.now() + DAY + HOUR));
  await receiver.waitFor(2);
  t.same(receiver.failures, [], 'no signature with the old secret after 24 h');
  t.equal(receiver.received[1]?.signatures.length, 1);
});

t.test(
  'receiver down, then failing, then up: retries on the schedule; the log; manual redelivery',
  async (t) => {
    const { auth } = await ctx.tenant();
    const receiver = await startReceiver(t);
    const endpoint = await createEndpoint(auth, { url: receiver.url, eventTypes: ['network.created'] });
    receiver.secrets = [endpoint.secret];
    await receiver.stop(); // connection refused

    await createNetwork(auth);
    const t0 = new Date();
    t.equal(await runWebhooks(t0), 1, 'one attempt');
    const [delivery] = await deliveriesOf(auth, endpoint.id);
    const id = delivery?.id as string;
    let log = await deliveryLog(auth, id);
    t.equal(log.status, 'pending');
    t.equal(log.attempts[0]?.outcome, 'failed');
    t.match(log.attempts[0]?.error, /ECONNREFUSED/);
    t.equal(Date.parse(log.nextAttemptAt as string), t0.getTime() + 5 * SECOND, 'attempt 2 after 5 s');

    t.equal(await runWebhooks(new Date(t0.getTime() + 4 * SECOND)), 0, 'not before it is due');

    await receiver.start();
    receiver.replies = [{ status: 500, body: 'database down' }];
    const t1 = new Date(t0.getTime() + 5 * SECOND);
    t.equal(await runWebhooks(t1), 1);
    log = await deliveryLog(auth, id);
    t.equal(log.attempts[1]?.responseStatus, 500);
    t.equal(log.attempts[1]?.responseBody, 'database down');
    t.equal(Date.parse(log.nextAttemptAt as string), t1.getTime() + 5 * MINUTE, 'attempt 3 after 5 min');

    const t2 = new Date(t1.getTime() + 5 * MINUTE);
    t.equal(await runWebhooks(t2), 1);
    await receiver.waitFor(1);
    log = await deliveryLog(auth, id);
    t.equal(log.status, 'succeeded');
    t.equal(log.nextAttemptAt, null);
    t.same(
      log.attempts.map((a) => [a.attempt, a.trigger, a.outcome, a.responseStatus]),
      [
        [1, 'scheduled', 'failed', null],
        [2, 'scheduled', 'failed', 500],
        [3, 'scheduled', 'succeeded', 204],
      ],
    );
    t.ok(
      log.attempts.every((a) => typeof a.durationMs === 'number' && a.durationMs >= 0),
      'latency of each attempt',
    );

    // The same log over GraphQL.
    const viaGraphql = await gql(
      app,
      auth,
      `query($id: ID!) { webhookDelivery(id: $id) { status attemptCount attempts { attempt outcome responseStatus } } }`,
      { id },
    );
    t.same(viaGraphql.body.data, {
      webhookDelivery: {
        status: 'succeeded',
        attemptCount: 3,
        attempts: [
          { attempt: 1, outcome: 'failed', responseStatus: null },
          { attempt: 2, outcome: 'failed', responseStatus: 500 },
          { attempt: 3, outcome: 'succeeded', responseStatus: 204 },
        ],
      },
    });

    // Manual redelivery: the same webhook-id and body again, recorded as a manual attempt.
    const again = await api(app, auth).post(`/v1/webhook-deliveries/${id}/redeliver`);
    t.equal(again.statusCode, 202);
    t.equal(again.json().status, 'pending');
    await runWebhooks();
    await receiver.waitFor(2);
    t.equal(receiver.received[1]?.id, receiver.received[0]?.id, 'the same webhook-id');
    t.equal(receiver.received[1]?.body, receiver.received[0]?.body, 'the same body');
    log = await deliveryLog(auth, id);
    t.same(log.attempts.at(-1), {
      ...log.attempts.at(-1),
      attempt: 4,
      trigger: 'manual',
      outcome: 'succeeded',
    });

    // Redelivery over GraphQL; refused while the endpoint is disabled.
    const viaGql = await gql(
      app,
      auth,
      `mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { status } }`,
      { id },
    );
    t.same(viaGql.body.data, { redeliverWebhookDelivery: { status: 'pending' } });
    await runWebhooks();
    await receiver.waitFor(3);
    await api(app, auth).post(`/v1/webhook-endpoints/${endpoint.id}/disable`);
    const refused = await api(app, auth).post(`/v1/webhook-deliveries/${id}/redeliver`);
    t.equal(refused.statusCode, 409);
    t.equal(refused.json().code, 'webhook_endpoint_disabled');
    const other = await ctx.tenant();
    const foreign = await api(app, other.auth).post(`/v1/webhook-deliveries/${id}/redeliver`);
    t.equal(foreign.statusCode, 404, "another tenant's delivery is not found");
    t.same(receiver.failures, []);
  },
);

t.test('a delivery gives up after the last scheduled attempt (about three days)', async (t) => {
  const { auth } = await ctx.tenant();
  const receiver = await startReceiver(t);
  const endpoint = await createEndpoint(auth, { url: receiver.url, eventTypes: ['network.created'] });
  receiver.secrets = [endpoint.secret];
  receiver.defaultReply = { status: 503 };
  await createNetwork(auth);
  let now = new Date();
  const start = now.getTime();
  const [delivery] = await (async () => {
    await runWebhooks(now);
    return deliveriesOf(auth, endpoint.id);
  })();
  const id = delivery?.id as string;
  for (let i = 0; i < 20; i++) {
    const log = await deliveryLog(auth, id);
    if (log.nextAttemptAt === null) break;
    now = new Date(log.nextAttemptAt);
    await runWebhooks(now);
  }
  const log = await deliveryLog(auth, id);
  t.equal(log.status, 'failed');
  t.equal(log.attemptCount, 10, 'ten attempts (the Standard Webhooks example schedule)');
  t.equal(
    now.getTime() - start,
    (75 * 60 + 35) * MINUTE + 5 * SECOND,
    'the last one 75 h 35 min 5 s after the first',
  );
  t.equal(receiver.hits, 10);
});

t.test(
  'an endpoint failing for 5 days is disabled and webhook_endpoint.disabled is recorded; 410 disables at once',
  async (t) => {
    const { auth } = await ctx.tenant();
    const failing = await startReceiver(t);
    failing.defaultReply = { status: 500 };
    const monitor = await startReceiver(t);
    const bad = await createEndpoint(auth, { url: failing.url, eventTypes: ['network.created'] });
    const watch = await createEndpoint(auth, { url: monitor.url, eventTypes: ['webhook_endpoint.disabled'] });
    failing.secrets = [bad.secret];
    monitor.secrets = [watch.secret];

    await createNetwork(auth, 'One');
    const t0 = new Date();
    await runWebhooks(t0);
    const afterOneFailure = await api(app, auth).get(`/v1/webhook-endpoints/${bad.id}`);
    t.equal(afterOneFailure.json().failingSince, t0.toISOString(), 'failing since the first failure');
    t.equal(afterOneFailure.json().enabled, true);

    await createNetwork(auth, 'Two');
    const later = new Date(t0.getTime() + 5 * DAY + MINUTE);
    await runWebhooks(later);
    const disabled = await api(app, auth).get(`/v1/webhook-endpoints/${bad.id}`);
    t.equal(disabled.json().enabled, false, 'disabled after 5 days of failures');
    t.match(disabled.json().disabledReason, /failed for 5 days/);

    await runWebhooks(later); // dispatches the webhook_endpoint.disabled event
    await monitor.waitFor(1);
    t.equal(monitor.received[0]?.json.type, 'webhook_endpoint.disabled');
    t.equal(monitor.received[0]?.json.data.webhookEndpointId, bad.id);
    t.same(monitor.failures, []);

    const hitsBefore = failing.hits;
    await createNetwork(auth, 'Three');
    await runWebhooks(new Date(later.getTime() + DAY));
    t.equal(failing.hits, hitsBefore, 'nothing is sent to a disabled endpoint');

    // 410 Gone: the receiver wants no more.
    const goneReceiver = await startReceiver(t);
    goneReceiver.defaultReply = { status: 410 };
    const gone = await createEndpoint(auth, { url: goneReceiver.url, eventTypes: ['network.created'] });
    goneReceiver.secrets = [gone.secret];
    await createNetwork(auth, 'Four');
    await runWebhooks();
    const goneRead = await api(app, auth).get(`/v1/webhook-endpoints/${gone.id}`);
    t.equal(goneRead.json().enabled, false);
    t.equal(goneRead.json().disabledReason, 'the receiver answered 410 Gone');
  },
);

t.test(
  'outbound safety at delivery time: no redirects, DNS checked at connect, capped bodies, timeouts',
  async (t) => {
    const { auth } = await ctx.tenant();
    const target = await startReceiver(t);
    const redirecting = await startReceiver(t);
    redirecting.defaultReply = { status: 307, headers: { location: target.url } };
    const endpoint = await createEndpoint(auth, { url: redirecting.url, eventTypes: ['network.created'] });
    redirecting.secrets = [endpoint.secret];
    target.secrets = [endpoint.secret];
    await createNetwork(auth);
    await runWebhooks();
    const [delivery] = await deliveriesOf(auth, endpoint.id);
    const log = await deliveryLog(auth, delivery?.id as string);
    t.equal(log.attempts[0]?.responseStatus, 307);
    t.equal(log.attempts[0]?.outcome, 'failed', 'a 3xx is a failure');
    t.match(log.attempts[0]?.error, /redirect/);
    t.equal(target.hits, 0, 'the redirect is not followed');

    // A host name that resolves to loopback, refused when the operator has not allowed it: the
    // address is checked in the socket's own lookup, so nothing connects.
    const local = await startReceiver(t);
    const viaName = await createEndpoint(auth, {
      url: `http://localhost:${local.port}/hooks`,
      eventTypes: ['network.created'],
    });
    local.secrets = [viaName.secret];
    await createNetwork(auth);
    await runWebhooks(new Date(), false);
    const [refused] = await deliveriesOf(auth, viaName.id);
    const refusedLog = await deliveryLog(auth, refused?.id as string);
    t.match(
      refusedLog.attempts[0]?.error,
      /resolves to (127\.0\.0\.1|::1) \(loopback\), which is not allowed/,
    );
    t.equal(local.hits, 0, 'nothing reached the receiver');

    // A huge (endless) body is read up to 64 KiB and 1 KiB of it kept; a slow receiver times out.
    const endless = http.createServer((_req, res) => {
      res.writeHead(500);
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const write = () => {
        while (res.write(chunk)) {}
        res.once('drain', write);
      };
      write();
    });
    const slow = http.createServer(() => {}); // never answers
    for (const s of [endless, slow]) {
      s.listen(0, '127.0.0.1');
      await new Promise((r) => s.once('listening', r));
      t.teardown(() => {
        s.closeAllConnections();
        s.close();
      });
    }
    const urlOf = (s: http.Server) => new URL(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`);
    const capped = await sendWebhook(urlOf(endless), {}, '{}', { timeoutMs: 5000, allowPrivate: true });
    t.equal(capped.kind, 'response');
    if (capped.kind === 'response') {
      t.equal(capped.truncated, true, 'reading stopped at the cap');
      t.equal(capped.body.length, RESPONSE_LOG_BYTES, 'the first 1 KiB is kept');
      t.ok(capped.durationMs < 5000, 'it did not wait for the end of an endless body');
    }
    const timedOut = await sendWebhook(urlOf(slow), {}, '{}', { timeoutMs: 300, allowPrivate: true });
    t.same(
      { kind: timedOut.kind, error: timedOut.kind === 'error' ? timedOut.error : '' },
      { kind: 'error', error: 'timeout' },
    );
    t.ok(
      timedOut.durationMs >= 290 && timedOut.durationMs < 3000,
      `gave up after the timeout (${timedOut.durationMs} ms)`,
    );
    const literal = await sendWebhook(new URL('http://169.254.169.254/latest'), {}, '{}', {
      timeoutMs: 300,
      allowPrivate: false,
    });
    t.match(
      literal.kind === 'error' ? literal.error : '',
      /linkLocal/,
      'an IP literal is checked before connecting',
    );
  },
);
