/**
 * Bad input never breaks the service (product rules: "Bad input gets a clear 4xx problem document
 * (application/problem+json), never a 5xx or a stack trace, and nothing stored is lost or
 * half-written"), checked generically over every operation of /openapi.json and every field of the
 * GraphQL schema, with fast-check (seeded, a bounded number of runs per operation).
 *
 * Two kinds of tenant:
 * - the guarded tenant holds a real fixture (leaders, a running network with members, a charter,
 *   a meeting model, held and planned meetings, an agenda item, evaluations, a forming network, a
 *   member token, a formation run). It only ever receives input that must be refused: malformed or
 *   unknown ids, bodies its own JSON schema rejects, invalid JSON, wrong content types, bad query
 *   strings, missing credentials, another tenant's credentials. Every such request must be a 4xx
 *   problem document (a read may ignore what it does not read), and afterwards every row of the
 *   tenant, every ETag and every resource a GET returns are exactly as before.
 * - scratch tenants (a fresh one per writing operation; the GraphQL queries share one) also
 *   receive input the schema accepts but with hostile values: NUL bytes, lone surrogates, boundary
 *   and 32-bit-overflowing integers, odd dates, huge strings, deep nesting, unknown and foreign
 *   ids. Such input may legitimately change a scratch tenant; there the rule is "no 5xx, no stack
 *   trace, a 4xx is a problem document".
 *
 * FUZZ_SEED picks another seed; FUZZ_RUNS scales the runs per operation.
 */
import path from 'node:path';
import t from '@sparring/test-workers/tap';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Test } from 'tap';
import { PROBLEMS } from '../src/errors/problem.js';
import { dispatchWebhookEvents } from '../src/webhooks/webhook.delivery.js';
import { api, type Method } from './helpers/api.js';
import { type Auth, buildTestApp } from './helpers/build.js';
import { charterInput, createLeaders, seedNetwork } from './helpers/network-fixtures.js';

const started = Date.now();
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const RUNS = {
  path: Math.ceil(8 * SCALE),
  query: Math.ceil(12 * SCALE),
  refusedBody: Math.ceil(24 * SCALE),
  hostileBody: Math.ceil(30 * SCALE),
  graphqlWrong: Math.ceil(8 * SCALE),
  graphqlIds: Math.ceil(6 * SCALE),
  graphqlHostile: Math.ceil(20 * SCALE),
};

const ctx = await buildTestApp(t, { SPARRING_WEBHOOK_ALLOW_PRIVATE: 'true' });
const { app } = ctx;

// ---------------------------------------------------------------------------------------------
// Requests and what every response must look like
// ---------------------------------------------------------------------------------------------
type Reply = Awaited<ReturnType<typeof app.inject>>;
interface Request {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Raw body text, sent as is. */
  body?: string;
}

let sent = 0;
async function send(req: Request): Promise<Reply> {
  sent++;
  return api(app, req.headers ?? {}).send(req.method as Method, req.url, req.body);
}

const json = (auth: Auth | undefined, extra: Record<string, string> = {}): Record<string, string> => ({
  ...(auth ?? {}),
  'content-type': 'application/json',
  ...extra,
});

const REPO = path.resolve(import.meta.dirname, '../../..');
/** What must never reach a client: internals of the process, the code or the database. */
const LEAKS: [string, RegExp][] = [
  ['a stack property', /"stack"\s*:/],
  ['a stack frame', /(?:\\n|\n)\s*at (?:async )?[\w$.<>[\] ]*\(?(?:file:|node:|\/)/],
  ['a source position', /[\w-]+\.(?:ts|js|mjs|cjs):\d+:\d+/],
  ['a file path', new RegExp(`${REPO.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}|node_modules`)],
  [
    'a database error',
    /invalid input syntax for|violates [\w -]*constraint|duplicate key value|syntax error at or near|out of range for type|unsupported Unicode escape|invalid byte sequence/i,
  ],
];

/** `refused`: the input is bad, so a 4xx is the only right answer; `safe`: anything but a 5xx. */
type Expect = 'refused' | 'safe';

function leakIn(res: Reply): string | undefined {
  for (const [what, pattern] of LEAKS)
    if (pattern.test(res.body)) return `${res.statusCode} leaks ${what}: ${res.body.slice(0, 400)}`;
  return undefined;
}

/** Why this response breaks the rule, or undefined when it keeps it. */
function verdict(res: Reply, expect: Expect): string | undefined {
  const status = res.statusCode;
  if (status >= 500) return `${status}: ${res.body.slice(0, 400)}`;
  if (expect === 'refused' && status < 400) return `bad input was accepted with ${status}`;
  const leak = leakIn(res);
  if (leak) return leak;
  if (status < 400) return undefined;
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json'))
    return `${status} is ${type || 'untyped'}, not a problem document: ${res.body.slice(0, 200)}`;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(res.body);
  } catch {
    return `${status} problem document is not JSON`;
  }
  const code = doc.code;
  if (typeof code !== 'string' || !Object.hasOwn(PROBLEMS, code))
    return `${status} has no code of the registry: ${res.body.slice(0, 200)}`;
  if (PROBLEMS[code as keyof typeof PROBLEMS].status !== status || doc.status !== status)
    return `${status} carries code ${code} (status ${doc.status})`;
  if (doc.type !== `/problems/${code}` || typeof doc.title !== 'string')
    return `${status} problem document without type/title: ${res.body.slice(0, 200)}`;
  return undefined;
}

const describe = (req: Request) =>
  `${req.method} ${req.url.slice(0, 160)}${req.headers?.['content-type'] ? ` [${req.headers['content-type']}]` : ''}${
    req.body === undefined ? '' : ` ${req.body.slice(0, 160)}`
  }`;

/** Sends the request; returns a description of the failure, if any. */
async function check(req: Request, expect: Expect): Promise<string | undefined> {
  const res = await send(req);
  const why = verdict(res, expect);
  return why && `${describe(req)} → ${why}`;
}

/** Sends every request; returns the failures (at most 15 described). */
async function checkAll(reqs: readonly Request[], expect: Expect): Promise<string[]> {
  const failures: string[] = [];
  for (const req of reqs) {
    const why = await check(req, expect);
    if (why) failures.push(why);
  }
  return failures.length > 15 ? [...failures.slice(0, 15), `… and ${failures.length - 15} more`] : failures;
}

/** Runs a fast-check property whose predicate returns a failure description; one tap assertion. */
async function property<T>(
  tt: Test,
  name: string,
  arb: fc.Arbitrary<T>,
  runs: number,
  predicate: (value: T) => Promise<string | undefined>,
): Promise<void> {
  const details = await fc.check(
    fc.asyncProperty(arb, async (value) => {
      const why = await predicate(value);
      if (why) throw new Error(why);
    }),
    { seed: seedOf(`${tt.name} ${name}`), numRuns: runs, maxSkipsPerRun: 200 },
  );
  const error = details.failed ? (details.errorInstance as Error | undefined)?.message : undefined;
  tt.notOk(
    details.failed,
    `${name}${details.failed ? `\n${error}\n${fc.defaultReportMessage(details)}` : ''}`,
  );
}

/** A stable seed per property, so a failure replays. */
function seedOf(name: string): number {
  let h = SEED;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

interface Fixture {
  readonly tenantId: string;
  readonly admin: Auth;
  /** The facilitator's member token (a member who may do the most). */
  readonly member: Auth;
  /** Real values for a path parameter, by the path segment before it (`networks`, `meetings`, …). */
  readonly ids: Readonly<Record<string, readonly string[]>>;
  /** Every real id, any kind (for bodies and GraphQL arguments). */
  readonly allIds: readonly string[];
}

async function expectStatus(req: Request, status: number) {
  const res = await send(req);
  if (res.statusCode !== status) throw new Error(`fixture: ${describe(req)} → ${res.statusCode} ${res.body}`);
  return res.json();
}

async function buildFixture(name: string, opts: { formationRun?: boolean } = {}): Promise<Fixture> {
  const { tenantId, auth: admin } = await ctx.tenant(name);
  const seeded = await seedNetwork(app, tenantId, admin, {
    members: 6,
    planned: true,
    facilitator: 0,
    consenting: [1],
    answers: (_i, j) =>
      j < 5 ? { benefit: 4, energy: 3, purposeFit: 4, relations: 5, giveGet: 1, comment: 'Useful' } : null,
  });
  const extra = await createLeaders(app, admin, 8);
  const post = (url: string, payload: unknown, status: number) =>
    expectStatus({ method: 'POST', url, headers: json(admin), body: JSON.stringify(payload) }, status);
  const forming = await post('/v1/networks', { name: 'Forming network' }, 201);
  for (const leaderId of extra.slice(0, 2))
    await post(`/v1/networks/${forming.id}/members`, { leaderId }, 201);
  await post(`/v1/networks/${forming.id}/charter-versions`, charterInput, 201);
  const planned = seeded.plannedMeetingId!;
  const item = await post(
    `/v1/meetings/${planned}/agenda-items`,
    { ownerId: seeded.leaderIds[1], title: 'A dilemma about a reorganisation', kind: 'dilemma' },
    201,
  );
  const token = await post(`/v1/leaders/${extra[2]}/member-tokens`, {}, 201);
  const runs: string[] = [];
  if (opts.formationRun) {
    const run = await post(
      '/v1/formation-runs',
      { pool: { leaderIds: extra }, sizes: { min: 4, max: 4 }, seed: 1, timeBudgetMs: 100 },
      202,
    );
    await app.formationRunner.idle();
    runs.push(run.id);
  }
  // A webhook endpoint (loopback is allowed in this file: SPARRING_WEBHOOK_ALLOW_PRIVATE) and a
  // delivery of an event to it, dispatched as the background task would.
  const endpoint = await post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hook' }, 201);
  await post('/v1/networks', { name: 'Network announced to the endpoint' }, 201);
  let deliveries: string[] = [];
  for (let i = 0; i < 600 && deliveries.length === 0; i++) {
    // An event is visible once no older transaction is open on the server (docs/events.md).
    await dispatchWebhookEvents(app.db, new Date());
    const page = await expectStatus(
      { method: 'GET', url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: admin },
      200,
    );
    deliveries = page.data.map((d: { id: string }) => d.id);
    if (deliveries.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  const feed = await post(`/v1/networks/${seeded.networkId}/calendar-feeds`, {}, 201);
  const ids = {
    leaders: [seeded.leaderIds[1]!, extra[3]!],
    'member-tokens': [token.id],
    networks: [seeded.networkId, forming.id],
    members: [seeded.leaderIds[1]!, extra[0]!],
    'charter-versions': ['1'],
    meetings: [planned, seeded.meetingIds[2]!],
    // /v1/meetings/{id}/attendance/{leaderId}/afbud: a member of the meetings' network.
    attendance: [seeded.leaderIds[1]!],
    'agenda-items': [item.id],
    'formation-runs': runs,
    problems: ['not_found'],
    'webhook-endpoints': [endpoint.id],
    'webhook-deliveries': deliveries.slice(0, 1),
    'calendar-feeds': [feed.id],
    calendar: [
      new URL(feed.url).pathname
        .split('/')
        .at(-1)!
        .replace(/\.ics$/, ''),
    ],
  };
  const allIds = [...new Set([...seeded.leaderIds, ...extra, ...Object.values(ids).flat()])].filter((id) =>
    UUID.test(id),
  );
  return { tenantId, admin, member: seeded.tokens[0]!, ids, allIds };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every stored row of a tenant, table by table, in a stable order. */
async function rowsOf(tenantId: string): Promise<Record<string, string[]>> {
  const tables = await sql<{ table_name: string }>`
    select distinct table_name from information_schema.columns
    where column_name = 'tenant_id' and table_schema = current_schema() order by table_name`.execute(app.db);
  const out: Record<string, string[]> = {};
  for (const { table_name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`
      select * from ${sql.table(table_name)} where tenant_id = ${tenantId}`.execute(app.db);
    out[table_name] = rows.rows.map((r) => JSON.stringify(r)).sort();
  }
  const tenant = await sql<Record<string, unknown>>`select * from tenants where id = ${tenantId}`.execute(
    app.db,
  );
  out.tenants = tenant.rows.map((r) => JSON.stringify(r));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI document
// ---------------------------------------------------------------------------------------------

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  example?: unknown;
  examples?: unknown[];
}
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema: Schema;
}
interface Media {
  schema: Schema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly pathParams: Parameter[];
  readonly queryParams: Parameter[];
  readonly headers: Parameter[];
  readonly body: Schema | undefined;
  readonly examples: unknown[];
  /** Public operations declare `security: []`. */
  readonly public: boolean;
}

const docRes = await api(app).get('/openapi.json');
/**
 * The document with every `#/components/schemas/…` reference replaced by the schema it names
 * (siblings such as a description kept), so each operation's body schema stands alone: the fuzzer
 * walks its fields and Ajv compiles it without the document around it.
 */
function inlineSchemaRefs(
  value: unknown,
  schemas: Record<string, unknown>,
  seen: readonly string[] = [],
): unknown {
  if (Array.isArray(value)) return value.map((v) => inlineSchemaRefs(v, schemas, seen));
  if (value === null || typeof value !== 'object') return value;
  const { $ref, ...rest } = value as Record<string, unknown>;
  const inlined = Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, inlineSchemaRefs(v, schemas, seen)]),
  );
  if (typeof $ref !== 'string' || !$ref.startsWith('#/components/schemas/'))
    return $ref === undefined ? inlined : { $ref, ...inlined };
  const name = $ref.slice('#/components/schemas/'.length);
  if (seen.includes(name) || schemas[name] === undefined) throw new Error(`cannot inline ${$ref}`);
  return { ...(inlineSchemaRefs(schemas[name], schemas, [...seen, name]) as object), ...inlined };
}
const rawDoc = docRes.json() as { paths: unknown; components?: { schemas?: Record<string, unknown> } };
const doc = { paths: inlineSchemaRefs(rawDoc.paths, rawDoc.components?.schemas ?? {}) } as {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Parameter[]; requestBody?: { content: Record<string, Media> }; security?: unknown[] }
    >
  >;
};
const operations: Operation[] = Object.entries(doc.paths).flatMap(([p, item]) =>
  Object.entries(item).map(([method, op]) => {
    const params = op.parameters ?? [];
    const media = op.requestBody?.content['application/json'];
    const examples = media
      ? [
          ...(media.example === undefined ? [] : [media.example]),
          ...Object.values(media.examples ?? {}).map((e) => e.value),
          ...(media.schema.examples ?? []),
        ]
      : [];
    return {
      name: `${method.toUpperCase()} ${p}`,
      method: method.toUpperCase(),
      path: p,
      pathParams: params.filter((x) => x.in === 'path'),
      queryParams: params.filter((x) => x.in === 'query'),
      headers: params.filter((x) => x.in === 'header'),
      body: media?.schema,
      examples,
      public: Array.isArray(op.security) && op.security.length === 0,
    };
  }),
);

/** The app's body validator (strict: no coercion, formats checked), to tell valid input from bad. */
const ajv = addFormats.default(new Ajv.default({ strict: false, allErrors: false, coerceTypes: false }));
const validators = new Map<Operation, (v: unknown) => boolean>();
function isValidBody(op: Operation, value: unknown): boolean {
  if (!op.body) return false;
  let v = validators.get(op);
  if (!v) {
    const compiled = ajv.compile(op.body);
    v = (x: unknown) => compiled(x) as boolean;
    validators.set(op, v);
  }
  return v(JSON.parse(serialize(value)));
}

/** The segment before each `{param}` of a path template. */
const segmentOf = (template: string, param: string) => {
  const parts = template.split('/');
  // The segment may carry more than the parameter (`/calendar/{token}.ics`).
  return parts[parts.findIndex((part) => part.includes(`{${param}}`)) - 1] ?? '';
};

/** The URL of a template with these (already URL-safe) parameter values. */
const urlOf = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

/** Every combination of the fixture's real values for the operation's path parameters. */
function realTargets(op: Operation, fx: Fixture): string[] {
  let combos: Record<string, string>[] = [{}];
  for (const p of op.pathParams) {
    const values = fx.ids[segmentOf(op.path, p.name)] ?? [];
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [p.name]: encodeURIComponent(v) })));
  }
  return combos.map((c) => urlOf(op.path, c));
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const INT32 = 2 ** 31;
const EDGE_INTEGERS = [
  0,
  -1,
  1,
  INT32 - 1,
  INT32,
  -INT32,
  -INT32 - 1,
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  1e21,
  1e300,
];
/** Text that has hurt services: control and invisible characters, injections, and dates, times and
 * zones, since several string fields without a format carry them (startDate, localStartTime, …). */
const ODD_TEXT = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '😀',
  '\u202eevil',
  '\ufeff',
  ' ',
  '',
  '\t\n\r',
  'Ω≈ç√∫˜µ≤≥÷ æøå ÆØÅ',
  "Robert'); DROP TABLE leaders;--",
  '<script>alert(1)</script>',
  '{{7*7}}',
  '%00',
  '%s%n%x',
  '\\',
  '"',
  '__proto__',
  'constructor',
  'null',
  'NaN',
  '-0',
  '1e400',
  '2026-06-01',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '0001-01-01',
  '9999-12-31',
  '+275760-09-13',
  '2026-06-01T10:00:00Z',
  '24:00',
  '23:59',
  '25:61',
  '9:5',
  'Europe/Copenhagen',
  'Mars/Olympus_Mons',
  'UTC',
  'Etc/GMT-14',
  '+14:00',
  'europe/copenhagen',
  'Europe/Copenhagen\u0000',
];
const HUGE = 'é'.repeat(100_000);

/**
 * Nesting `depth` levels deep, written as JSON text only when the body is serialised
 * (JSON.stringify and fast-check's printing recurse; a server must not, whatever the depth).
 */
class Deep {
  constructor(readonly depth: number) {}
  text(): string {
    let open = '';
    let close = '';
    for (let i = 0; i < this.depth; i++) {
      open += i % 2 ? '[' : '{"a":';
      close = (i % 2 ? ']' : '}') + close;
    }
    return `${open}1${close}`;
  }
  [fc.toStringMethod]() {
    return `nested(${this.depth})`;
  }
}
const DEEP_MARK = /"\\u0000deep:(\d+)"/g;

/** The JSON text of a generated value (with its deep parts written out). */
function serialize(value: unknown): string {
  const text =
    JSON.stringify(value, (_key, v) => (v instanceof Deep ? `\u0000deep:${v.depth}` : v)) ?? 'null';
  return text.replace(DEEP_MARK, (_, depth: string) => new Deep(Number(depth)).text());
}
const deepArb = fc.integer({ min: 20, max: 60_000 }).map((n) => new Deep(n));

/** Any JSON value, leaning to the ones that break things. */
const hostileArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...EDGE_INTEGERS, ...ODD_TEXT, null, true, false, [], {}, 1.5, -0.5, 1e-7),
  fc.jsonValue({ maxDepth: 2 }),
  deepArb,
  fc.constant(HUGE),
);

/** Ids a body may name: the fixtures' real ones, unknown ones, and forms a uuid format accepts. */
let idPool: readonly string[] = [];
const uuidArb = fc.oneof(
  fc.uuid(),
  fc
    .constant(null)
    .chain(() => fc.constantFrom(...(idPool.length ? idPool : ['0190a5f4-0000-7000-8000-000000000000']))),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => `urn:uuid:${u}`),
);

const NOW = Date.now();
const YEAR = 365 * 86_400_000;
const dateTimeArb = fc.oneof(
  fc
    .date({ min: new Date(NOW - 2 * YEAR), max: new Date(NOW + 2 * YEAR), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc
    .date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-12-31T23:59:60Z',
    '1970-01-01T00:00:00Z',
    '2027-06-01T12:00:00+14:00',
    '2027-06-01T12:00:00-12:00',
    '2027-06-01t12:00:00z',
    '2027-06-01 12:00:00Z',
    '2027-06-01T12:00:00.123456789Z',
    '0000-01-01T00:00:00Z',
    '2027-03-28T02:30:00+01:00',
  ),
);

function textArb(s: Schema): fc.Arbitrary<unknown> {
  if (s.format === 'uuid') return uuidArb;
  if (s.format === 'date-time') return dateTimeArb;
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? HUGE.length;
  const fits = ODD_TEXT.filter((x) => x.length >= min && x.length <= max);
  return fc.oneof(
    fc.string({ unit: 'binary', minLength: min, maxLength: Math.max(min, Math.min(max, 40)) }),
    fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, Math.min(max, 40)) }),
    ...(fits.length ? [fc.constantFrom(...fits)] : []),
    fc.constant(HUGE.slice(0, max)),
  );
}

function integerArb(s: Schema, integer: boolean): fc.Arbitrary<unknown> {
  const min = s.minimum ?? -(2 ** 53 - 1);
  const max = s.maximum ?? 2 ** 53 - 1;
  const edges = [min, max, ...EDGE_INTEGERS.filter((n) => n >= min && n <= max)];
  return fc.oneof(
    fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }),
    fc.constantFrom(...edges),
    ...(integer ? [] : [fc.double({ min, max, noNaN: true, noDefaultInfinity: true })]),
  );
}

/** Values the schema (mostly) accepts, with hostile content. */
function validArb(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((x) => validArb(x, depth + 1)));
  if (s.allOf) return validArb(Object.assign({}, ...s.allOf), depth + 1);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return textArb(s);
    case 'integer':
      return integerArb(s, true);
    case 'number':
      return integerArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = validArb(s.items ?? {}, depth + 1);
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 6, minLength + 5));
      const list = s.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
      // A list of ids at its maximum (a formation pool of 20 000, 500 exclusions).
      const full =
        s.items?.format === 'uuid' && s.maxItems !== undefined && s.maxItems > maxLength
          ? [
              fc.constant(
                Array.from(
                  { length: s.maxItems },
                  (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
                ),
              ),
            ]
          : [];
      return fc.oneof(list, ...full);
    }
    case 'object':
    case undefined: {
      const props = s.properties ?? {};
      const keys = Object.keys(props);
      if (keys.length === 0)
        return s.additionalProperties === false
          ? fc.constant({})
          : fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), hostileArb, { maxKeys: 4 }), deepArb);
      return fc.record(Object.fromEntries(keys.map((k) => [k, validArb(props[k]!, depth + 1)])), {
        requiredKeys: (s.required ?? []).filter((k) => k in props),
      });
    }
    default:
      return hostileArb;
  }
}

/** Values the schema should refuse: wrong types, out of range, too long, unknown or missing fields. */
function invalidArb(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  const wrongType = fc.constantFrom<unknown>([], 'text', 42, 1.5, true, null, {}, [null], { x: 1 });
  if (depth > 6) return wrongType;
  const options: fc.Arbitrary<unknown>[] = [wrongType];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) options.push(...alternatives.map((x) => invalidArb(x, depth + 1)));
  if (s.enum)
    options.push(fc.constantFrom<unknown>('definitely_not_a_value', 0, String(s.enum[0]).toUpperCase()));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'string') {
    if (s.maxLength !== undefined)
      options.push(fc.constantFrom('x'.repeat(s.maxLength + 1), HUGE.slice(0, 4 * s.maxLength + 4)));
    if (s.minLength) options.push(fc.constant(''));
    if (s.format === 'uuid')
      options.push(
        fc
          .uuid()
          .chain((u) =>
            fc.constantFrom(
              'not-a-uuid',
              u.replaceAll('-', ''),
              `{${u}}`,
              `${u} `,
              `${u}\u0000`,
              u.slice(1),
              `g${u.slice(1)}`,
            ),
          ),
      );
    if (s.format === 'date-time')
      options.push(
        fc.constantFrom(
          '2026-13-01T00:00:00Z',
          '2026-02-30T10:00:00Z',
          'tomorrow',
          '2026-06-01',
          '2026-06-01T25:00:00Z',
          '',
        ),
      );
  }
  if (type === 'integer' || type === 'number') {
    const out: number[] = [];
    if (s.minimum !== undefined) out.push(s.minimum - 1, -1e300);
    if (s.maximum !== undefined) out.push(s.maximum + 1, 1e300);
    if (type === 'integer') out.push(1.5, (s.minimum ?? 0) + 0.5);
    if (out.length) options.push(fc.constantFrom(...out));
  }
  if (type === 'array' && s.items) {
    const items = s.items;
    options.push(
      fc
        .tuple(validArb(s, depth + 1), invalidArb(items, depth + 1))
        .map(([a, v]) => [...(a as unknown[]), v]),
    );
    if (s.maxItems !== undefined && s.maxItems <= 1000)
      options.push(
        fc.array(validArb(items, depth + 1), { minLength: s.maxItems + 1, maxLength: s.maxItems + 1 }),
      );
    if (s.uniqueItems) options.push(validArb(items, depth + 1).map((v) => [v, v]));
  }
  if ((type === 'object' || type === undefined) && s.properties) {
    const props = s.properties;
    const keys = Object.keys(props);
    const base = validArb(s, depth + 1) as fc.Arbitrary<Record<string, unknown>>;
    if (keys.length)
      options.push(
        fc
          .tuple(base, fc.constantFrom(...keys))
          .chain(([o, k]) => invalidArb(props[k]!, depth + 1).map((v) => ({ ...o, [k]: v }))),
      );
    if (s.additionalProperties === false)
      options.push(
        fc
          .tuple(
            base,
            fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !(k in props)),
            hostileArb,
          )
          .map(([o, k, v]) => ({ ...o, [k]: v })),
        fc.tuple(base, deepArb).map(([o, d]) => ({ ...o, deeplyNested: d })),
      );
    for (const k of s.required ?? [])
      options.push(
        base.map((o) => {
          const { [k]: _, ...rest } = o;
          return rest;
        }),
      );
  }
  return fc.oneof(...options);
}

/** Every JSON path of a value (objects and arrays), to mutate one place of an example. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}
function setAt(value: unknown, at: (string | number)[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const [head, ...rest] = at;
  const copy = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  (copy as Record<string | number, unknown>)[head!] = setAt(
    (value as Record<string | number, unknown>)[head!],
    rest,
    replacement,
  );
  return copy;
}

/** The operation's documented examples with one place replaced by a hostile value. */
function mutatedExampleArb(op: Operation): fc.Arbitrary<unknown>[] {
  if (op.examples.length === 0) return [];
  return [
    fc
      .constantFrom(...op.examples)
      .chain((ex) => fc.tuple(fc.constant(ex), fc.constantFrom(...pathsOf(ex)), hostileArb))
      .map(([ex, at, v]) => setAt(ex, at, v)),
  ];
}

/** Background work stays short: no formation run is given more than 300 ms (schema, then values). */
function bounded(s: Schema): Schema {
  return JSON.parse(JSON.stringify(s), (key, value) =>
    key === 'timeBudgetMs' && value && typeof value === 'object' ? { ...value, maximum: 300 } : value,
  );
}
const boundedValue = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(boundedValue)
    : v !== null && typeof v === 'object' && !(v instanceof Deep)
      ? Object.fromEntries(
          Object.entries(v).map(([k, x]) => [
            k,
            k === 'timeBudgetMs' && typeof x === 'number' && x > 300 ? 300 : boundedValue(x),
          ]),
        )
      : v;

/** Path parameter values that are not ids of anything: malformed, overlong, encoded oddly, unknown. */
function badPathValues(p: Parameter): string[] {
  const unknown = '01900000-0000-7000-8000-0000000000ff';
  const common = [
    'not-a-uuid',
    '-1',
    '0',
    'null',
    'undefined',
    '%00',
    `%00${unknown}`,
    `${unknown}%00`,
    'x'.repeat(99),
    'x'.repeat(5000),
    encodeURIComponent('ünïcødé ✓ 😀 ᚠ'),
    '%E2%80%AE',
    '%C0%AF',
    '%',
    '%zz',
    '%FF',
    '..',
    encodeURIComponent('../../etc/passwd'),
    '%2e%2e%2f',
    encodeURIComponent("1' OR '1'='1"),
    '__proto__',
    'constructor',
  ];
  if (p.schema.type === 'integer')
    return [...common, '1.5', 'abc', '2147483648', '-2147483649', '99999999999999999999', '1e400', '+1%00'];
  return [
    ...common,
    unknown,
    unknown.replaceAll('-', ''),
    encodeURIComponent(`{${unknown}}`),
    encodeURIComponent(` ${unknown}`),
    `g${unknown.slice(1)}`,
    `urn:uuid:${unknown}`,
    unknown.toUpperCase(),
  ];
}

/** A URL-safe form of any string (lone surrogates included). */
function encodeAny(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s]
      .map((c) => (c.length === 1 && /[\ud800-\udfff]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c)))
      .join('');
  }
}

const pathStringArb = fc
  .oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 150 }),
    fc.string({ minLength: 1, maxLength: 30 }),
  )
  .filter((s) => s !== '.' && s !== '..');

/** Bodies that are not JSON, or not sent as JSON. */
const NOT_JSON: [string, string][] = [
  ['application/json', '{'],
  ['application/json', '{"a":'],
  ['application/json', "{'a':1}"],
  ['application/json', 'nul'],
  ['application/json', '[1,]'],
  ['application/json', '\u0000'],
  ['application/json', '{"a":1}}'],
  ['application/json', '{"__proto__":{"polluted":1}}'],
  ['application/json', '{"constructor":{"prototype":{"polluted":1}}}'],
  ['application/json', ''],
  ['application/json; charset=latin1', '{'],
  ['text/plain', 'x{'],
  ['application/xml', '<a/>'],
  ['application/x-www-form-urlencoded', 'a=1&b=%zz'],
  ['multipart/form-data; boundary=x', '--x--'],
  ['application/octet-stream', '\u0000\u0001'],
  ['application/jsonx', 'x{'],
  ['', 'x{'],
];

/** Query values a parameter must refuse. */
function badQueryValues(p: Parameter): string[] {
  const s = p.schema;
  const out: string[] = [];
  if (s.type === 'integer')
    out.push('-1', 'abc', '1.5', '1e400', '99999999999999999999', String((s.maximum ?? 2 ** 31) + 1), '');
  if (s.minimum !== undefined && s.type === 'integer') out.push(String(s.minimum - 1));
  if (s.maxLength !== undefined) out.push('x'.repeat(s.maxLength + 1));
  if (s.enum) out.push('bogus', '');
  if (s.format === 'uuid') out.push('not-a-uuid', `urn:uuid:${'0'.repeat(32)}`);
  if (p.name === 'cursor')
    out.push(
      'garbage',
      Buffer.from('not a uuid').toString('base64url'),
      '%00',
      encodeURIComponent('😀'),
      '====',
      '%zz',
    );
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

const guarded = await buildFixture('guarded', { formationRun: true });
const foreign = await buildFixture('foreign');
idPool = [...guarded.allIds, ...foreign.allIds];

/** Every GET of the document on the guarded fixture, as both credentials: status, ETag and body. */
async function snapshot(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const op of operations.filter((o) => o.method === 'GET'))
    for (const url of realTargets(op, guarded))
      for (const [who, auth] of [
        ['admin', guarded.admin],
        ['member', guarded.member],
      ] as const) {
        const res = await api(app, auth).get(url);
        // A problem document names its request; everything else must be as it was.
        const body = res.statusCode >= 400 ? { ...res.json(), requestId: undefined } : res.body;
        out[`${who} GET ${url}`] = { status: res.statusCode, etag: res.headers.etag, body };
      }
  return out;
}
const before = { snapshot: await snapshot(), rows: await rowsOf(guarded.tenantId) };

const fuzzRuns: { id: string; auth: Auth }[] = [];
const covered = new Set<string>();

t.equal(docRes.statusCode, 200, 'the OpenAPI document is served');
t.ok(operations.length > 50, `the document lists every operation (${operations.length})`);

for (const op of operations) {
  t.test(op.name, async (tt) => {
    covered.add(op.name);
    const reads = op.method === 'GET';
    const creds = [guarded.admin, guarded.member];
    const targets = realTargets(op, guarded);
    tt.ok(targets.length > 0, 'the fixture has real values for every path parameter');
    const exampleBody = op.examples[0] === undefined ? undefined : JSON.stringify(op.examples[0]);

    // Which credentials the operation lets through (the others are refused before anything runs).
    const probe = async (auth: Auth) =>
      (
        await send({
          method: op.method,
          url: targets[0]!,
          headers: json(auth),
          body: reads ? undefined : '{',
        })
      ).statusCode;
    const allowed: Auth[] = [];
    for (const auth of creds) if (![401, 403].includes(await probe(auth))) allowed.push(auth);
    const useCreds = allowed.length ? allowed : creds;

    // (a) Malformed, overlong, oddly encoded and unknown path parameters.
    if (op.pathParams.length) {
      const reqs: Request[] = [];
      const real = Object.fromEntries(
        op.pathParams.map((q) => [q.name, encodeURIComponent(guarded.ids[segmentOf(op.path, q.name)]![0]!)]),
      );
      for (const p of op.pathParams)
        for (const bad of badPathValues(p))
          for (const auth of creds)
            reqs.push({
              method: op.method,
              url: urlOf(op.path, { ...real, [p.name]: bad }),
              headers: exampleBody ? json(auth) : { ...auth },
              ...(exampleBody ? { body: exampleBody } : {}),
            });
      tt.same(await checkAll(reqs, 'refused'), [], 'malformed path parameters are refused with a problem');
      await property(
        tt,
        'generated path parameters are refused with a problem',
        fc.tuple(fc.constantFrom(...op.pathParams), pathStringArb, fc.constantFrom(...useCreds)),
        RUNS.path,
        async ([p, raw, auth]) => {
          const encoded = encodeAny(raw);
          // A generated string that happens to be a real value is not bad input.
          if (UUID.test(raw) || /^\d+$/.test(raw) || Object.hasOwn(PROBLEMS, raw)) return undefined;
          return check(
            {
              method: op.method,
              url: urlOf(op.path, { ...real, [p.name]: encoded }),
              headers: exampleBody ? json(auth) : { ...auth },
              ...(exampleBody ? { body: exampleBody } : {}),
            },
            'refused',
          );
        },
      );
    }

    // No credential, a malformed one, one that does not exist.
    if (!op.public)
      tt.same(
        await checkAll(
          [
            undefined,
            'Bearer',
            'Basic dXNlcjpwYXNz',
            `Bearer ${'x'.repeat(10_000)}`,
            'Bearer sk_live_doesnotexist',
            'Bearer mt_doesnotexist',
            `Bearer ${guarded.admin.authorization.slice(7)}x`,
          ].map((authorization) => ({
            method: op.method,
            url: targets[0]!,
            headers: {
              ...(authorization === undefined ? {} : { authorization }),
              ...(exampleBody ? { 'content-type': 'application/json' } : {}),
            },
            ...(exampleBody ? { body: exampleBody } : {}),
          })),
          'refused',
        ),
        [],
        'requests without a valid credential are refused with a problem',
      );

    // (c) Bodies that are not JSON, or not sent as JSON; and one over the size limit.
    {
      const reqs: Request[] = [];
      for (const target of targets)
        for (const auth of useCreds) {
          for (const [type, body] of NOT_JSON)
            reqs.push({
              method: op.method,
              url: target,
              headers: { ...auth, ...(type ? { 'content-type': type } : {}) },
              body,
            });
          reqs.push({
            method: op.method,
            url: target,
            headers: json(auth),
            body: JSON.stringify({ big: 'x'.repeat(ctx.config.bodyLimitBytes) }),
          });
        }
      // A read ignores a body it does not read; anything else must refuse one it cannot parse.
      tt.same(
        await checkAll(reqs, reads ? 'safe' : 'refused'),
        [],
        'invalid JSON, wrong content types and oversized bodies are refused with a problem',
      );
    }

    // (d) Bad query strings.
    if (op.queryParams.length) {
      const reqs: Request[] = [];
      for (const p of op.queryParams)
        for (const bad of badQueryValues(p))
          for (const target of targets)
            for (const auth of useCreds)
              reqs.push({ method: op.method, url: `${target}?${p.name}=${bad}`, headers: { ...auth } });
      for (const target of targets)
        for (const auth of useCreds) {
          const p = op.queryParams[0]!.name;
          reqs.push({ method: op.method, url: `${target}?${p}=1&${p}=2&${p}=3`, headers: { ...auth } });
        }
      tt.same(await checkAll(reqs, 'refused'), [], 'bad query values are refused with a problem');
      const names = [...op.queryParams.map((p) => p.name), 'zzz', 'first', 'offset'];
      await property(
        tt,
        'generated query strings never break the service',
        fc.tuple(
          fc.dictionary(
            fc.constantFrom(...names),
            fc.oneof(
              fc.string({ unit: 'binary', maxLength: 250 }),
              fc.constantFrom(...EDGE_INTEGERS.map(String)),
              fc.integer().map(String),
            ),
            { minKeys: 1 },
          ),
          fc.constantFrom(...targets),
          fc.constantFrom(...useCreds),
        ),
        RUNS.query,
        async ([query, target, auth]) =>
          check(
            {
              method: op.method,
              url: `${target}?${Object.entries(query)
                .map(([k, v]) => `${k}=${encodeAny(v)}`)
                .join('&')}`,
              headers: { ...auth },
            },
            'safe',
          ),
      );
    }

    if (op.body) {
      const body = op.body;
      // (b) Bodies of the wrong JSON type.
      const wrong = [[], ['x'], 'text', 42, -1, 1.5, null, true, false, {}]
        .filter((v) => !isValidBody(op, v))
        .map((v) => JSON.stringify(v));
      const reqs: Request[] = [];
      for (const target of targets)
        for (const auth of useCreds)
          for (const w of wrong) reqs.push({ method: op.method, url: target, headers: json(auth), body: w });
      tt.same(
        await checkAll(reqs, 'refused'),
        [],
        'bodies of the wrong JSON type are refused with a problem',
      );

      // (b) Generated bodies the schema refuses: wrong field types, out of range, huge strings,
      // unknown properties, missing ones, deep nesting; on real, unknown and malformed ids.
      const refusedArb = fc
        .oneof(invalidArb(body), ...mutatedExampleArb(op))
        .filter((v) => !isValidBody(op, v));
      await property(
        tt,
        'generated bodies the schema refuses are refused with a problem',
        fc.tuple(refusedArb, fc.constantFrom(...targets), fc.constantFrom(...useCreds), fc.option(fc.uuid())),
        RUNS.refusedBody,
        async ([value, target, auth, unknownId]) => {
          const url =
            unknownId && op.pathParams.length
              ? target.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, unknownId)
              : target;
          return check({ method: op.method, url, headers: json(auth), body: serialize(value) }, 'refused');
        },
      );

      // Hostile bodies the schema may accept, on a scratch tenant of its own (they may change it):
      // its real ids, unknown ids, and with If-Match/Idempotency-Key right, wrong or absent.
      const scratch = await buildFixture(`scratch ${op.name}`, {
        formationRun: op.path.includes('formation-runs/{'),
      });
      const scratchTargets = realTargets(op, scratch);
      const scratchCreds = [scratch.admin, scratch.member];
      const ifMatch = op.headers.some((h) => h.name === 'if-match');
      const idempotent = op.headers.some((h) => h.name === 'idempotency-key');
      const hostileSchema = bounded(body);
      const headersFor = async (auth: Auth, target: string) => {
        const headers = json(auth);
        const etag = ifMatch ? await currentEtag(target, scratch.admin) : undefined;
        if (etag) headers['if-match'] = etag;
        return headers;
      };

      // Each text of the documented examples in turn, with a character PostgreSQL cannot store
      // in it (NUL, in text and in jsonb) or one that is not Unicode at all (a lone surrogate).
      {
        const failures: string[] = [];
        for (const example of op.examples)
          for (const at of pathsOf(example)) {
            const leaf = at.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], example);
            if (typeof leaf !== 'string') continue;
            for (const poison of ['\u0000', '\ud800'])
              for (const auth of scratchCreds) {
                const req = {
                  method: op.method,
                  url: scratchTargets[0]!,
                  headers: await headersFor(auth, scratchTargets[0]!),
                  body: serialize(setAt(example, at, `${leaf}${poison}`)),
                };
                const res = await send(req);
                const why = verdict(res, 'safe');
                if (why) failures.push(`${describe(req)} → ${why}`);
              }
          }
        tt.same(failures.slice(0, 15), [], 'texts with NUL or a lone surrogate never break the service');
      }

      await property(
        tt,
        'hostile bodies never break the service',
        fc.record({
          value: fc.oneof(validArb(hostileSchema), ...mutatedExampleArb(op), invalidArb(hostileSchema)),
          target: fc.oneof(
            fc.constantFrom(...scratchTargets),
            fc
              .uuid()
              .map((u) =>
                scratchTargets[0]!.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, u),
              ),
          ),
          auth: fc.constantFrom(...scratchCreds),
          ifMatch: fc.constantFrom('current', 'none', '"999999"', '*', 'W/"1"', 'garbage'),
          key: fc.option(
            fc.oneof(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), fc.constantFrom('k'.repeat(256), 'a key')),
          ),
        }),
        RUNS.hostileBody,
        async ({ value, target, auth, ifMatch: match, key }) => {
          const headers = match === 'current' ? await headersFor(auth, target) : json(auth);
          if (ifMatch && match !== 'current' && match !== 'none') headers['if-match'] = match;
          if (idempotent && key !== null) headers['idempotency-key'] = key;
          const req = { method: op.method, url: target, headers, body: serialize(boundedValue(value)) };
          const res = await send(req);
          if (res.statusCode === 202 && op.path === '/v1/formation-runs')
            fuzzRuns.push({ id: res.json().id, auth: scratch.admin });
          const why = verdict(res, 'safe');
          return why && `${describe(req)} → ${why}`;
        },
      );
    }

    // Another tenant's credentials never reach the guarded fixture, even with a valid request.
    if (op.path.startsWith('/v1/') && op.pathParams.length) {
      const reqs: Request[] = [];
      for (const target of targets)
        for (const auth of [foreign.admin, foreign.member]) {
          const headers: Record<string, string> = exampleBody ? json(auth) : { ...auth };
          const etag = await currentEtag(target, guarded.admin);
          if (etag) headers['if-match'] = etag;
          reqs.push({
            method: op.method,
            url: target,
            headers,
            ...(exampleBody ? { body: exampleBody } : {}),
          });
        }
      tt.same(await checkAll(reqs, 'refused'), [], "another tenant's credentials are refused with a problem");
    }
  });
}

/** The ETag of the resource a write addresses (itself, or the nearest readable parent). */
async function currentEtag(url: string, auth: Auth): Promise<string | undefined> {
  const parts = url.split('?')[0]!.split('/');
  for (let n = parts.length; n > 2; n--) {
    const res = await api(app, auth).get(parts.slice(0, n).join('/'));
    if (res.statusCode === 200) return res.headers.etag as string | undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// GraphQL
// ---------------------------------------------------------------------------------------------

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface Field {
  name: string;
  args: { name: string; type: TypeRef }[];
  type: TypeRef;
}
interface NamedType {
  kind: string;
  name: string;
  fields: Field[] | null;
  inputFields: { name: string; type: TypeRef }[] | null;
  enumValues: { name: string }[] | null;
}

const TYPE_REF =
  'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
const introspection = await api(app, guarded.admin).post('/graphql', {
  query: `{ __schema { queryType { name } mutationType { name } types { kind name
      fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } }
      inputFields { name type { ${TYPE_REF} } } enumValues { name } } } }`,
});
const schema = introspection.json().data.__schema as {
  queryType: { name: string };
  mutationType: { name: string };
  types: NamedType[];
};
const types = new Map(schema.types.map((x) => [x.name, x]));
const named = (ref: TypeRef): TypeRef => (ref.ofType ? named(ref.ofType) : ref);
const typeText = (ref: TypeRef): string =>
  ref.kind === 'NON_NULL'
    ? `${typeText(ref.ofType!)}!`
    : ref.kind === 'LIST'
      ? `[${typeText(ref.ofType!)}]`
      : ref.name!;

/** Values of a GraphQL input type: right shape, hostile content; ids from `ids`. */
function gqlArb(ref: TypeRef, ids: fc.Arbitrary<string>, depth = 0, nullable = true): fc.Arbitrary<unknown> {
  if (ref.kind === 'NON_NULL') return gqlArb(ref.ofType!, ids, depth, false);
  const inner = ((): fc.Arbitrary<unknown> => {
    if (ref.kind === 'LIST') return fc.array(gqlArb(ref.ofType!, ids, depth + 1), { maxLength: 4 });
    if (ref.kind === 'ENUM') return fc.constantFrom(...types.get(ref.name!)!.enumValues!.map((e) => e.name));
    if (ref.kind === 'INPUT_OBJECT') {
      if (depth > 5) return fc.constant({});
      const fields = types.get(ref.name!)!.inputFields!;
      return fc.record(Object.fromEntries(fields.map((f) => [f.name, gqlArb(f.type, ids, depth + 1)])), {
        requiredKeys: fields.filter((f) => f.type.kind === 'NON_NULL').map((f) => f.name),
      });
    }
    switch (ref.name) {
      case 'ID':
        return ids;
      case 'Int':
        return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1, 2, 3, 5, 12, 60, 1000, INT32 - 1, -INT32));
      case 'Float':
        return fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.constantFrom(0, 1, -1, 1e300),
        );
      case 'Boolean':
        return fc.boolean();
      case 'String':
        return fc.oneof(textArb({ maxLength: 300 }), dateTimeArb);
      default:
        return hostileArb;
    }
  })();
  return nullable ? fc.option(inner, { freq: 6 }) : inner;
}

/** Values GraphQL's own coercion must refuse for this type (so the resolver never runs). */
function gqlWrongArb(ref: TypeRef): fc.Arbitrary<unknown> {
  if (ref.kind === 'NON_NULL') return fc.oneof(fc.constant(null), gqlWrongArb(ref.ofType!));
  if (ref.kind === 'LIST') return gqlWrongArb(ref.ofType!).map((v) => [v]);
  if (ref.kind === 'ENUM') return fc.constantFrom<unknown>('NOT_A_VALUE', 1, true, {});
  if (ref.kind === 'INPUT_OBJECT') return fc.constantFrom<unknown>('text', 1, true, { notAField: 1 });
  switch (ref.name) {
    case 'Int':
      return fc.constantFrom<unknown>('abc', '1', 1.5, INT32, -INT32 - 1, 1e21, true, {});
    case 'Float':
      return fc.constantFrom<unknown>('1.0', true, {});
    case 'Boolean':
      return fc.constantFrom<unknown>('true', 1, {});
    case 'ID':
      return fc.constantFrom<unknown>(1.5, true, {}, ['x']);
    default:
      return fc.constantFrom<unknown>(1, true, {}, ['x']);
  }
}

function gqlOperation(kind: 'query' | 'mutation', f: Field): string {
  const decl = f.args.map((a) => `$${a.name}: ${typeText(a.type)}`).join(', ');
  const call = f.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const composite = ['OBJECT', 'INTERFACE', 'UNION'].includes(named(f.type).kind);
  return `${kind}${decl ? ` (${decl})` : ''} { ${f.name}${call ? `(${call})` : ''}${composite ? ' { __typename }' : ''} }`;
}

/** Why a GraphQL response breaks the rule, if it does. */
function gqlVerdict(res: Reply, mustRefuse: boolean): string | undefined {
  // Refused before GraphQL ran (credentials, body): a problem document, as REST.
  const type = String(res.headers['content-type'] ?? '');
  if (res.statusCode >= 500 || type.startsWith('application/problem+json')) return verdict(res, 'safe');
  const leak = leakIn(res);
  if (leak) return leak;
  if (!type.startsWith('application/json')) return `${res.statusCode} is ${type}, not a GraphQL response`;
  const body = res.json() as {
    data: unknown;
    errors?: { extensions?: { code?: string; status?: number } }[];
  };
  for (const e of body.errors ?? []) {
    const code = e.extensions?.code;
    if (code === 'internal_error' || (e.extensions?.status ?? 0) >= 500)
      return `a GraphQL error with ${code} (${e.extensions?.status}): ${res.body.slice(0, 300)}`;
    if (typeof code !== 'string' || !Object.hasOwn(PROBLEMS, code))
      return `a GraphQL error without a registry code: ${res.body.slice(0, 300)}`;
  }
  if (
    mustRefuse &&
    !(body.errors?.length && (body.errors ?? []).every((e) => (e.extensions?.status ?? 0) >= 400))
  )
    return `bad input was accepted: ${res.body.slice(0, 300)}`;
  return undefined;
}

async function gqlCheck(auth: Auth, query: string, variables: unknown, mustRefuse: boolean) {
  const req = {
    method: 'POST',
    url: '/graphql',
    headers: json(auth),
    body: serialize({ query, variables }),
  };
  const res = await send(req);
  const why = gqlVerdict(res, mustRefuse);
  return why && `${query.slice(0, 120)} ${serialize(variables).slice(0, 300)} → ${why}`;
}

const MALFORMED_IDS = ['not-a-uuid', '', ' ', '\u0000', 'x'.repeat(5000), '😀', "1' OR '1'='1", '%00', '-1'];
const malformedIdArb = fc.oneof(
  fc.constantFrom(...MALFORMED_IDS),
  fc.string({ unit: 'binary', maxLength: 80 }),
);
const gqlFields = [
  ...types.get(schema.mutationType.name)!.fields!.map((f) => ({ kind: 'mutation' as const, f })),
  ...types.get(schema.queryType.name)!.fields!.map((f) => ({ kind: 'query' as const, f })),
].filter(({ f }) => f.args.length > 0);

t.test('GraphQL: the schema is introspected', async (tt) => {
  tt.equal(introspection.statusCode, 200);
  tt.ok(
    gqlFields.filter((x) => x.kind === 'mutation').length > 20,
    `mutations with arguments (${gqlFields.length})`,
  );
});

/** The scratch tenant of every GraphQL query (built at the first that needs it). */
let queryScratch: Promise<Fixture> | undefined;
function queriesScratch(): Promise<Fixture> {
  queryScratch ??= buildFixture('scratch graphql queries', { formationRun: true });
  return queryScratch;
}

for (const { kind, f } of gqlFields) {
  t.test(`GraphQL ${kind} ${f.name}`, async (tt) => {
    covered.add(`graphql ${f.name}`);
    const query = gqlOperation(kind, f);
    const creds = [guarded.admin, guarded.member];
    const guardedIds = fc.oneof(fc.constantFrom(...guarded.allIds), fc.uuid());

    // Arguments of the wrong type: refused by GraphQL before any resolver runs.
    await property(
      tt,
      'arguments of the wrong type are refused',
      fc
        .tuple(
          fc.record(Object.fromEntries(f.args.map((a) => [a.name, gqlArb(a.type, guardedIds)]))),
          fc.constantFrom(...f.args),
          fc.constantFrom(...creds),
        )
        .chain(([vars, arg, auth]) =>
          gqlWrongArb(arg.type).map((wrongValue) => ({ vars: { ...vars, [arg.name]: wrongValue }, auth })),
        ),
      RUNS.graphqlWrong,
      async ({ vars, auth }) => gqlCheck(auth, query, vars, true),
    );

    // Malformed and unknown ids (a read may use any other argument on the guarded fixture).
    const idArgs = f.args.filter((a) => named(a.type).name === 'ID');
    if (idArgs.length)
      await property(
        tt,
        'malformed and unknown ids are refused',
        fc.record({
          vars: fc.record(
            Object.fromEntries(
              f.args.map((a) => [
                a.name,
                named(a.type).name === 'ID'
                  ? gqlArb(a.type, fc.oneof(malformedIdArb, fc.uuid()), 0, false)
                  : gqlArb(a.type, kind === 'query' ? guardedIds : fc.uuid(), 0, a.type.kind !== 'NON_NULL'),
              ]),
            ),
          ),
          auth: fc.constantFrom(...creds),
        }),
        RUNS.graphqlIds,
        async ({ vars, auth }) =>
          gqlCheck(
            auth,
            query,
            vars,
            // A list of ids may be empty (nothing to refuse); a single id is always bad here.
            idArgs.some((a) => a.type.kind === 'NON_NULL' && a.type.ofType!.kind === 'SCALAR'),
          ),
      );

    // Hostile arguments of the right type, on a scratch tenant (reads also on the guarded one): one
    // per mutation, as they may change it; the queries change nothing, so they share one.
    const scratch =
      kind === 'query'
        ? await queriesScratch()
        : await buildFixture(`scratch graphql ${f.name}`, { formationRun: /formation/i.test(f.name) });
    const scratchIds = fc.oneof(
      fc.constantFrom(...scratch.allIds),
      fc.constantFrom(...scratch.allIds),
      fc.uuid(),
      malformedIdArb,
      fc.constantFrom(...guarded.allIds),
    );
    const hostileCreds =
      kind === 'query' ? [scratch.admin, scratch.member, ...creds] : [scratch.admin, scratch.member];
    await property(
      tt,
      'hostile arguments never break the service',
      fc.record({
        vars: fc.record(Object.fromEntries(f.args.map((a) => [a.name, gqlArb(a.type, scratchIds)]))),
        auth: fc.constantFrom(...hostileCreds),
      }),
      RUNS.graphqlHostile,
      async ({ vars, auth }) => {
        return gqlCheck(auth, query, boundedValue(vars), false);
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Afterwards: nothing stored was lost or half-written
// ---------------------------------------------------------------------------------------------

t.test('the guarded fixture is intact and nothing broke in the background', async (tt) => {
  await app.formationRunner.idle();
  const after = { snapshot: await snapshot(), rows: await rowsOf(guarded.tenantId) };
  tt.ok(
    Object.keys(before.snapshot).length > 40,
    `reads of the fixture (${Object.keys(before.snapshot).length})`,
  );
  tt.ok(Object.values(before.rows).flat().length > 50, 'the fixture has rows');
  for (const [key, value] of Object.entries(before.snapshot)) tt.same(after.snapshot[key], value, key);
  for (const [table, rows] of Object.entries(before.rows))
    tt.same(after.rows[table], rows, `rows of ${table}`);

  const failedRuns: string[] = [];
  for (const run of fuzzRuns) {
    const res = await api(app, run.auth).get(`/v1/formation-runs/${run.id}`);
    const body = res.json();
    if (res.statusCode !== 200 || body.error === 'internal error') failedRuns.push(`${run.id}: ${res.body}`);
  }
  tt.same(
    failedRuns,
    [],
    `no formation run started by the fuzzing failed internally (${fuzzRuns.length} runs)`,
  );

  const all = operations.map((o) => o.name);
  tt.same(
    all.filter((n) => !covered.has(n)),
    [],
    'every operation of the document was fuzzed',
  );
  tt.comment(
    `${operations.length} operations and ${gqlFields.length} GraphQL fields, ${sent} requests, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED}, ${ctx.config.databaseUrl ? 'PostgreSQL' : 'PGlite'})`,
  );
});
