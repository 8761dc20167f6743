import { problem } from '../errors/problem.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else is a 400 problem before it reaches the database. */
export function assertUuid(id: string, what = 'id'): void {
  if (!UUID.test(id)) throw problem('validation_failed', `The ${what} "${id.slice(0, 64)}" is not a UUID`);
}
