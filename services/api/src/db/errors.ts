/** PostgreSQL errors the service turns into problems (same codes on PGlite and PostgreSQL). */

/** 23505: a unique constraint refused the row. */
export const isUniqueViolation = (error: unknown): boolean => (error as { code?: string })?.code === '23505';

/** The constraint (or unique index) a unique violation names, e.g. `leaders_tenant_email_key`. */
export const violatedConstraint = (error: unknown): string | undefined =>
  isUniqueViolation(error) ? (error as { constraint?: string }).constraint : undefined;

/** 23503: a foreign key refused the row. */
export const isForeignKeyViolation = (error: unknown): boolean =>
  (error as { code?: string })?.code === '23503';

/** Socket errors of a connection that cannot be made or was cut (Node's `net` codes). */
const CONNECTION_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * SQLSTATEs of a server that is going away or not there yet (PostgreSQL, Appendix A):
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now; class 08 is
 * connection_exception (08000, 08003, 08006, 08001, 08004, …).
 */
const CONNECTION_SQLSTATE = /^(57P0[123]|08[0-9A-Z]{3})$/;

/**
 * What `pg` and `pg-pool` say when a connection ends, times out or is used after it broke (they
 * carry no code): "Connection terminated (unexpectedly | due to connection timeout)", "Client has
 * encountered a connection error and is not queryable", "timeout exceeded when trying to connect".
 */
const CONNECTION_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/;

/**
 * True when the error means the database cannot be reached right now (it is stopping, starting,
 * or the connection broke), as opposed to a query it refused. Such a request may succeed when
 * retried later: the service answers 503 `service_unavailable`. Looks through `cause` and an
 * `AggregateError`'s `errors` (Node reports a refused connection to every address of a host as one).
 */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (
    typeof e.code === 'string' &&
    (CONNECTION_SOCKET_CODES.has(e.code) || CONNECTION_SQLSTATE.test(e.code))
  ) {
    return true;
  }
  if (typeof e.message === 'string' && CONNECTION_MESSAGE.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isConnectionError(inner, depth + 1))) return true;
  return isConnectionError(e.cause, depth + 1);
}
