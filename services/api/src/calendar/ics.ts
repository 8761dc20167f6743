/**
 * iCalendar (RFC 5545) output for the calendar feeds, written by ical-generator and corrected where
 * it falls short (checked with an independent parser, ical.js, in test/calendar-feeds.test.ts):
 *
 * - Times: each event carries its network's time zone (`DTSTART;TZID=…`) with a VTIMEZONE block
 *   from @touch4it/ical-timezones. There is no calendar-level time zone (with one, ical-generator
 *   writes DTSTAMP without its `Z`). The wall-clock fields come from @date-fns/tz's TZDate (a plain
 *   Date would be formatted in the server's own zone). A zone with no VTIMEZONE of the same name
 *   is written in UTC (`…Z`), which is always correct.
 * - Texts: ical-generator escapes SUMMARY, LOCATION and DESCRIPTION but not the calendar's name
 *   (NAME, X-WR-CALNAME): a name with `,` `;` `\` or a line break is escaped here (its `escape`).
 * - The last line: RFC 5545 §3.1 ends every content line with CRLF, END:VCALENDAR included;
 *   ical-generator leaves the final CRLF out, so it is added.
 * - No URL property: ical-generator escapes its `,` and `;`, which a URI value must not have
 *   (RFC 5545 §3.3.13); an online link is the LOCATION and a line of the DESCRIPTION (TEXT).
 * - Lines longer than 75 octets are folded by ical-generator (RFC 5545 §3.1), counted in UTF-8.
 */
import { TZDate } from '@date-fns/tz';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { escape as escapeText, ICalEventClass, ICalEventStatus } from 'ical-generator';

/** One event of a feed, as the feed's builder decided it. */
export interface FeedEvent {
  /** Stable across fetches and edits: `<meeting id>@sparring`. */
  readonly uid: string;
  /** RFC 5545 SEQUENCE: rises with every revision of the meeting. */
  readonly sequence: number;
  readonly start: Date;
  readonly end: Date;
  /** The IANA zone the meeting is planned in (the network's). */
  readonly timeZone: string;
  readonly cancelled: boolean;
  readonly summary: string;
  readonly location: string | null;
  readonly description: string;
  readonly created: Date;
  /** When the event last changed (DTSTAMP and LAST-MODIFIED). */
  readonly lastModified: Date;
}

export interface FeedCalendar {
  /** The calendar's name as the subscriber sees it (unescaped). */
  readonly name: string;
  readonly description: string;
  readonly language: 'da' | 'en';
  readonly events: readonly FeedEvent[];
}

/**
 * How often a subscriber should fetch again (REFRESH-INTERVAL, RFC 7986 §5.7, and Outlook's
 * X-PUBLISHED-TTL): one hour, so a moved or cancelled meeting reaches the calendar the same
 * working day. Our choice; Google Calendar ignores the hint and refreshes on its own schedule.
 */
export const FEED_REFRESH_SECONDS = 3600;

const vtimezones = new Map<string, string | null>();

/** The VTIMEZONE block of an IANA zone, when one with exactly that TZID is known; else null (UTC). */
export function vtimezoneOf(timeZone: string): string | null {
  if (!vtimezones.has(timeZone)) {
    const block = timeZone === 'UTC' || timeZone === 'Etc/UTC' ? null : getVtimezoneComponent(timeZone);
    const exact = block?.split(/\r?\n/).includes(`TZID:${timeZone}`) ?? false;
    vtimezones.set(timeZone, exact ? block : null);
  }
  return vtimezones.get(timeZone) ?? null;
}

/** The calendar as iCalendar text: CRLF line ends (the last one included), folded at 75 octets. */
export function renderCalendar(calendar: FeedCalendar): string {
  const cal = ical({
    prodId: { company: 'Sparring', product: 'Calendar feeds', language: calendar.language.toUpperCase() },
    name: escapeText(calendar.name, false),
    description: calendar.description,
    ttl: FEED_REFRESH_SECONDS,
  });
  // Only the VTIMEZONE blocks of the events' zones; no calendar-level zone (see above).
  cal.timezone({ name: null, generator: vtimezoneOf });
  for (const event of calendar.events) {
    const zoned = vtimezoneOf(event.timeZone) !== null;
    cal.createEvent({
      id: event.uid,
      sequence: event.sequence,
      stamp: event.lastModified,
      created: event.created,
      lastModified: event.lastModified,
      start: zoned ? new TZDate(event.start, event.timeZone) : event.start,
      end: zoned ? new TZDate(event.end, event.timeZone) : event.end,
      timezone: zoned ? event.timeZone : null,
      summary: event.summary,
      location: event.location,
      description: event.description,
      status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      // The network's meetings are confidential: a shared calendar shows them as busy only.
      class: ICalEventClass.PRIVATE,
    });
  }
  const text = cal.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
