/**
 * The small kit every GraphQL module uses at its edge, so each concern is written once: explicit
 * nulls read as absent, the optimistic-concurrency check (`ifVersion`, GraphQL's If-Match), a typed
 * context for loaders (mercurius types a loader's context as its own), and the one conversion of
 * the REST wire shape GraphQL needs (`entries`: a map as a list; `jsonText`: a JSON value GraphQL
 * carries as text; `lift`: a nested object's fields on its parent's type). The page size check is
 * http/pagination.ts's `pageSizeOf`, shared with REST.
 */
import { problem } from '../errors/problem.js';
import type { GraphQLContext } from './context.js';

export { pageSizeOf } from '../http/pagination.js';

/**
 * A GraphQL input without its null-valued keys, at every depth (arrays included): GraphQL input
 * objects carry explicit nulls for absent optional fields, and the domain's parsers read absence.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, withoutNulls(v)]),
    ) as T;
  return value;
}

/**
 * The version check a use case calls with the current version (REST's If-Match): a 412
 * `precondition_failed` naming the current version when `ifVersion` differs; with `required`, a
 * 428 `precondition_required` when it is absent.
 */
export function versionCheck(
  ifVersion: number | null | undefined,
  options: { readonly required?: boolean } = {},
): (current: number) => void {
  return (current) => {
    if (ifVersion == null) {
      if (options.required)
        throw problem('precondition_required', 'Pass ifVersion with the version you read');
      return;
    }
    if (ifVersion !== current) throw problem('precondition_failed', `The current version is ${current}`);
  };
}

/** A loader's context as the resolvers' (the same object: graphql.plugin.ts builds it per request). */
export const loaderContext = (context: unknown): GraphQLContext => context as GraphQLContext;

/**
 * A map of the REST resource as GraphQL's list of entries (GraphQL has no maps), in the map's own
 * key order (integer keys ascending). Each entry has the key under `keyName` (through `keyOf`, e.g.
 * `Number` for an `Int` key) and the value under `valueName`; without `valueName` the value is an
 * object whose fields the entry carries: `entries({ a: { n: 1 } }, 'state')` is
 * `[{ state: 'a', n: 1 }]`. Modules resolve a map field with it, e.g.
 * `Signal: { evidence: (s) => entries(s.evidence, 'name', 'value') }`.
 */
export function entries<V>(
  map: Readonly<Record<string, V>>,
  keyName: string,
  valueName?: string,
  keyOf: (key: string) => unknown = (key) => key,
): Record<string, unknown>[] {
  return Object.entries(map).map(([key, value]) =>
    valueName === undefined
      ? { [keyName]: keyOf(key), ...(value as object) }
      : { [keyName]: keyOf(key), [valueName]: value },
  );
}

/**
 * A JSON value of the REST resource as the text GraphQL carries it (a `String` field), e.g. a
 * webhook delivery's payload: `JSON.stringify`, so text that came from `JSON.stringify` reads back
 * byte for byte.
 */
export const jsonText = (value: unknown): string => JSON.stringify(value);

/**
 * A resource with one nested object's fields on the resource itself, for a GraphQL type that
 * declares them there (e.g. a network's settings on `Network`): `lift({ id, settings: { k } },
 * 'settings')` is `{ id, k }`. A null nested object adds nothing, so its fields read as null.
 */
export function lift<T extends object, K extends keyof T>(
  resource: T,
  key: K,
): Omit<T, K> & (null extends T[K] ? Partial<NonNullable<T[K]>> : T[K]) {
  const { [key]: nested, ...rest } = resource;
  return { ...rest, ...(nested ?? {}) } as Omit<T, K> &
    (null extends T[K] ? Partial<NonNullable<T[K]>> : T[K]);
}
