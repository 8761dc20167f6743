/** Local wall-clock times for display (meetings, and the meetings a review decision moves). */

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * One formatter per time zone, made on first use: building an `Intl.DateTimeFormat` costs far more
 * than formatting with it (it was a fifth of the service's CPU on a meeting list, two per meeting;
 * docs/benchmarks.md "Reads"). The zones are the networks' validated IANA names, a short list.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The local wall-clock time of an instant in a time zone, "YYYY-MM-DDTHH:MM" (for display). */
export function localDateTime(instant: Date, timeZone: string): string {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}T${pad(Number(parts.hour))}:${parts.minute}`;
}
