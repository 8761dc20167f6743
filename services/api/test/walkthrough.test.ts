/**
 * Runs docs/walkthrough.md as written: every ```http block, in order, against a fresh service
 * (PGlite, or PostgreSQL with DATABASE_URL). A block fails the test with its line number when the
 * status differs from `expect=`, a `check=` value differs, a `save=` path is missing, or a GraphQL
 * response carries errors. Then a few key facts of the story are read from the saved values.
 * A second test drives the story's start through the generated client (@sparring/client).
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import t from '@sparring/test-workers/tap';
import { deliverDueWebhooks, dispatchWebhookEvents } from '../src/webhooks/webhook.delivery.js';
import { api, type Method } from './helpers/api.js';
import { buildTestApp, type TestApp } from './helpers/build.js';
import { clientOf } from './helpers/client.js';
import { leaderBody } from './helpers/fixtures.js';
import {
  asText,
  graphqlPayload,
  type HttpBlock,
  httpBlocks,
  POLL_DELAY_MS,
  POLL_TRIES,
  readPath,
  substitute,
} from './helpers/http-blocks.js';
import { startReceiver } from './helpers/webhook-receiver.js';

const DOC = 'docs/walkthrough.md';
const markdown = readFileSync(new URL(`../../../${DOC}`, import.meta.url), 'utf8');
const blocks = httpBlocks(markdown);

/** Sends one block with the saved values substituted; returns the status and parsed body. */
async function send(app: TestApp, block: HttpBlock, vars: Record<string, string>) {
  const headers = Object.fromEntries(Object.entries(block.headers).map(([k, v]) => [k, substitute(v, vars)]));
  const body = block.body === undefined ? undefined : substitute(block.body, vars);
  const isGraphql = headers['x-request-type']?.toLowerCase() === 'graphql';
  delete headers['x-request-type'];
  const payload = isGraphql && body !== undefined ? JSON.stringify(graphqlPayload(body)) : body;
  const res = await api(app, headers).send(block.method as Method, substitute(block.url, vars), payload);
  let json: unknown;
  try {
    json = res.body === '' ? undefined : JSON.parse(res.body);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, json, text: res.body, isGraphql };
}

t.test('docs/walkthrough.md runs as written', async (t) => {
  // The HR platform's webhook receiver on this machine (every signature checked with standardwebhooks).
  const ctx = await buildTestApp(t, { SPARRING_WEBHOOK_ALLOW_PRIVATE: 'true' });
  const receiver = await startReceiver(t);
  const { key } = await ctx.tenant('Walkthrough HR');
  const vars: Record<string, string> = { adminKey: key, webhookUrl: receiver.url };
  // Background jobs are off in tests: the webhook tasks run between polls, as a running service's would.
  const webhookTasks = async () => {
    await dispatchWebhookEvents(ctx.app.db);
    await deliverDueWebhooks(ctx.app.db, {
      timeoutMs: ctx.config.webhookTimeoutMs,
      allowPrivate: true,
      log: ctx.app.log,
    });
  };

  t.ok(blocks.length >= 40, `the walkthrough has its blocks (${blocks.length})`);
  t.ok(
    blocks.some((b) => b.headers['x-request-type'] === 'GraphQL') &&
      blocks.some((b) => b.url.startsWith('/v1/')),
    'the walkthrough uses REST and GraphQL',
  );

  for (const block of blocks) {
    const where = `${DOC}:${block.line} ${block.method} ${block.url}`;
    let res = await send(ctx.app, block, vars);
    if (block.poll) {
      const { path } = block.poll;
      const wanted = substitute(block.poll.value, vars);
      for (let i = 1; i < POLL_TRIES && asText(readPath(res.json, path)) !== wanted; i++) {
        await sleep(POLL_DELAY_MS);
        if (vars.webhookSecret) receiver.secrets = [vars.webhookSecret];
        await webhookTasks();
        res = await send(ctx.app, block, vars);
      }
    }
    const failures: string[] = [];
    if (res.status !== block.expect) failures.push(`status ${res.status}, expected ${block.expect}`);
    if (res.isGraphql && (res.json as { errors?: unknown })?.errors) failures.push('GraphQL errors');
    for (const c of [...block.check, ...(block.poll ? [block.poll] : [])]) {
      const got = asText(readPath(res.json, c.path));
      const wanted = substitute(c.value, vars);
      if (got !== wanted) failures.push(`${c.path} is ${got}, expected ${wanted}`);
    }
    for (const s of block.save) {
      const value = readPath(res.json, s.path);
      if (value === undefined || value === null) failures.push(`nothing at ${s.path} to save as ${s.name}`);
      else vars[s.name] = asText(value);
    }
    if (failures.length > 0) {
      t.fail(`${where}: ${failures.join('; ')}\n${res.text.slice(0, 2000)}`);
      return; // later blocks build on this one
    }
    t.pass(where);
  }

  // Key facts of the story, from the saved values.
  t.equal(vars.heldAfterFirst, 'trial', 'one held meeting counts in the trial');
  t.equal(vars.statusAfterTrial, 'review_due', 'the third held meeting makes the review due');
  t.match(vars.healthBand, /^(thriving|healthy|at_risk|off_track)$/, 'health has a band (not too early)');
  t.ok(Number(vars.healthIndex) > 0, 'health has an index');
  t.equal(vars.adminSignals, '0', "the admin sees no member's private signal");
  t.equal(vars.tokenSignals, '0', "a member token sees what the admin sees: no member's private signal");
  t.equal(vars.recommendation, 'adjust', 'the review recommends adjusting (attendance is the weakest part)');
  t.ok(vars.firstReason, 'the recommendation gives its reasons');
  t.equal(vars.decision, 'adjust', 'the decision is recorded');
  t.same(
    receiver.failures,
    [],
    "every webhook's signature verified with the secret the endpoint was created with",
  );
  t.same(
    receiver.received.map((r) => [r.json.type, r.json.data.networkId]),
    [['network.created', vars.networkId]],
    'the HR platform heard of the network once',
  );
});

t.test('the same start through the generated client: provision, form, agree, plan, confirm', async (t) => {
  const ctx = await buildTestApp(t);
  const { key } = await ctx.tenant('Client HR');
  const admin = clientOf(ctx.app, key);

  // The HR system provisions six leaders who can all meet on weekday evenings in person.
  const people = ['Mette', 'Jonas', 'Aisha', 'Peter', 'Karen', 'Lars'].map((name, i) => ({
    ...leaderBody({ name, availability: ['weekday_evening'], formats: ['in_person'] }),
    externalId: `HR-${i + 1}`,
  }));
  const upsert = await admin.POST('/v1/leaders/bulk', { body: { leaders: people } as never });
  t.equal(upsert.response.status, 200, JSON.stringify(upsert.error));
  t.equal(upsert.data?.created, 6);
  const ids = upsert.data!.results.map((r) => r.id);

  // A formation run that ends on its rounds, then its one proposal becomes the network.
  const run = await admin.POST('/v1/formation-runs', {
    body: { pool: { leaderIds: ids }, sizes: { min: 6, max: 12 }, seed: 2026, maxIterations: 50 },
  });
  t.equal(run.response.status, 202, JSON.stringify(run.error));
  let status = run.data!.status;
  for (let i = 0; i < POLL_TRIES && (status === 'queued' || status === 'running'); i++) {
    await sleep(POLL_DELAY_MS);
    status = (await admin.GET('/v1/formation-runs/{id}', { params: { path: { id: run.data!.id } } })).data!
      .status;
  }
  t.equal(status, 'succeeded');
  const accepted = await admin.POST('/v1/formation-runs/{id}/accept', {
    params: { path: { id: run.data!.id } },
    body: { proposals: [0], namePrefix: 'Ledernetværk Aarhus' },
  });
  const networkId = accepted.data!.result!.proposals[0]!.acceptedAsNetworkId!;
  t.ok(networkId, 'the proposal is a network');

  // Each member agrees the charter with a token of their own.
  const proposed = await admin.POST('/v1/networks/{id}/charter-versions', {
    params: { path: { id: networkId } },
    body: {
      purpose: 'Sparring on leading people through change, across sectors',
      goals: [
        { category: 'dilemma_sparring', description: 'Each meeting, two members bring a real dilemma' },
        { category: 'self_reflection', description: 'See our own leadership with fresh eyes' },
      ],
      groundRules: [{ kind: 'cancellation_notice', hours: 48 }],
    } as never,
  });
  t.equal(proposed.response.status, 201, JSON.stringify(proposed.error));
  const members: ReturnType<typeof clientOf>[] = [];
  for (const id of ids) {
    const minted = await admin.POST('/v1/leaders/{id}/member-tokens', { params: { path: { id } }, body: {} });
    members.push(clientOf(ctx.app, minted.data!.token));
  }
  for (const member of members) {
    const acceptance = await member.POST('/v1/networks/{id}/charter-versions/{version}/acceptances', {
      params: { path: { id: networkId, version: 1 } },
      body: {},
    });
    t.equal(acceptance.response.status, 201, JSON.stringify(acceptance.error));
  }
  const charter = await admin.GET('/v1/networks/{id}/charter', { params: { path: { id: networkId } } });
  t.equal(charter.data?.inForce, true, 'the charter is in force');

  // The model, the trial, the schedule; a member confirms the first meeting.
  const model = await admin.PUT('/v1/networks/{id}/meeting-model', {
    params: { path: { id: networkId } },
    body: {
      cadenceMonths: 1,
      durationMinutes: 180,
      timeSlot: 'weekday_evening',
      localStartTime: '17:00',
      venue: { kind: 'in_person', place: 'Dokk1, Aarhus' },
      startDate: '2026-02-02',
    } as never,
  });
  t.equal(model.response.status, 201, JSON.stringify(model.error));
  const trial = await admin.POST('/v1/networks/{id}/trial', {
    params: { path: { id: networkId } },
    body: {},
  });
  t.equal(trial.data?.status, 'trial', JSON.stringify(trial.error));
  const meetings = await admin.POST('/v1/networks/{id}/meetings/generate', {
    params: { path: { id: networkId } },
    body: { count: 3 },
  });
  t.equal(meetings.data?.data.length, 3, JSON.stringify(meetings.error));
  const confirmed = await members[0]!.POST('/v1/meetings/{id}/attendance/me', {
    params: { path: { id: meetings.data!.data[0]!.id } },
    body: { status: 'confirmed' } as never,
  });
  t.equal(confirmed.response.status, 200, JSON.stringify(confirmed.error));

  // And a refusal arrives as the typed problem document.
  const again = await admin.POST('/v1/networks/{id}/trial', {
    params: { path: { id: networkId } },
    body: {},
  });
  t.equal(again.response.status, 409);
  t.equal(again.error?.code, 'lifecycle_refused');
});
