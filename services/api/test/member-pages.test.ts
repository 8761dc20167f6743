/**
 * The member pages under /m/, through `inject`: sign-in by the link read from a real mail, forms
 * with CSRF, POST-redirect-GET, errors next to their fields, the language choice, the security
 * headers, bounded queries, and another member's data never shown. PGlite or DATABASE_URL.
 */

import { Writable } from 'node:stream';
import t from '@sparring/test-workers/tap';
import Fastify from 'fastify';
import { redactSignInToken, requestLogSerializer } from '../src/member-pages/log.js';
import { createMemberSession } from '../src/members/member-session.service.js';
import { api } from './helpers/api.js';
import { buildMemberWorld, SECRET_COMMENT, signInPathIn, startSmtp } from './helpers/browser.js';
import { buildTestApp, gql, type TestApp } from './helpers/build.js';
import { memberToken, seedNetwork } from './helpers/network-fixtures.js';

const smtp = await startSmtp(t);
const ctx = await buildTestApp(t, {
  SMTP_URL: smtp.url,
  SPARRING_PUBLIC_URL: 'https://sparring.example.dk',
});
const { app } = ctx;
const { tenantId, auth } = await ctx.tenant('Acme HR');
const world = await buildMemberWorld(app, tenantId, auth);

/** A cookie jar and the last page's CSRF token: a browser without JavaScript, in miniature. */
class Visitor {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(
    readonly app: TestApp,
    readonly headers: Record<string, string> = {},
  ) {}
  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private remember(setCookie: unknown) {
    const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
    for (const c of list as string[]) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  async get(url: string) {
    const res = await api(this.app, this.headers).get(url, { headers: { cookie: this.cookieHeader() } });
    this.remember(res.headers['set-cookie']);
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }
  async post(url: string, form: Record<string, string>, opts: { csrf?: boolean } = {}) {
    const body = new URLSearchParams({ ...(opts.csrf === false ? {} : { _csrf: this.csrf }), ...form });
    const res = await api(this.app, this.headers).post(url, body.toString(), {
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res.headers['set-cookie']);
    return res;
  }
}

/** A visitor signed in as a leader (a session opened directly, as the sign-in link would). */
async function signedIn(leaderId: string, headers: Record<string, string> = { 'accept-language': 'en' }) {
  const v = new Visitor(app, headers);
  const { cookieValue } = await createMemberSession(app.db, tenantId, leaderId, new Date());
  v.cookies.set('sparring_session', cookieValue);
  return v;
}

t.test('sign in through the mailed link, then sign out', async (t) => {
  const v = new Visitor(app, { 'accept-language': 'da-DK,da;q=0.9,en;q=0.5' });
  const home = await v.get('/m/');
  t.equal(home.statusCode, 303, 'not signed in: to the sign-in page');
  t.equal(home.headers.location, '/m/sign-in');
  const page = await v.get('/m/sign-in');
  t.equal(page.statusCode, 200);
  t.match(page.body, '<html lang="da">', 'Danish when the browser prefers it');
  t.match(page.body, 'Send mig et link');

  const bad = await v.post('/m/sign-in', { email: 'not an address' });
  t.equal(bad.statusCode, 400, 'bad input: the page again');
  t.match(bad.body, /<p class="error" id="email-error">/, 'the error sits next to the field');
  t.match(bad.body, /aria-describedby="email-hint email-error" aria-invalid="true"/);
  t.match(bad.body, 'value="not an address"', 'what was typed is kept');

  const noCsrf = await v.post('/m/sign-in', { email: world.email }, { csrf: false });
  t.equal(noCsrf.statusCode, 403, 'a form without its CSRF token is refused');

  const arrived = smtp.next();
  const sent = await v.post('/m/sign-in', { email: world.email });
  t.equal(sent.statusCode, 303);
  t.equal(sent.headers.location, '/m/link-sent');
  const unknown = await v.post('/m/sign-in', { email: 'nobody@example.dk' });
  t.equal(unknown.headers.location, '/m/link-sent', 'the same answer for an unknown address');
  const mail = await arrived;
  const path = signInPathIn(mail);

  const opened = await v.get(path);
  t.equal(
    opened.statusCode,
    200,
    'opening the link shows a button (a mail scanner opening it burns nothing)',
  );
  t.match(opened.body, 'Log ind på Sparring');
  t.notOk(
    String(opened.headers['set-cookie'] ?? '').includes('sparring_session'),
    'opening alone does not sign in',
  );
  t.equal((await v.get(path)).statusCode, 200, 'opening it again still works: nothing was used');
  const noCsrfLink = await v.post(path, {}, { csrf: false });
  t.equal(noCsrfLink.statusCode, 403, 'the sign-in button is CSRF-protected like every form');
  const landing = await v.post(path, {});
  t.equal(landing.statusCode, 303, 'the button signs in');
  t.equal(landing.headers.location, '/m/', 'and sends on, so the token leaves the address bar');
  const cookie = String(landing.headers['set-cookie']);
  t.match(cookie, /sparring_session=/);
  t.match(cookie, /HttpOnly/i);
  t.match(cookie, /SameSite=Lax/i);
  t.match(cookie, /Secure/i, 'Secure with an https public URL');
  t.match(cookie, /Path=\/m/);

  const overview = await v.get('/m/');
  t.equal(overview.statusCode, 200);
  t.match(overview.body, 'Mine netværk');
  t.match(overview.body, 'Seeded network');

  const used = await v.get(path);
  t.equal(used.statusCode, 410, 'a used link');
  t.equal((await v.post(path, {})).statusCode, 410, 'and its button no longer signs in');
  t.match(used.body, 'Linket er allerede brugt');
  t.match(used.body, 'Bed om et nyt link', 'explains what to do');
  const unknownLink = await v.get('/m/sign-in/not-a-real-token');
  t.equal(unknownLink.statusCode, 404);
  t.match(unknownLink.body, 'Linket virker ikke');

  const out = await v.post('/m/sign-out', {});
  t.equal(out.statusCode, 303);
  t.equal((await v.get('/m/')).statusCode, 303, 'signed out: back to sign-in');
});

t.test('the request log never carries a sign-in token', async (t) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  // The service's own logger options (app.ts) with this serializer; a bare Fastify to read its log.
  const logged = Fastify({ logger: { level: 'info', serializers: { req: requestLogSerializer }, stream } });
  logged.get('/m/sign-in/:token', async () => 'ok');
  await api(logged).get('/m/sign-in/AbCdEf123_secret-token?x=1');
  await logged.close();
  const log = lines.join('');
  t.match(log, '/m/sign-in/[redacted]?x=1');
  t.notMatch(log, 'AbCdEf123_secret-token');
  t.equal(redactSignInToken('/m/networks/abc'), '/m/networks/abc', 'other URLs as they are');
});

t.test('language: Accept-Language, then the switch (a cookie; nothing in the URL)', async (t) => {
  const v = await signedIn(world.leaderIds[0]!, { 'accept-language': 'en-GB,en;q=0.9' });
  const en = await v.get('/m/me');
  t.match(en.body, '<html lang="en">');
  t.match(en.body, 'Who acted for me');
  const sw = await v.post('/m/language', { lang: 'da', back: '/m/me' });
  t.equal(sw.statusCode, 303);
  t.equal(sw.headers.location, '/m/me');
  t.match(String(sw.headers['set-cookie']), /sparring_lang=da/);
  const da = await v.get('/m/me');
  t.match(da.body, '<html lang="da">');
  t.match(da.body, 'Hvem har handlet for mig');
  const away = await v.post('/m/language', { lang: 'en', back: 'https://evil.example/' });
  t.equal(away.headers.location, '/m/', 'the switch only sends back to our own pages');
});

t.test('security headers: strict CSP, frame-ancestors from the tenant, no caching', async (t) => {
  const v = await signedIn(world.leaderIds[0]!);
  const res = await v.get('/m/');
  const csp = String(res.headers['content-security-policy']);
  t.equal(
    csp,
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  );
  t.equal(res.headers['x-frame-options'], 'DENY');
  t.equal(res.headers['cache-control'], 'no-store');
  const css = await v.get('/m/assets/member.css');
  t.equal(css.statusCode, 200);
  t.match(String(css.headers['content-type']), 'text/css');

  const bad = await api(app, auth).patch('/v1/tenant', {
    frameAncestors: ['http://hr.example.com', 'https://hr.example.com/path', "https://x.dk 'unsafe-inline'"],
  });
  t.equal(bad.statusCode, 400, 'only exact https origins');
  t.same(
    bad.json().issues.map((i: { path: string }) => i.path),
    ['frameAncestors[0]', 'frameAncestors[1]', 'frameAncestors[2]'],
  );
  const ok = await api(app, auth).patch('/v1/tenant', { frameAncestors: ['https://hr.example.com'] });
  t.equal(ok.statusCode, 200);
  t.same(ok.json().frameAncestors, ['https://hr.example.com']);
  const framed = await v.get('/m/');
  t.match(String(framed.headers['content-security-policy']), 'frame-ancestors https://hr.example.com');
  t.notOk(framed.headers['x-frame-options'], 'no contradicting X-Frame-Options');
  const signInPage = await new Visitor(app).get('/m/sign-in');
  t.match(
    String(signInPage.headers['content-security-policy']),
    "frame-ancestors 'none'",
    'without a session the tenant is unknown: no framing',
  );
  const graph = await gql(app, auth, '{ tenantSettings { frameAncestors } }');
  t.same(graph.body.data, { tenantSettings: { frameAncestors: ['https://hr.example.com'] } });
  const graphBad = await gql(
    app,
    auth,
    'mutation { updateTenantSettings(input: { frameAncestors: ["ftp://x"] }) { frameAncestors } }',
  );
  t.equal(graphBad.body.errors?.[0]?.extensions.code, 'validation_failed');
  await api(app, auth).patch('/v1/tenant', { frameAncestors: [] });
});

t.test('the charter: accept the waiting version (CSRF, PRG)', async (t) => {
  const v = await signedIn(world.leaderIds[0]!);
  const page = await v.get(`/m/networks/${world.networkId}`);
  t.equal(page.statusCode, 200);
  t.match(page.body, 'This version is waiting for your acceptance');
  t.match(page.body, 'Cancel at least 48 hours before the meeting.');
  const refused = await v.post(
    `/m/networks/${world.networkId}/charter/accept`,
    { version: '2' },
    { csrf: false },
  );
  t.equal(refused.statusCode, 403, 'no CSRF token, no acceptance');
  const accept = await v.post(`/m/networks/${world.networkId}/charter/accept`, { version: '2' });
  t.equal(accept.statusCode, 303);
  t.equal(accept.headers.location, `/m/networks/${world.networkId}?done=charter#charter`);
  const after = await v.get(`/m/networks/${world.networkId}?done=charter`);
  t.match(after.body, 'You have accepted the charter');
  t.notMatch(after.body, 'I accept the charter');
});

t.test('afbud: the confirm step says late or on time first; it can be taken back', async (t) => {
  const v = await signedIn(world.leaderIds[2]!);
  const late = await v.get(`/m/meetings/${world.lateMeetingId}/afbud`);
  t.equal(late.statusCode, 200);
  t.match(late.body, 'Your cancellation is late');
  const onTime = await v.get(`/m/meetings/${world.onTimeMeetingId}/afbud`);
  t.match(onTime.body, 'Your cancellation is in time');
  const give = await v.post(`/m/meetings/${world.onTimeMeetingId}/afbud`, {});
  t.equal(give.statusCode, 303);
  const network = await v.get(String(give.headers.location).split('#')[0]!);
  t.match(network.body, 'Your cancellation is recorded.');
  t.match(network.body, 'You have cancelled');
  t.match(network.body, 'I will come after all');
  const back = await v.post(`/m/meetings/${world.onTimeMeetingId}/confirm`, {});
  t.equal(back.statusCode, 303);
  t.match((await v.get(`/m/networks/${world.networkId}`)).body, 'You are coming');
});

t.test('evaluation: errors next to the fields, then saved and shown on Mine', async (t) => {
  const v = await signedIn(world.leaderIds[0]!);
  const meeting = world.heldMeetingIds[2]!;
  const overview = await v.get('/m/');
  t.match(overview.body, `/m/meetings/${meeting}/evaluation`, 'the overview says an evaluation waits');
  const form = await v.get(`/m/meetings/${meeting}/evaluation`);
  t.equal(form.statusCode, 200);
  t.match(form.body, /<fieldset>\s*<legend>How much did you get out of the meeting\?<\/legend>/);
  t.match(form.body, 'You can answer and edit until');
  const missing = await v.post(`/m/meetings/${meeting}/evaluation`, {
    benefit: '4',
    energy: '9',
    comment: 'x',
  });
  t.equal(missing.statusCode, 400);
  t.match(missing.body, /<fieldset class="invalid" aria-describedby="purposeFit-error">/);
  t.match(missing.body, /<p class="error" id="purposeFit-error">Choose an answer.<\/p>/);
  t.match(missing.body, /name="benefit" value="4" required checked/, 'given answers are kept');
  const outOfScale = await v.post(`/m/meetings/${meeting}/evaluation`, {
    benefit: '4',
    energy: '9',
    purposeFit: '4',
    relations: '5',
    giveGet: '1',
  });
  t.equal(outOfScale.statusCode, 400);
  t.match(
    outOfScale.body,
    /<p class="error" id="energy-error">/,
    "the domain's refusal of 9, next to its field",
  );
  const ok = await v.post(`/m/meetings/${meeting}/evaluation`, {
    benefit: '4',
    energy: '5',
    purposeFit: '4',
    relations: '5',
    giveGet: '1',
    comment: 'Good <b>evening</b>',
  });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, `/m/meetings/${meeting}/evaluation?saved=1`);
  const saved = await v.get(ok.headers.location as string);
  t.match(saved.body, 'Your answers are saved');
  t.match(saved.body, 'Good &lt;b&gt;evening&lt;/b&gt;', 'text is escaped');
  const mine = await v.get('/m/me');
  t.match(mine.body, 'Good &lt;b&gt;evening&lt;/b&gt;');
  t.match(
    mine.body,
    `href="/m/meetings/${meeting}/evaluation">Edit your answers</a>`,
    'editable while the window is open',
  );
  t.match(mine.body, 'My own note');
  t.notMatch(mine.body, SECRET_COMMENT, "another member's comment never shows");
});

t.test('who acted for me: a token an admin minted, and what was done with it', async (t) => {
  const token = await memberToken(app, auth, world.leaderIds[3]!);
  const res = await api(app, token).post(`/v1/meetings/${world.onTimeMeetingId}/attendance/me`, {
    status: 'confirmed',
  });
  t.ok(res.statusCode < 300, `the token acts (${res.statusCode})`);
  const v = await signedIn(world.leaderIds[3]!);
  const mine = await v.get('/m/me');
  t.match(mine.body, 'Who acted for me');
  t.match(
    mine.body,
    /Confirmed or cancelled attendance for you <code class="muted">POST \/v1\/meetings\/:id\/attendance\/me<\/code>/,
    'the action is listed in words, with its technical name',
  );
  t.notMatch(mine.body, 'Nobody has acted for you.');
});

t.test("another member's data is never shown; foreign ids are not found", async (t) => {
  const v = await signedIn(world.leaderIds[0]!);
  for (const url of [
    '/m/',
    '/m/me',
    `/m/networks/${world.networkId}`,
    `/m/networks/${world.networkId}/health`,
  ]) {
    const res = await v.get(url);
    t.equal(res.statusCode, 200, url);
    t.notMatch(res.body, SECRET_COMMENT, `${url}: no other member's comment`);
    t.notMatch(res.body, world.otherEmail, `${url}: no other member's address`);
  }
  for (const url of [
    `/m/networks/${world.foreignNetworkId}`,
    `/m/networks/${world.foreignNetworkId}/health`,
    '/m/networks/not-a-uuid',
    `/m/meetings/${world.foreignNetworkId}/evaluation`,
    '/m/nothing-here',
  ]) {
    const res = await v.get(url);
    t.equal(res.statusCode, 404, `${url}: not found`);
    t.match(res.body, 'Page not found');
  }
  const foreignAccept = await v.post(`/m/networks/${world.foreignNetworkId}/charter/accept`, {
    version: '1',
  });
  t.equal(foreignAccept.statusCode, 404, 'a form against a foreign network: not found');
});

t.test('consent: saved per network; bad or foreign input is a 4xx page, never a 500', async (t) => {
  const v = await signedIn(world.leaderIds[4]!);
  await v.get('/m/me');
  const on = await v.post('/m/me/consent', { network: world.networkId, share: 'yes' });
  t.equal(on.statusCode, 303);
  t.equal(on.headers.location, '/m/me?done=consent');
  const page = await v.get('/m/me?done=consent');
  t.match(page.body, 'Your choice is saved.');
  t.match(page.body, /name="share" value="yes" checked/);
  const foreign = await v.post('/m/me/consent', { network: world.foreignNetworkId, share: 'yes' });
  t.equal(foreign.statusCode, 404, 'a network I am not in');

  // Every form, with what a confused or hostile client might send.
  const meeting = world.heldMeetingIds[2]!;
  const forms = [
    '/m/sign-in',
    '/m/language',
    '/m/me/consent',
    `/m/networks/${world.networkId}/charter/accept`,
    `/m/meetings/${world.onTimeMeetingId}/afbud`,
    `/m/meetings/${world.onTimeMeetingId}/confirm`,
    `/m/meetings/${meeting}/evaluation`,
    '/m/networks/x/charter/accept',
    '/m/meetings/00000000-0000-7000-8000-000000000000/confirm',
  ];
  const bodies: Record<string, string>[] = [
    {},
    { email: 'x'.repeat(5000), version: '-1', network: 'nope', share: 'maybe', lang: 'fr', back: '//evil' },
    { benefit: '1.5', energy: 'NaN', purposeFit: '', relations: '1e9', giveGet: '-3', comment: '\u0000' },
    { email: 'a@b.dk\r\nBcc: x@y.dk', version: '99', network: world.networkId, share: 'no' },
  ];
  for (const url of forms)
    for (const body of bodies) {
      const res = await v.post(url, body);
      t.ok(res.statusCode < 500, `${url} ${JSON.stringify(body).slice(0, 40)}: ${res.statusCode}`);
    }
  const json = await api(app).post('/m/sign-in', '{"email": [1, {"a": 2}]}', {
    headers: { 'content-type': 'application/json' },
  });
  t.ok(json.statusCode >= 400 && json.statusCode < 500, `a JSON body: ${json.statusCode}`);
});

t.test('the overview runs a bounded number of queries (1 and 3 networks)', async (t) => {
  const other = await ctx.tenant('Bounded HR');
  const one = await seedNetwork(app, other.tenantId, other.auth, { members: 3, held: 2, planned: true });
  const leaderId = one.leaderIds[0]!;
  const count = async () => {
    const { cookieValue } = await createMemberSession(app.db, other.tenantId, leaderId, new Date());
    const before = app.database.queries.count;
    const res = await api(app).get('/m/', { headers: { cookie: `sparring_session=${cookieValue}` } });
    t.equal(res.statusCode, 200);
    return app.database.queries.count - before;
  };
  const withOne = await count();
  // Two more networks with the same leader in them.
  for (let i = 0; i < 2; i++) {
    const s = await seedNetwork(app, other.tenantId, other.auth, { members: 3, held: 2, planned: true });
    await app.db
      .insertInto('network_members')
      .values({
        tenant_id: other.tenantId,
        network_id: s.networkId,
        leader_id: leaderId,
        joined_at: new Date('2020-01-01'),
        left_at: null,
        signal_consent: false,
      })
      .execute();
  }
  const withThree = await count();
  t.equal(withThree, withOne, `the same queries for 1 and 3 networks (${withOne})`);
  // 13: the overview's 12, and the member's own calendar feed (docs/calendar-feeds.md).
  t.ok(withOne <= 13, `a small bound (${withOne})`);
});
