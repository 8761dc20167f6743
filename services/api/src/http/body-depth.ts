/**
 * A JSON body nested deeper than any request of the API needs is refused before validation (400
 * `bad_request`): code a body meets later recurses over it (JSON.stringify for the Idempotency-Key
 * hash, validators, the database's JSON parser) and would run out of stack, a 500.
 */
import { problem } from '../errors/problem.js';

/** Far deeper than any body of the API (a formation run's composition is the deepest, at 4). */
export const MAX_BODY_DEPTH = 64;

/** How deep a parsed JSON value nests, counted without recursion; stops once past `limit`. */
export function nestingDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0 && max <= limit) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, depth);
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

/** A `preValidation` hook: throws the 400 problem for a body nested deeper than MAX_BODY_DEPTH. */
export async function refuseDeepBodies(request: { body: unknown }): Promise<void> {
  if (nestingDepth(request.body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH)
    throw problem('bad_request', `The body is nested deeper than ${MAX_BODY_DEPTH} levels`);
}
