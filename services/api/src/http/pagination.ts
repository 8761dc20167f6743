/**
 * Cursor pagination over UUIDv7 ids (which sort in creation order): stable under inserts, no
 * offsets. The cursor is opaque to clients (base64url of the last id seen).
 */
import { Type } from 'typebox';
import { problem } from '../errors/problem.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'The nextCursor of the previous page' }),
    ),
  },
  { additionalProperties: false },
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

/** The id a cursor stands for; a 400 problem for anything that is not a cursor we issued. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UUID.test(id))
    throw problem('bad_request', 'The cursor is not valid; use nextCursor from a previous page');
  return id;
}

/** Splits a fetched `limit + 1` rows into a page and its next cursor. */
export function toPage<T extends { id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

/** A REST list's `limit` and `cursor` query parameters, with the default page size when no limit is given. */
export const pageQuery = (query: { readonly limit?: number; readonly cursor?: string }) => ({
  limit: query.limit ?? DEFAULT_PAGE_SIZE,
  cursor: query.cursor,
});

/** A GraphQL `first` argument checked against the REST `limit` bounds (400 validation_failed outside). */
export function pageSizeOf(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
    throw problem('validation_failed', `first must be from 1 to ${MAX_PAGE_SIZE}`);
  return first;
}

/**
 * Cursors over rows keyed by a version number (charter versions) rather than a UUIDv7: as opaque
 * to clients as the id cursors (base64url of `v<number>`).
 */
export const encodeVersionCursor = (version: number): string =>
  Buffer.from(`v${version}`, 'utf8').toString('base64url');

/** The version a version cursor stands for; a 400 problem for anything we did not issue. */
export function decodeVersionCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const match = /^v([1-9][0-9]{0,8})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw problem('bad_request', 'The cursor is not valid; use nextCursor from a previous page');
  return Number(match[1]);
}
