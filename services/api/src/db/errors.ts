/** PostgreSQL error codes the service turns into client problems (same on PGlite and PostgreSQL). */

/** 23505: a unique constraint refused the row. */
export const isUniqueViolation = (error: unknown): boolean => (error as { code?: string })?.code === '23505';

/** 23503: a foreign key refused the row. */
export const isForeignKeyViolation = (error: unknown): boolean =>
  (error as { code?: string })?.code === '23503';
