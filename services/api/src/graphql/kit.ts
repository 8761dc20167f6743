/**
 * The small kit every GraphQL module uses at its edge, so each concern is written once: explicit
 * nulls read as absent, the optimistic-concurrency check (`ifVersion`, GraphQL's If-Match), and a
 * typed context for loaders (mercurius types a loader's context as its own). The page size check is
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
