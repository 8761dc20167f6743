/**
 * Hot reads built and compiled by Kysely once per shape, then only bound per call.
 *
 * Kysely builds a tree of immutable nodes for every query and compiles it to SQL text on every
 * execution: about 70 µs per request on the leader and meeting lists, with the garbage it leaves,
 * which was most of what the service spent beyond the same reads on bare Fastify + pg
 * (docs/benchmarks.md, "Reads"). A prepared query is built once per shape — the query's structure,
 * which optional filters it has — with a marker in place of each value; the compiled SQL and the
 * markers' positions among its parameters are kept, and a call puts its values in those positions.
 * The SQL is PostgreSQL's (both engines use Kysely's PostgresDialect), the same text Kysely would
 * compile for those values; the query node is kept, so the result is Kysely's as before.
 *
 * The rule for `build`: branch only on `shape` and on whether a value is undefined (an absent
 * filter: which values are defined is part of the shape); use each defined value only as a value
 * bound as one parameter (`where(col, '=', v.x)`, `limit(v.n)`), never in arithmetic, a method
 * call, another branch or an `in` list (a list is several parameters: bind it as ONE array,
 * `where(col, '=', sql`any(${v.ids})`)`). A defined value missing from the compiled parameters is
 * refused when its shape is first compiled.
 *
 * A query given a `statement` name is also sent as a named, server-side prepared statement
 * (`statementPool`): PostgreSQL parses and plans its text once per connection instead of on every
 * call. On the hot reads that was most of what PostgreSQL spent per request (health's fingerprint,
 * four sub-selects, about three quarters: docs/benchmarks.md, "API"). Such a query names its
 * columns (src/db/columns.ts), never `*`: a saved `select *` fails once its table gains a column,
 * as another replica's migration may do under a running one. Off with
 * `DATABASE_NAMED_STATEMENTS=false`, for PgBouncer before 1.21 in transaction mode (1.21 and later
 * carry named statements when `max_prepared_statements` is set: docs/scaling.md).
 */
import type { Compilable, CompiledQuery, Kysely, PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.js';

const MARKER = Symbol('prepared query value');

interface Marker {
  readonly [MARKER]: string;
}

const isMarker = (value: unknown): value is Marker =>
  typeof value === 'object' && value !== null && MARKER in value;

interface Template {
  readonly compiled: CompiledQuery;
  /** Per parameter: the name of the value it takes, or undefined for a constant of the query. */
  readonly slots: readonly (string | undefined)[];
}

/**
 * A query of shape `S` (JSON, the cache key) and values `V`, built by `build` once per shape. The
 * returned function runs it on `db` (the handle or a transaction) and resolves to its rows.
 */
export function preparedQuery<S, V extends Record<string, unknown>, O>(
  build: (db: Kysely<Database>, shape: S, values: V) => Compilable<O>,
  options: { readonly statement?: string } = {},
): (db: Kysely<Database>, shape: S, values: V) => Promise<O[]> {
  const templates = new Map<string, Template>();
  return async (db, shape, values) => {
    const defined = Object.keys(values).filter((name) => values[name] !== undefined);
    const key = JSON.stringify([shape, defined]);
    let template = templates.get(key);
    if (!template) {
      template = compileTemplate(db, shape, defined, build);
      if (options.statement !== undefined) nameStatement(template.compiled, options.statement);
      templates.set(key, template);
    }
    const parameters = template.slots.map((slot, i) =>
      slot === undefined ? template.compiled.parameters[i] : values[slot],
    );
    const result = await db.executeQuery<O>({ ...template.compiled, parameters });
    return result.rows;
  };
}

function compileTemplate<S, V extends Record<string, unknown>, O>(
  db: Kysely<Database>,
  shape: S,
  defined: readonly string[],
  build: (db: Kysely<Database>, shape: S, values: V) => Compilable<O>,
): Template {
  const markers = Object.fromEntries(defined.map((name) => [name, { [MARKER]: name }])) as V;
  const compiled = build(db, shape, markers).compile();
  const slots = compiled.parameters.map((p) => (isMarker(p) ? p[MARKER] : undefined));
  const unused = defined.filter((name) => !slots.includes(name));
  if (unused.length > 0) {
    throw new Error(`prepared query: ${unused.join(', ')} not bound as a parameter (see src/db/prepared.ts)`);
  }
  return { compiled, slots };
}

/** SQL text → the name it is prepared under on each connection (one name per text). */
const statementNames = new Map<string, string>();

/** `select *` or `"alias".*` in compiled SQL (not `count(*)`). */
const SELECTS_ALL = /(select|,)\s+("[^"]+"\.)?\*/i;

function nameStatement(compiled: CompiledQuery, statement: string): void {
  if (SELECTS_ALL.test(compiled.sql)) {
    throw new Error(
      `prepared query ${statement}: a named statement lists its columns, not * (see src/db/columns.ts)`,
    );
  }
  if (!statementNames.has(compiled.sql))
    statementNames.set(compiled.sql, `${statement}_${statementNames.size + 1}`);
}

/**
 * Kysely's view of a `pg` pool whose clients send a text named by `preparedQuery` as that named
 * statement (`pg` parses it on a connection the first time, then only binds and executes it), and
 * every other text as before. One wrapper per client, as Kysely keeps its connection per client.
 */
export function statementPool(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    // biome-ignore lint/suspicious/noExplicitAny: forwards both of Kysely's overloads to pg's
    query: ((text: any, values?: unknown[]) => {
      const name = typeof text === 'string' ? statementNames.get(text) : undefined;
      if (name !== undefined) return client.query({ name, text, values });
      return values === undefined ? client.query(text) : client.query(text, values);
    }) as PostgresPoolClient['query'],
    release: (destroy) => client.release(destroy),
  });
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
