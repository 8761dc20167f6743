/**
 * The domain's LifecycleState in a jsonb column: dates are stored as ISO strings and revived on
 * read, so the state handed to `transition` is exactly the domain's type.
 */
import type { LifecycleState } from '@sparring/domain';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** For writing: JSON with dates as ISO strings. */
export const serializeLifecycle = (state: LifecycleState): string => JSON.stringify(state);

/** For reading: revives `since`, history `at` and any other ISO date string. */
export function reviveLifecycle(stored: unknown): LifecycleState {
  const revive = (value: unknown): unknown => {
    if (typeof value === 'string' && ISO_DATE.test(value)) return new Date(value);
    if (Array.isArray(value)) return value.map(revive);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
    }
    return value;
  };
  const parsed = typeof stored === 'string' ? JSON.parse(stored) : stored;
  return revive(parsed) as LifecycleState;
}
