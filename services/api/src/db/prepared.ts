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
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
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
): (db: Kysely<Database>, shape: S, values: V) => Promise<O[]> {
  const templates = new Map<string, Template>();
  return async (db, shape, values) => {
    const defined = Object.keys(values).filter((name) => values[name] !== undefined);
    const key = JSON.stringify([shape, defined]);
    let template = templates.get(key);
    if (!template) {
      template = compileTemplate(db, shape, defined, build);
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
