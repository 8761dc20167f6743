/**
 * Calendar feeds (docs/calendar-feeds.md): created over REST and GraphQL with an admin key, read
 * without any header at /calendar/{token}.ics, and parsed with an independent parser (ical.js):
 * stable UIDs, SEQUENCE rising with a move and a cancellation made through the API, cancelled
 * meetings kept as STATUS:CANCELLED, times in the network's zone, place, roles and network name;
 * a leader's feed holds only their networks' meetings while they are a member; revocation is
 * immediate; bad tokens and ids are 4xx problems; a member token manages nothing; the text
 * follows RFC 5545's lines (CRLF, the last one too; folded at 75 octets).
 */

import t from '@sparring/test-workers/tap';
import ICAL from 'ical.js';
import type { Test } from 'tap';
import { redactSignInToken } from '../src/member-pages/log.js';
import { createMemberSession } from '../src/members/member-session.service.js';
import { api, type Method } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import {
  createLeaders,
  createNetwork,
  type MeetingJson,
  MODEL,
  memberToken,
  modelAndMeetings,
  moveTo,
  PAST_MODEL,
} from './helpers/network-fixtures.js';

const PUBLIC_URL = 'https://sparring.example.dk';
// ical.js reads properties it does not know raw; NAME (RFC 7986 §5.1) and X-WR-CALNAME are TEXT.
const design = (ICAL as unknown as { design: { icalendar: { property: Record<string, object> } } }).design;
design.icalendar.property.name = { defaultType: 'text' };
design.icalendar.property['x-wr-calname'] = { defaultType: 'text' };
const ctx = await buildTestApp(t, { SPARRING_PUBLIC_URL: PUBLIC_URL });
const { app } = ctx;

/** The path of a feed's URL (the app is reached through inject, not the public host). */
function pathOf(url: string): string {
  t.ok(url.startsWith(`${PUBLIC_URL}/calendar/cf_`), `the URL is built from the public URL: ${url}`);
  return url.slice(PUBLIC_URL.length);
}

async function createFeed(auth: Auth, kind: 'networks' | 'leaders', id: string, body: object = {}) {
  const res = await api(app, auth).post(`/v1/${kind}/${id}/calendar-feeds`, body);
  if (res.statusCode !== 201) throw new Error(`feed: ${res.statusCode} ${res.body}`);
  return res.json() as {
    id: string;
    url: string;
    webcalUrl: string;
    tokenPrefix: string;
    [k: string]: unknown;
  };
}

interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string;
  summary: string;
  location: string | null;
  description: string;
  tzid: string | null;
  /** DTSTART's wall-clock value as written, e.g. 2027-03-01T17:00:00. */
  localStart: string;
  start: string;
  end: string;
  props: string[];
}

/** Parses a feed with ical.js (its VTIMEZONEs registered, so times resolve to instants). */
function parseFeed(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const events: ParsedEvent[] = root.getAllSubcomponents('vevent').map((v) => {
    const event = new ICAL.Event(v);
    const dtstart = v.getFirstProperty('dtstart')!;
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: String(v.getFirstPropertyValue('status')),
      summary: event.summary,
      location: event.location ?? null,
      description: event.description,
      tzid: (dtstart.getParameter('tzid') as string | undefined) ?? null,
      localStart: event.startDate.toString(),
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      props: v.getAllProperties().map((p) => p.name.toUpperCase()),
    };
  });
  return {
    name: String(root.getFirstPropertyValue('x-wr-calname')),
    name7986: String(root.getFirstPropertyValue('name')),
    events,
  };
}

/** Fetches a feed with no header at all, as a calendar app does. */
async function fetchFeed(path: string, headers: Record<string, string> = {}) {
  return api(app, headers).get(path);
}

/** RFC 5545 §3.1: every line ends with CRLF (the last too) and is at most 75 octets. */
function checkLines(t: Test, text: string) {
  t.ok(text.endsWith('END:VCALENDAR\r\n'), 'the last line ends with CRLF');
  t.notOk(/[^\r]\n/.test(text), 'no line ends with a bare LF');
  const long = text.split('\r\n').filter((line) => Buffer.byteLength(line, 'utf8') > 75);
  t.same(long, [], 'no line is longer than 75 octets');
}

async function leaderName(auth: Auth, id: string): Promise<string> {
  const res = await api(app, auth).get(`/v1/leaders/${id}`);
  return res.json().name;
}

const holder = (m: MeetingJson, role: string) => m.roles.find((r) => r.role === role)?.holder?.memberId;

t.test('a network feed over REST: created once, read without a header, parsed by ical.js', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 4);
  const network = await createNetwork(app, tenantId, members);
  // A name that needs escaping in iCalendar text: `;` `,` `\` and quotes.
  const read = await api(app, auth).get(`/v1/networks/${network}`);
  const name = 'Ledere; Aarhus, Øst \\ "Nord" – en lang nok titel til at blive foldet over flere linjer';
  const renamed = await api(app, auth).patch(
    `/v1/networks/${network}`,
    { name },
    { headers: { 'if-match': read.headers.etag as string } },
  );
  t.equal(renamed.statusCode, 200, renamed.body);
  const meetings = await modelAndMeetings(app, auth, network, 3);

  const feed = await createFeed(auth, 'networks', network, { label: "HR's shared calendar" });
  t.match(feed, {
    kind: 'network',
    networkId: network,
    leaderId: null,
    language: 'da',
    label: "HR's shared calendar",
  });
  t.equal(feed.webcalUrl, feed.url.replace('https://', 'webcal://'));
  const path = pathOf(feed.url);
  t.match(path, /^\/calendar\/cf_[A-Za-z0-9_-]{43}\.ics$/);
  t.ok(path.includes(`/${feed.tokenPrefix}`), 'the prefix is the start of the token');

  // Listed without the address.
  const list = await api(app, auth).get(`/v1/networks/${network}/calendar-feeds`);
  t.equal(list.statusCode, 200);
  t.same(
    list.json().data.map((f: { id: string }) => f.id),
    [feed.id],
  );
  t.notOk(list.body.includes(path.slice('/calendar/'.length, -4)), 'the list never holds the token');
  t.same(
    Object.keys(list.json().data[0]).sort(),
    Object.keys(feed)
      .filter((k) => !k.endsWith('rl'))
      .sort(),
  );
  const one = await api(app, auth).get(`/v1/calendar-feeds/${feed.id}`);
  t.same(one.json(), list.json().data[0]);

  const res = await fetchFeed(path);
  t.equal(res.statusCode, 200, res.body);
  t.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
  t.match(res.headers['cache-control'], /^private, max-age=\d+$/);
  t.match(res.headers.etag, /^"[A-Za-z0-9_-]+"$/);
  checkLines(t, res.body);
  t.match(res.body, /\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/, 'DTSTAMP is in UTC');
  t.match(res.body, /\r\nX-WR-CALNAME:Sparring: Ledere\\; Aarhus\\, Øst \\\\ "Nord"/, 'the name is escaped');

  const parsed = parseFeed(res.body);
  t.equal(parsed.name, `Sparring: ${name}`, 'the calendar name reads back as given');
  t.equal(parsed.name7986, `Sparring: ${name}`, 'NAME too');
  t.equal(parsed.events.length, 3);
  const names = new Map<string, string>();
  for (const id of members) names.set(id, await leaderName(auth, id));
  for (const [i, m] of meetings.entries()) {
    const e = parsed.events[i]!;
    t.equal(e.uid, `${m.id}@sparring`);
    t.equal(e.sequence, 0, 'a new meeting is at SEQUENCE 0');
    t.equal(e.status, 'CONFIRMED');
    t.equal(e.tzid, 'Europe/Copenhagen', "in the network's time zone");
    t.equal(e.localStart, `${m.localStartsAt}:00`, 'the wall-clock time in Copenhagen');
    t.equal(e.start, m.startsAt, 'the same instant as the API');
    t.equal(e.end, m.endsAt);
    t.equal(e.location, MODEL.venue.place);
    t.equal(e.summary, `Netværksmøde ${m.sequence}: ${name}`);
    t.match(e.description, `Netværk: ${name}`);
    t.match(e.description, `Vært (mødested): ${names.get(holder(m, 'host')!)}`);
    t.match(e.description, `Ansvarlig for dagsorden: ${names.get(holder(m, 'agenda_owner')!)}`);
    t.same(
      e.props.filter(
        (p) =>
          ![
            'UID',
            'SEQUENCE',
            'DTSTAMP',
            'DTSTART',
            'DTEND',
            'SUMMARY',
            'LOCATION',
            'DESCRIPTION',
            'STATUS',
            'CLASS',
            'CREATED',
            'LAST-MODIFIED',
          ].includes(p),
      ),
      [],
      'nothing else is in an event (no attendance, no afbud, no evaluations)',
    );
  }

  // Conditional GET.
  const again = await fetchFeed(path, { 'if-none-match': res.headers.etag as string });
  t.equal(again.statusCode, 304);
  t.equal(again.body, '');
});

t.test('SEQUENCE rises when a meeting moves or is cancelled through the API; the UID stays', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 3);
  const network = await createNetwork(app, tenantId, members);
  const [m1, m2] = await modelAndMeetings(app, auth, network, 2);
  const path = pathOf((await createFeed(auth, 'networks', network)).url);
  const before = await fetchFeed(path);
  const first = parseFeed(before.body).events;

  const moved = await moveTo(app, auth, m1!, new Date('2027-03-02T08:30:00.000Z'));
  const afterMove = await fetchFeed(path, { 'if-none-match': before.headers.etag as string });
  t.equal(afterMove.statusCode, 200, 'the ETag changed with the feed');
  const e1 = parseFeed(afterMove.body).events.find((e) => e.uid === `${m1!.id}@sparring`)!;
  t.ok(e1.sequence > first[0]!.sequence, `SEQUENCE rose: ${first[0]!.sequence} → ${e1.sequence}`);
  t.equal(e1.start, moved.startsAt);
  t.equal(e1.localStart, '2027-03-02T09:30:00', 'the new wall-clock time (CET)');
  t.equal(e1.status, 'CONFIRMED');

  const cancel = await api(app, auth).post(`/v1/meetings/${m2!.id}/cancel`);
  t.equal(cancel.statusCode, 200);
  const events = parseFeed((await fetchFeed(path)).body).events;
  t.same(
    events.map((e) => e.uid),
    [`${m1!.id}@sparring`, `${m2!.id}@sparring`],
    'the cancelled meeting stays in the feed, so calendars remove it',
  );
  const e2 = events[1]!;
  t.equal(e2.status, 'CANCELLED');
  t.ok(e2.sequence > first[1]!.sequence, 'SEQUENCE rose with the cancellation');
  t.match(e2.summary, /^Aflyst: /);
});

t.test('times in another zone, an online venue, English texts', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 3);
  const network = await createNetwork(app, tenantId, members, { timeZone: 'America/New_York' });
  const link = 'https://meet.example.dk/ledernetvaerk?room=a,b;c';
  const [m] = await modelAndMeetings(app, auth, network, 1, { ...MODEL, venue: { kind: 'online', link } });
  const feed = await createFeed(auth, 'networks', network, { language: 'en' });
  t.equal(feed.language, 'en');
  const res = await fetchFeed(pathOf(feed.url));
  checkLines(t, res.body);
  const [e] = parseFeed(res.body).events;
  t.equal(e!.tzid, 'America/New_York');
  t.equal(e!.localStart, `${m!.localStartsAt}:00`);
  t.equal(e!.localStart, '2027-03-01T17:00:00', '17:00 in New York');
  t.equal(e!.start, m!.startsAt);
  t.equal(e!.start, '2027-03-01T22:00:00.000Z');
  t.equal(e!.location, link, 'an online meeting is where its link is');
  t.match(e!.summary, /^Network meeting 1: /);
  t.match(e!.description, `Online: ${link}`);
  t.match(e!.description, /Host \(meeting place\): Leader \d+/);
});

t.test('a time zone without a VTIMEZONE of its name is written in UTC', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 2);
  const network = await createNetwork(app, tenantId, members, { timeZone: 'UTC' });
  const [m] = await modelAndMeetings(app, auth, network, 1);
  const res = await fetchFeed(pathOf((await createFeed(auth, 'networks', network)).url));
  t.match(res.body, /\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
  const [e] = parseFeed(res.body).events;
  t.equal(e!.tzid, null);
  t.equal(e!.start, m!.startsAt);
});

t.test("a leader's feed: only their networks' meetings, only while a member", async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const [mette, ...others] = await createLeaders(app, auth, 4);
  const a = await createNetwork(app, tenantId, [mette!, ...others]);
  const b = await createNetwork(app, tenantId, [mette!, others[0]!]);
  const c = await createNetwork(app, tenantId, others);
  const late = await createNetwork(app, tenantId, others);
  const inA = await modelAndMeetings(app, auth, a, 2);
  const inB = await modelAndMeetings(app, auth, b, 3);
  await modelAndMeetings(app, auth, c, 2);
  // Meetings in the past of a network Mette joins today: not hers.
  const beforeJoining = await modelAndMeetings(app, auth, late, 2, PAST_MODEL);
  const join = await api(app, auth).post(`/v1/networks/${late}/members`, { leaderId: mette });
  t.equal(join.statusCode, 201, join.body);
  // A new model version: the next meeting is in 2027, after she joined.
  const afterJoining = await modelAndMeetings(app, auth, late, 1, MODEL);

  // Mette leaves B between its first and second meeting.
  const leftAt = new Date(new Date(inB[0]!.startsAt).getTime() + 86_400_000).toISOString();
  const leave = await api(app, auth).post(`/v1/networks/${b}/members/${mette}/leave`, { leftAt });
  t.equal(leave.statusCode, 200, leave.body);

  const feed = await createFeed(auth, 'leaders', mette!);
  t.match(feed, { kind: 'leader', leaderId: mette, networkId: null });
  const res = await fetchFeed(pathOf(feed.url));
  t.equal(res.statusCode, 200);
  checkLines(t, res.body);
  const parsed = parseFeed(res.body);
  t.equal(parsed.name, 'Sparring: mine netværk');
  const expected = [...inA, inB[0]!, ...afterJoining].map((m) => `${m.id}@sparring`).sort();
  t.same(
    parsed.events.map((e) => e.uid).sort(),
    expected,
    "A's, B's first (before she left) and the new one",
  );
  for (const m of beforeJoining) t.notOk(res.body.includes(m.id), 'no meeting from before she joined');

  // Another leader's feed is theirs alone.
  const other = parseFeed(
    (await fetchFeed(pathOf((await createFeed(auth, 'leaders', others[2]!)).url))).body,
  );
  t.notOk(
    other.events.some((e) => inB.some((m) => e.uid === `${m.id}@sparring`)),
    'a leader who is not in B sees none of its meetings',
  );
});

t.test('a dissolved network: the feed still serves; planned meetings show as cancelled', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 3);
  const network = await createNetwork(app, tenantId, members);
  await modelAndMeetings(app, auth, network, 2);
  const path = pathOf((await createFeed(auth, 'networks', network)).url);
  const before = parseFeed((await fetchFeed(path)).body).events;
  const dissolve = await api(app, auth).post(`/v1/networks/${network}/dissolve`);
  t.equal(dissolve.statusCode, 200);
  const after = parseFeed((await fetchFeed(path)).body).events;
  t.same(
    after.map((e) => [e.uid, e.status]),
    before.map((e) => [e.uid, 'CANCELLED']),
  );
  t.ok(
    after.every((e, i) => e.sequence > before[i]!.sequence),
    'SEQUENCE rose',
  );
});

t.test('GraphQL: the same feeds and shapes as REST', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 3);
  const network = await createNetwork(app, tenantId, members);
  await modelAndMeetings(app, auth, network, 2);
  const fields = 'id kind networkId leaderId language label tokenPrefix createdBy createdAt';
  const created = await gql(
    app,
    auth,
    `mutation ($id: ID!) {
      n: createNetworkCalendarFeed(networkId: $id, input: { language: "en", label: "board" }) { ${fields} url webcalUrl }
    }`,
    { id: network },
  );
  t.equal(created.status, 200);
  t.notOk(created.body.errors, JSON.stringify(created.body.errors));
  const n = created.body.data!.n as { id: string; url: string; webcalUrl: string };
  t.match(n, { kind: 'network', networkId: network, leaderId: null, language: 'en', label: 'board' });
  const restShape = await createFeed(auth, 'networks', network);
  t.same(Object.keys(n).sort(), Object.keys(restShape).sort(), 'the same fields as REST');
  const res = await fetchFeed(pathOf(n.url));
  t.equal(res.statusCode, 200);
  t.equal(parseFeed(res.body).events.length, 2);

  const leader = await gql(
    app,
    auth,
    `mutation ($id: ID!) { l: createLeaderCalendarFeed(leaderId: $id) { ${fields} url webcalUrl } }`,
    { id: members[0] },
  );
  const l = leader.body.data!.l as { id: string; url: string };
  t.match(l, { kind: 'leader', leaderId: members[0], language: 'da', label: null });
  t.equal(parseFeed((await fetchFeed(pathOf(l.url))).body).events.length, 2);

  const listed = await gql(
    app,
    auth,
    `query ($n: ID!, $l: ID!, $f: ID!) {
      n: networkCalendarFeeds(networkId: $n) { nodes { ${fields} } nextCursor }
      l: leaderCalendarFeeds(leaderId: $l, first: 1) { nodes { id } nextCursor }
      f: calendarFeed(id: $f) { ${fields} }
    }`,
    { n: network, l: members[0], f: n.id },
  );
  t.notOk(listed.body.errors);
  const data = listed.body.data as {
    n: { nodes: Record<string, unknown>[]; nextCursor: string | null };
    l: { nodes: { id: string }[] };
    f: Record<string, unknown>;
  };
  t.same(
    data.n.nodes.map((f) => f.id),
    [n.id, restShape.id],
  );
  const rest = await api(app, auth).get(`/v1/networks/${network}/calendar-feeds`);
  t.same(data.n.nodes, rest.json().data, 'the list reads the same on REST and GraphQL');
  t.same(data.f, rest.json().data[0]);
  t.same(data.l.nodes, [{ id: l.id }]);

  const revoked = await gql(app, auth, 'mutation ($id: ID!) { revokeCalendarFeed(id: $id) }', { id: n.id });
  t.same(revoked.body.data, { revokeCalendarFeed: true });
  const gone = await fetchFeed(pathOf(n.url));
  t.equal(gone.statusCode, 404, 'revoked over GraphQL: gone at once');
  const twice = await gql(app, auth, 'mutation ($id: ID!) { revokeCalendarFeed(id: $id) }', { id: n.id });
  t.equal(twice.body.errors?.[0]?.extensions.code, 'not_found');
  const bad = await gql(
    app,
    auth,
    'mutation ($id: ID!) { createNetworkCalendarFeed(networkId: $id, input: { language: "de" }) { id } }',
    { id: network },
  );
  t.equal(bad.body.errors?.[0]?.extensions.code, 'validation_failed');
  t.equal(bad.body.errors?.[0]?.extensions.issues?.[0]?.path, 'language');
});

t.test('revocation is immediate; a revoked or unknown token is a 404 problem', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 2);
  const network = await createNetwork(app, tenantId, members);
  const feed = await createFeed(auth, 'networks', network);
  const path = pathOf(feed.url);
  t.equal((await fetchFeed(path)).statusCode, 200);
  const del = await api(app, auth).delete(`/v1/calendar-feeds/${feed.id}`);
  t.equal(del.statusCode, 204);
  const gone = await fetchFeed(path);
  t.equal(gone.statusCode, 404);
  t.match(gone.headers['content-type'], /^application\/problem\+json/);
  t.equal(gone.json().code, 'not_found');
  const again = await api(app, auth).delete(`/v1/calendar-feeds/${feed.id}`);
  t.equal(again.statusCode, 404);
  const list = await api(app, auth).get(`/v1/networks/${network}/calendar-feeds`);
  t.same(list.json().data, [], 'a revoked feed is no longer listed');

  for (const token of [
    `cf_${'A'.repeat(43)}`, // well-formed, unknown
    'cf_short',
    'nonsense',
    feed.tokenPrefix,
    auth.authorization.slice('Bearer '.length), // an API key is no feed token
  ]) {
    const res = await fetchFeed(`/calendar/${encodeURIComponent(token)}.ics`);
    t.equal(res.statusCode, 404, token);
    t.equal(res.json().code, 'not_found');
  }
  const tooLong = await fetchFeed(`/calendar/${'x'.repeat(150)}.ics`);
  t.equal(tooLong.statusCode, 400);
  t.match(tooLong.headers['content-type'], /^application\/problem\+json/);
});

t.test('bad ids and bodies are 4xx problems; other tenants see nothing', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const other = await ctx.tenant();
  const members = await createLeaders(app, auth, 2);
  const network = await createNetwork(app, tenantId, members);
  const feed = await createFeed(auth, 'networks', network);
  const unknown = '0190a5f5-0000-7000-8000-000000000000';
  const cases: [string, string, object | undefined, number, string][] = [
    ['POST', '/v1/networks/not-a-uuid/calendar-feeds', {}, 400, 'validation_failed'],
    ['POST', `/v1/networks/${unknown}/calendar-feeds`, {}, 404, 'not_found'],
    ['POST', `/v1/leaders/${unknown}/calendar-feeds`, {}, 404, 'not_found'],
    ['POST', `/v1/leaders/${network}/calendar-feeds`, {}, 404, 'not_found'],
    ['POST', `/v1/networks/${network}/calendar-feeds`, { language: 'de' }, 400, 'validation_failed'],
    ['POST', `/v1/networks/${network}/calendar-feeds`, { token: 'mine' }, 400, 'validation_failed'],
    ['POST', `/v1/networks/${network}/calendar-feeds`, { label: 'x'.repeat(201) }, 400, 'validation_failed'],
    ['POST', `/v1/networks/${network}/calendar-feeds`, { label: 'a\u0000b' }, 400, 'validation_failed'],
    ['GET', '/v1/calendar-feeds/not-a-uuid', undefined, 400, 'validation_failed'],
    ['GET', `/v1/calendar-feeds/${unknown}`, undefined, 404, 'not_found'],
    ['GET', `/v1/networks/${network}/calendar-feeds?cursor=nope`, undefined, 400, 'bad_request'],
    ['DELETE', `/v1/calendar-feeds/${unknown}`, undefined, 404, 'not_found'],
  ];
  for (const [method, url, payload, status, code] of cases) {
    const res = await api(app, auth).send(method as Method, url, payload || undefined);
    t.equal(res.statusCode, status, `${method} ${url} ${JSON.stringify(payload)}`);
    t.equal(res.json().code, code);
  }
  // Another tenant's admin: the network, the leader and the feed do not exist for it.
  for (const [method, url] of [
    ['POST', `/v1/networks/${network}/calendar-feeds`],
    ['POST', `/v1/leaders/${members[0]}/calendar-feeds`],
    ['GET', `/v1/networks/${network}/calendar-feeds`],
    ['GET', `/v1/leaders/${members[0]}/calendar-feeds`],
    ['GET', `/v1/calendar-feeds/${feed.id}`],
    ['DELETE', `/v1/calendar-feeds/${feed.id}`],
  ] as const) {
    const res = await api(app, other.auth).send(method, url, method === 'POST' ? {} : undefined);
    t.equal(res.statusCode, 404, `${method} ${url} from another tenant`);
  }
  t.equal((await fetchFeed(pathOf(feed.url))).statusCode, 200, 'the feed is untouched');
});

t.test('a member token manages no feeds; a feed token is no credential', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 2);
  const network = await createNetwork(app, tenantId, members);
  const feed = await createFeed(auth, 'leaders', members[0]!);
  const member = await memberToken(app, auth, members[0]!);
  for (const [method, url] of [
    ['POST', `/v1/networks/${network}/calendar-feeds`],
    ['POST', `/v1/leaders/${members[0]}/calendar-feeds`],
    ['GET', `/v1/networks/${network}/calendar-feeds`],
    ['GET', `/v1/leaders/${members[0]}/calendar-feeds`],
    ['GET', `/v1/calendar-feeds/${feed.id}`],
    ['DELETE', `/v1/calendar-feeds/${feed.id}`],
  ] as const) {
    const res = await api(app, member).send(method, url, method === 'POST' ? {} : undefined);
    t.equal(res.statusCode, 403, `${method} ${url} with a member token`);
    t.equal(res.json().code, 'forbidden');
  }
  const viaGraphql = await gql(
    app,
    member,
    'mutation ($id: ID!) { createLeaderCalendarFeed(leaderId: $id) { id } }',
    { id: members[0] },
  );
  t.equal(viaGraphql.body.errors?.[0]?.extensions.code, 'forbidden');
  const listGraphql = await gql(
    app,
    member,
    'query ($id: ID!) { leaderCalendarFeeds(leaderId: $id) { nodes { id } } }',
    {
      id: members[0],
    },
  );
  t.equal(listGraphql.body.errors?.[0]?.extensions.code, 'forbidden');

  const token = pathOf(feed.url).slice('/calendar/'.length, -'.ics'.length);
  const asBearer = await api(app, { authorization: `Bearer ${token}` }).get('/v1/leaders');
  t.equal(asBearer.statusCode, 401, 'a feed token opens nothing under /v1');
  const noAuth = await api(app).post(`/v1/networks/${network}/calendar-feeds`, {});
  t.equal(noAuth.statusCode, 401);
  t.equal((await fetchFeed(pathOf(feed.url))).statusCode, 200, 'still live');
});

t.test('the rate limit counts per feed, not per address', async (t) => {
  const limited = await buildTestApp(t, {
    SPARRING_PUBLIC_URL: PUBLIC_URL,
    SPARRING_RATE_LIMIT_PER_MINUTE: '3',
  });
  const { tenantId, auth } = await limited.tenant();
  const [leader] = await createLeaders(limited.app, auth, 1);
  const network = await createNetwork(limited.app, tenantId, [leader!]);
  const feeds: string[] = [];
  for (const url of [`/v1/networks/${network}/calendar-feeds`, `/v1/leaders/${leader}/calendar-feeds`]) {
    const res = await api(limited.app, auth).post(url, {});
    t.equal(res.statusCode, 201);
    feeds.push(res.json().url.slice(PUBLIC_URL.length));
  }
  const [first, second] = feeds as [string, string];
  for (let i = 0; i < 3; i++) t.equal((await api(limited.app).get(first)).statusCode, 200);
  const over = await api(limited.app).get(first);
  t.equal(over.statusCode, 429);
  t.equal(over.json().code, 'rate_limited');
  t.equal((await api(limited.app).get(second)).statusCode, 200, 'another feed from the same address');
});

/** A browser on the member pages: cookies kept, the last page's CSRF token sent with each form. */
function memberBrowser(cookies: Record<string, string>) {
  const jar = new Map(Object.entries(cookies));
  let csrf = '';
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (setCookie: string | string[] | undefined) => {
    for (const line of [setCookie ?? []].flat()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const seen = (res: Awaited<ReturnType<typeof app.inject>>) => {
    remember(res.headers['set-cookie']);
    csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? csrf;
    return res;
  };
  return {
    get: async (url: string) => seen(await api(app).get(url, { headers: { cookie: cookie() } })),
    post: async (url: string, form: Record<string, string> = {}, withCsrf = true) =>
      seen(
        await api(app).post(
          url,
          new URLSearchParams({ ...(withCsrf ? { _csrf: csrf } : {}), ...form }).toString(),
          { headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' } },
        ),
      ),
  };
}

const FEED_URL_IN_PAGE = /value="(https:\/\/sparring\.example\.dk\/calendar\/cf_[A-Za-z0-9_-]{43}\.ics)"/;

t.test('a member gets their own feed on the member pages, in their own session', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 2);
  const network = await createNetwork(app, tenantId, members);
  await modelAndMeetings(app, auth, network, 2);
  const adminFeed = await createFeed(auth, 'leaders', members[0]!);
  const { cookieValue } = await createMemberSession(app.db, tenantId, members[0]!, new Date());
  const browser = memberBrowser({ sparring_session: cookieValue, sparring_lang: 'da' });

  const home = await browser.get('/m/');
  t.equal(home.statusCode, 200);
  t.match(home.body, 'Møderne i din kalender');
  t.match(home.body, 'Hent et kalenderlink');
  t.notMatch(home.body, 'Du har et kalenderlink');

  const noCsrf = await browser.post('/m/calendar', {}, false);
  t.equal(noCsrf.statusCode, 403, 'a form without its CSRF token is refused');

  const created = await browser.post('/m/calendar');
  t.equal(created.statusCode, 200);
  t.match(created.headers['cache-control'], /no-store/, 'the page with the link is never cached');
  const url = FEED_URL_IN_PAGE.exec(created.body)?.[1];
  t.ok(url, 'the page shows the address');
  t.match(
    created.body,
    `href="${url!.replace('https://', 'webcal://')}"`,
    'and a webcal:// link to subscribe',
  );
  t.match(created.body, 'Linket vises kun nu');
  const feed = parseFeed((await fetchFeed(pathOf(url!))).body);
  t.equal(feed.name, 'Sparring: mine netværk', 'in the language of the pages');
  t.equal(feed.events.length, 2);

  const listed = await api(app, auth).get(`/v1/leaders/${members[0]}/calendar-feeds`);
  t.same(
    listed.json().data.map((f: { id: string; createdBy: string }) => f.createdBy),
    ['admin', 'member'],
    'the admin sees the member-made feed (and may revoke it)',
  );

  const again = await browser.get('/m/');
  t.match(again.body, 'Du har et kalenderlink fra');
  t.match(again.body, 'Hent et nyt kalenderlink');
  const renewed = await browser.post('/m/calendar');
  const next = FEED_URL_IN_PAGE.exec(renewed.body)?.[1];
  t.ok(next && next !== url, 'a new address');
  t.equal((await fetchFeed(pathOf(url!))).statusCode, 404, 'the old one stopped at once');
  t.equal((await fetchFeed(pathOf(next!))).statusCode, 200);

  const stop = await browser.post('/m/calendar/stop');
  t.equal(stop.statusCode, 303);
  t.equal(stop.headers.location, '/m/?done=calendar');
  t.equal((await fetchFeed(pathOf(next!))).statusCode, 404, 'stopped');
  const after = await browser.get('/m/?done=calendar');
  t.match(after.body, 'Kalenderlinket virker ikke længere.');
  t.match(after.body, 'Hent et kalenderlink');
  t.equal(
    (await fetchFeed(pathOf(adminFeed.url))).statusCode,
    200,
    "the admin's feed is not the member's to stop",
  );

  const stranger = memberBrowser({});
  const out = await stranger.get('/m/');
  t.equal(out.statusCode, 303, 'without a session: to the sign-in page');
});

t.test('the request log never carries a feed token', async (t) => {
  const path = `/calendar/cf_${'x'.repeat(43)}.ics`;
  t.equal(redactSignInToken(path), '/calendar/[redacted]');
  t.equal(redactSignInToken(`${path}?x=1`), '/calendar/[redacted]?x=1');
  t.equal(redactSignInToken('/v1/calendar-feeds/abc'), '/v1/calendar-feeds/abc', 'the API as it is');
});
