/** Local wall-clock times for display (meetings, and the meetings a review decision moves). */

const pad = (n: number) => String(n).padStart(2, '0');

/** The local wall-clock time of an instant in a time zone, "YYYY-MM-DDTHH:MM" (for display). */
export function localDateTime(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${pad(Number(parts.hour))}:${parts.minute}`;
}
