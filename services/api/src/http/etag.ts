/**
 * ETags for optimistic concurrency: a resource's ETag is its row version. Reads send `ETag`;
 * updates take `If-Match` and answer 412 when the resource has changed since.
 */
import type { FastifyRequest } from 'fastify';
import { problem } from '../errors/problem.js';

/** The ETag of a version (a strong validator: the representation changes with every version). */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * Checks `If-Match` against the current version. Without the header the update goes ahead unless
 * `required` (then 428). A list of ETags or `*` is honoured (RFC 9110 §13.1.1).
 */
export function checkIfMatch(request: FastifyRequest, currentVersion: number, required = false): void {
  const header = request.headers['if-match'];
  if (header === undefined) {
    if (required) throw problem('precondition_required', 'Send If-Match with the ETag you read');
    return;
  }
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes('*') || tags.includes(etagOf(currentVersion))) return;
  throw problem('precondition_failed', `The current ETag is ${etagOf(currentVersion)}`);
}
