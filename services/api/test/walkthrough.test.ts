/**
 * Runs docs/walkthrough.md as written: every ```http block, in order, against a fresh service
 * (PGlite, or PostgreSQL with DATABASE_URL). A block fails the test with its line number when the
 * status differs from `expect=`, a `check=` value differs, a `save=` path is missing, or a GraphQL
 * response carries errors. Then a few key facts of the story are read from the saved values.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { deliverDueWebhooks, dispatchWebhookEvents } from '../src/webhooks/webhook.delivery.js';
import { buildTestApp, type TestApp } from './helpers/build.js';
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
  const res = await app.inject({
    method: block.method as 'GET',
    url: substitute(block.url, vars),
    headers,
    ...(payload !== undefined ? { payload } : {}),
  });
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
