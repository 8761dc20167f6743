/** TypeBox schemas of the calendar feed routes, with examples (the OpenAPI document is built from them). */
import { Type } from 'typebox';
import { EXAMPLE_IDS } from '../http/examples.js';
import { PageQuery } from '../http/pagination.js';
import { FEED_LABEL_MAX } from './calendar-feed.service.js';

const Uuid = Type.String({ format: 'uuid' });

const FEED_EXAMPLE = {
  id: '0190a5fc-5f60-7172-8d8e-1a2b3c4d5e6f',
  kind: 'leader',
  networkId: null,
  leaderId: EXAMPLE_IDS.mette,
  language: 'da',
  label: "Mette's Outlook",
  tokenPrefix: 'cf_Q2x1cC',
  createdBy: 'admin',
  createdAt: '2026-12-02T09:00:00.000Z',
} as const;

const TOKEN = 'cf_Q2x1cCBmZWVkIHRva2VuIGZvciBNZXR0ZSBKZW5zZW4gZXhhbXBsZQ';

const feedProperties = {
  id: Uuid,
  kind: Type.Union([Type.Literal('network'), Type.Literal('leader')], {
    description: "network: every meeting of one network; leader: the meetings of the leader's networks",
  }),
  networkId: Type.Union([Uuid, Type.Null()]),
  leaderId: Type.Union([Uuid, Type.Null()]),
  language: Type.Union([Type.Literal('da'), Type.Literal('en')], {
    description: "The language of the feed's titles and descriptions",
  }),
  label: Type.Union([Type.String(), Type.Null()], {
    description: 'Who the feed was given to (yours to set)',
  }),
  tokenPrefix: Type.String({ description: "The token's first characters, to recognise the feed" }),
  createdBy: Type.Union([Type.Literal('admin'), Type.Literal('member')], {
    description: 'admin: over the API; member: by the leader on the member pages (the admin may revoke it)',
  }),
  createdAt: Type.String({ format: 'date-time' }),
};

export const CalendarFeedSchema = Type.Object(feedProperties, {
  examples: [FEED_EXAMPLE],
});

export const CreatedCalendarFeedSchema = Type.Object(
  {
    ...feedProperties,
    url: Type.String({
      description: 'The secret address of the feed (shown once): anyone holding it reads the feed',
    }),
    webcalUrl: Type.String({
      description: 'The same address as webcal://, which opens the calendar app to subscribe',
    }),
  },
  {
    examples: [
      {
        ...FEED_EXAMPLE,
        url: `https://sparring.example.dk/calendar/${TOKEN}.ics`,
        webcalUrl: `webcal://sparring.example.dk/calendar/${TOKEN}.ics`,
      },
    ],
  },
);

export const CalendarFeedPage = Type.Object(
  {
    data: Type.Array(CalendarFeedSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as ?cursor= for the next page',
    }),
  },
  { examples: [{ data: [FEED_EXAMPLE], nextCursor: null }] },
);

export const CreateCalendarFeedBody = Type.Union(
  [
    Type.Object(
      {
        language: Type.Optional(
          Type.Union([Type.Literal('da'), Type.Literal('en')], { default: 'da', description: 'Default da' }),
        ),
        label: Type.Optional(Type.Union([Type.String({ maxLength: FEED_LABEL_MAX }), Type.Null()])),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { examples: [{ language: 'da', label: "Mette's Outlook" }] },
);

export const FeedIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const FeedListQuery = PageQuery;

export const FeedTokenParams = Type.Object(
  { token: Type.String({ maxLength: 100, description: 'The secret token of the feed' }) },
  { additionalProperties: false },
);

/** An abridged feed, for the documentation. */
export const ICS_EXAMPLE = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Sparring//Calendar feeds//DA',
  'NAME:Sparring: Ledernetværk Aarhus',
  'X-WR-CALNAME:Sparring: Ledernetværk Aarhus',
  'BEGIN:VEVENT',
  `UID:${EXAMPLE_IDS.meeting1}@sparring`,
  'SEQUENCE:1',
  'DTSTAMP:20261202T090000Z',
  'DTSTART;TZID=Europe/Copenhagen:20270301T170000',
  'DTEND;TZID=Europe/Copenhagen:20270301T200000',
  'SUMMARY:Netværksmøde 1: Ledernetværk Aarhus',
  'LOCATION:Rådhuset\\, Aarhus',
  'DESCRIPTION:Netværk: Ledernetværk Aarhus\\nVært (mødested): Mette Jensen\\nAn',
  ' svarlig for dagsorden: Søren Nielsen',
  'STATUS:CONFIRMED',
  'CLASS:PRIVATE',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
