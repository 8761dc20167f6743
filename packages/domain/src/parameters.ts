/**
 * Tuning parameters: each module that scores or judges (health.ts, signals.ts, review.ts,
 * formation/leader-space.ts) keeps its tuning constants in one readonly parameter object with a
 * frozen default, and its functions take a partial object of the caller's own values (an HR
 * platform tuning its thresholds, a test). This resolves such a partial object against the defaults.
 */

/** The defaults with the given values in place of theirs (a value left undefined keeps the default). */
export function withDefaults<T extends object>(defaults: T, parameters: Partial<T> = {}): T {
  const resolved: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(parameters)) if (value !== undefined) resolved[key] = value;
  return resolved as T;
}
