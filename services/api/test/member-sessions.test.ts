import { Writable } from 'node:stream';
import t from '@sparring/test-workers/tap';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { ParsedMail } from 'mailparser';
import type { Test } from 'tap';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createMailer } from '../src/mail/mailer.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../src/members/member-session.plugin.js';
import {
  createMemberSession,
  findSession,
  noticesForLeader,
  requestSignIn,
  revokeSessionsOfLeader,
  SESSION_TTL_DAYS,
  SIGN_IN_LIMITS,
  SIGN_IN_LINK_TTL_MINUTES,
  signInWithLink,
  signOut,
} from '../src/members/member-session.service.js';
import { createTenant } from '../src/tenants/tenant.repository.js';
import { api } from './helpers/api.js';
import { buildTestApp, gql, openTemplatePglite } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';
import { startSmtp } from './helpers/smtp.js';

const PUBLIC_URL = 'https://sparring.example.dk';
const LINK = /https:\/\/sparring\.example\.dk\/m\/sign-in\/([A-Za-z0-9_-]+)/;

const toOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text;
const tokenIn = (mail: ParsedMail) => LINK.exec(mail.text ?? '')?.[1] ?? '';

const smtp = await startSmtp(t);
const ctx = await buildTestApp(t, { SMTP_URL: smtp.url, SPARRING_PUBLIC_URL: PUBLIC_URL });
const { app } = ctx;

/** A tenant with one leader created through the API; returns its ids and address. */
async function leaderInNewTenant(overrides: Record<string, unknown> = {}) {
  const { tenantId, auth } = await ctx.tenant();
  const res = await api(app, auth).post('/v1/leaders', leaderBody(overrides));
  const leader = res.json() as { id: string; email: string; version: number };
  return { tenantId, auth, leaderId: leader.id, email: leader.email, version: leader.version };
}

/** An app of its own (PGlite on a copy of the migrated template, no SMTP), logging JSON lines into `lines`; not yet ready. */
async function ownApp(t: Test) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const config = loadConfig({
    SPARRING_DATA_DIR: 'memory://',
    LOG_LEVEL: 'info',
    SPARRING_PUBLIC_URL: PUBLIC_URL,
  });
  const database = await openTemplatePglite();
  const own = await buildApp(config, { database, logStream: stream });
  t.teardown(() => own.close());
  return Object.assign(own, { lines });
}

let ipCounter = 0;
/** A fresh requester address per test, so the per-IP limit of one test never touches another. */
const newIp = () => `192.0.2.${++ipCounter}`;

t.test('config: the mail and session variables are read and validated', async (t) => {
  const defaults = loadConfig({ PORT: '4000' });
  t.equal(defaults.smtpUrl, undefined);
  t.equal(defaults.mailFrom, 'Sparring <no-reply@sparring.local>');
  t.equal(defaults.publicUrl, 'http://127.0.0.1:4000');
  t.equal(defaults.secureCookies, false, 'plain http: no Secure cookie by default');
  t.equal(loadConfig({ HOST: '0.0.0.0', PORT: '80' }).publicUrl, 'http://127.0.0.1:80');
  const https = loadConfig({
    SPARRING_PUBLIC_URL: 'https://sparring.example.dk/',
    SMTP_URL: 'smtps://u:p@mail:465',
  });
  t.equal(https.publicUrl, 'https://sparring.example.dk', 'no trailing slash');
  t.equal(https.secureCookies, true, 'https: Secure cookies by default');
  t.equal(https.smtpUrl, 'smtps://u:p@mail:465');
  t.equal(
    loadConfig({ SPARRING_PUBLIC_URL: PUBLIC_URL, SPARRING_SECURE_COOKIES: 'false' }).secureCookies,
    false,
  );
  const bad: [Record<string, string>, RegExp][] = [
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL must be a URL/],
    [{ SPARRING_PUBLIC_URL: 'ftp://x' }, /SPARRING_PUBLIC_URL must be a URL/],
    [{ SPARRING_PUBLIC_URL: 'https://x/?a=1' }, /plain base URL/],
    [{ SPARRING_SECURE_COOKIES: 'yes' }, /SPARRING_SECURE_COOKIES must be true or false/],
    [{ SPARRING_MAIL_FROM: 'nobody' }, /SPARRING_MAIL_FROM/],
  ];
  for (const [env, message] of bad) t.throws(() => loadConfig(env), { name: 'ConfigError', message });
  t.throws(
    () => loadConfig({ SMTP_URL: 'ftp://user:s3cret@mail' }),
    { message: /^((?!s3cret).)*$/ },
    'no password in the message',
  );
});

t.test(
  'a sign-in link is mailed, opens a session once, and the session is found until signed out',
  async (t) => {
    const { tenantId, leaderId, email } = await leaderInNewTenant({ languages: ['en'] });
    const before = smtp.received.length;
    const now = new Date();
    await requestSignIn(
      app.db,
      app.mailer,
      { email: email.toUpperCase(), ip: newIp(), lang: 'en' },
      now,
      PUBLIC_URL,
    );
    const mail = (await smtp.waitFor(before + 1))[before]!;
    t.equal(toOf(mail), email, 'sent to the address on file');
    t.equal(mail.subject, 'Your sign-in link to Sparring');
    t.match(mail.from?.text, 'no-reply@sparring.local');
    t.match(mail.text, `${SIGN_IN_LINK_TTL_MINUTES} minutes`);
    const token = tokenIn(mail);
    t.equal(token.length, 43, 'a 32-byte token');

    const [first, second] = await Promise.all([
      signInWithLink(app.db, token, new Date(now.getTime() + 60_000)),
      signInWithLink(app.db, token, new Date(now.getTime() + 60_000)),
    ]);
    const outcomes = [first, second].sort((a) => (a.ok ? -1 : 1));
    t.match(outcomes, [{ ok: true }, { ok: false, reason: 'used' }], 'two concurrent uses: one session');
    const opened = outcomes[0]!;
    if (!opened.ok) throw new Error('no session');
    t.same(opened.session, {
      kind: 'member',
      via: 'session',
      tenantId,
      leaderId,
      sessionId: opened.session.sessionId,
    });
    t.equal(opened.expiresAt.getTime(), now.getTime() + 60_000 + SESSION_TTL_DAYS * 86_400_000);
    t.match(
      await signInWithLink(app.db, token, new Date()),
      { ok: false, reason: 'used' },
      'used again later',
    );

    t.same(
      await findSession(app.db, opened.cookieValue, new Date()),
      opened.session,
      'the cookie finds the session',
    );
    t.equal(
      await findSession(app.db, `${opened.cookieValue}x`, new Date()),
      undefined,
      'any other value does not',
    );
    t.equal(await findSession(app.db, '', new Date()), undefined);
    t.equal(await findSession(app.db, opened.cookieValue, opened.expiresAt), undefined, 'not at its expiry');
    t.equal(await signOut(app.db, opened.session), true);
    t.equal(await findSession(app.db, opened.cookieValue, new Date()), undefined, 'signed out: gone');
    t.equal(await signOut(app.db, opened.session), false, 'signing out twice changes nothing');
  },
);

t.test('last_seen_at is written at most once a minute', async (t) => {
  const { tenantId, leaderId } = await leaderInNewTenant();
  const start = new Date();
  const { cookieValue, session } = await createMemberSession(app.db, tenantId, leaderId, start);
  const lastSeen = async () =>
    (
      await app.db
        .selectFrom('member_sessions')
        .select('last_seen_at')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', session.sessionId)
        .executeTakeFirstOrThrow()
    ).last_seen_at.getTime();
  await findSession(app.db, cookieValue, new Date(start.getTime() + 30_000));
  t.equal(await lastSeen(), start.getTime(), 'not within the minute');
  await findSession(app.db, cookieValue, new Date(start.getTime() + 90_000));
  t.equal(await lastSeen(), start.getTime() + 90_000, 'after a minute');
});

t.test(
  'a mail the SMTP server refuses: the send rejects and the failure is logged without the address',
  async (t) => {
    const errors: unknown[][] = [];
    const log = {
      error: (...args: unknown[]) => errors.push(args),
      info: () => {},
    } as unknown as FastifyBaseLogger;
    const closed = createMailer(
      { smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'Sparring <no-reply@sparring.local>' },
      log,
    );
    await t.rejects(closed.send({ to: 'someone@example.dk', subject: 'Hello', text: 'x' }));
    await closed.close();
    t.equal(errors.length, 1);
    t.match(errors[0], [{ mail: { toDomain: 'example.dk', subject: 'Hello' } }, 'mail not sent']);
    t.notMatch(JSON.stringify(errors[0]?.[0]), 'someone@', 'the address is not logged');
  },
);

t.test('an unknown address and an unknown token: nothing is sent, the answer is the same', async (t) => {
  const before = smtp.received.length;
  const result = await requestSignIn(
    app.db,
    app.mailer,
    { email: 'nobody@example.dk', ip: newIp(), lang: 'da' },
    new Date(),
    PUBLIC_URL,
  );
  t.equal(result, undefined, 'resolves void');
  // A known address requested after it: the next mail to arrive is that one, so none went before it.
  const { email } = await leaderInNewTenant();
  await requestSignIn(app.db, app.mailer, { email, ip: newIp(), lang: 'da' }, new Date(), PUBLIC_URL);
  const mails = await smtp.waitFor(before + 1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(smtp.received.length, before + 1, 'exactly one mail');
  t.equal(toOf(mails[before]!), email);
  t.equal(mails[before]!.subject, 'Dit login til Sparring', 'in the language asked for');
  t.match(await signInWithLink(app.db, 'no-such-token', new Date()), { ok: false, reason: 'unknown' });
  t.match(await signInWithLink(app.db, 'x'.repeat(5000), new Date()), { ok: false, reason: 'unknown' });
});

t.test('an expired link is refused as expired', async (t) => {
  const { email } = await leaderInNewTenant();
  const before = smtp.received.length;
  const now = new Date();
  await requestSignIn(app.db, app.mailer, { email, ip: newIp(), lang: 'da' }, now, PUBLIC_URL);
  const token = tokenIn((await smtp.waitFor(before + 1))[before]!);
  const later = new Date(now.getTime() + SIGN_IN_LINK_TTL_MINUTES * 60_000);
  t.match(await signInWithLink(app.db, token, later), { ok: false, reason: 'expired' });
});

t.test('the per-address limit stops mails after the limit; the per-IP limit across addresses', async (t) => {
  const { email } = await leaderInNewTenant();
  const ip = newIp();
  const before = smtp.received.length;
  const now = new Date();
  for (let i = 0; i < SIGN_IN_LIMITS.perAddress + 2; i++) {
    await requestSignIn(app.db, app.mailer, { email, ip, lang: 'da' }, now, PUBLIC_URL);
  }
  await smtp.waitFor(before + SIGN_IN_LIMITS.perAddress);
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(
    smtp.received.length - before,
    SIGN_IN_LIMITS.perAddress,
    `${SIGN_IN_LIMITS.perAddress} mails, no more`,
  );
  const afterWindow = new Date(now.getTime() + SIGN_IN_LIMITS.windowMinutes * 60_000 + 1000);
  await requestSignIn(app.db, app.mailer, { email, ip: newIp(), lang: 'da' }, afterWindow, PUBLIC_URL);
  await smtp.waitFor(before + SIGN_IN_LIMITS.perAddress + 1);
  t.pass('a new window allows a new link');

  const sharedIp = newIp();
  const start = smtp.received.length;
  for (let i = 0; i < SIGN_IN_LIMITS.perIp + 2; i++) {
    const leader = await leaderInNewTenant();
    await requestSignIn(
      app.db,
      app.mailer,
      { email: leader.email, ip: sharedIp, lang: 'da' },
      now,
      PUBLIC_URL,
    );
  }
  await smtp.waitFor(start + SIGN_IN_LIMITS.perIp);
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(
    smtp.received.length - start,
    SIGN_IN_LIMITS.perIp,
    `${SIGN_IN_LIMITS.perIp} links from one IP, no more`,
  );
});

t.test('the same address in two tenants gets a link for each, each opening its own session', async (t) => {
  const first = await leaderInNewTenant();
  const { tenantId, auth } = await ctx.tenant();
  const res = await api(app, auth).post('/v1/leaders', leaderBody({ email: first.email }));
  t.equal(res.statusCode, 201);
  const before = smtp.received.length;
  await requestSignIn(
    app.db,
    app.mailer,
    { email: first.email, ip: newIp(), lang: 'da' },
    new Date(),
    PUBLIC_URL,
  );
  const mails = (await smtp.waitFor(before + 2)).slice(before);
  const sessions = await Promise.all(mails.map((m) => signInWithLink(app.db, tokenIn(m), new Date())));
  t.same(
    sessions.map((s) => (s.ok ? s.session.tenantId : s.reason)).sort(),
    [first.tenantId, tenantId].sort(),
    'one session per tenant',
  );
});

t.test('revoking a leader ends their sessions and their unused links', async (t) => {
  const { tenantId, leaderId, email } = await leaderInNewTenant();
  const now = new Date();
  const session = await createMemberSession(app.db, tenantId, leaderId, now);
  const before = smtp.received.length;
  await requestSignIn(app.db, app.mailer, { email, ip: newIp(), lang: 'da' }, now, PUBLIC_URL);
  const token = tokenIn((await smtp.waitFor(before + 1))[before]!);
  t.equal(await revokeSessionsOfLeader(app.db, tenantId, leaderId, now), 1);
  t.equal(await findSession(app.db, session.cookieValue, now), undefined);
  t.match(await signInWithLink(app.db, token, new Date(now.getTime() + 1000)), {
    ok: false,
    reason: 'expired',
  });
});

t.test('the session cookie: httpOnly, SameSite=Lax, Path=/m, Secure when configured', async (t) => {
  const expiresAt = new Date('2026-12-16T08:00:00Z');
  t.same(sessionCookieOptions({ secureCookies: true }, expiresAt), {
    httpOnly: true,
    sameSite: 'lax',
    secure: true,
    path: '/m',
    expires: expiresAt,
  });
  t.equal(sessionCookieOptions({ secureCookies: false }, expiresAt).secure, false);
  t.equal(ctx.config.secureCookies, true, 'https public URL: Secure');
  t.equal(SESSION_COOKIE, 'sparring_session');
  const header = app.serializeCookie(SESSION_COOKIE, 'v', sessionCookieOptions(ctx.config, expiresAt));
  t.equal(
    header,
    'sparring_session=v; Path=/m; Expires=Wed, 16 Dec 2026 08:00:00 GMT; HttpOnly; Secure; SameSite=Lax',
  );
});

t.test(
  'the session is resolved from the cookie on /m/ pages only; the API never reads cookies',
  async (t) => {
    const own = await ownApp(t);
    const seen = (request: FastifyRequest) => ({ session: request.memberSession, cookies: request.cookies });
    own.get('/m/probe', async (request) => seen(request));
    own.get('/v1/probe', { config: { auth: 'public' } }, async (request) => seen(request));
    await own.ready();
    const { adminKey, tenant } = await createTenant(own.db, { name: 'Cookies' });
    const created = await api(own, { authorization: `Bearer ${adminKey}` }).post('/v1/leaders', leaderBody());
    const leaderId = (created.json() as { id: string }).id;
    const { cookieValue, session } = await createMemberSession(own.db, tenant.id, leaderId, new Date());
    const cookie = `${SESSION_COOKIE}=${cookieValue}; other=1`;

    const page = await api(own).get('/m/probe?x=1', { headers: { cookie } });
    t.same(page.json().session, session, 'a /m/ page has the session');
    const apiRead = await api(own).get('/v1/probe', { headers: { cookie } });
    t.same(
      apiRead.json(),
      { session: null, cookies: null },
      'the API neither parses nor resolves the cookie',
    );
    const none = await api(own).get('/m/probe', { headers: { cookie: `${SESSION_COOKIE}=forged` } });
    t.equal(none.json().session, null, 'a forged value is no session');
    await signOut(own.db, session);
    const after = await api(own).get('/m/probe', { headers: { cookie } });
    t.equal(after.json().session, null, 'signed out: no session');
  },
);

t.test('changing a leader email mails the old address and records a notice (REST and GraphQL)', async (t) => {
  const { tenantId, leaderId, email, auth, version } = await leaderInNewTenant({ languages: ['en', 'da'] });
  const newEmail = `moved.${Date.now()}@example.dk`;
  const stale = await createMemberSession(app.db, tenantId, leaderId, new Date());
  const before = smtp.received.length;
  await requestSignIn(app.db, app.mailer, { email, ip: newIp(), lang: 'da' }, new Date(), PUBLIC_URL);
  const unusedLink = tokenIn((await smtp.waitFor(before + 1))[before]!);

  const res = await api(app, auth).patch(
    `/v1/leaders/${leaderId}`,
    { email: newEmail },
    { headers: { 'if-match': `"${version}"` } },
  );
  t.equal(res.statusCode, 200, res.body);
  const notice = (await smtp.waitFor(before + 2))[before + 1]!;
  t.equal(toOf(notice), email, 'to the OLD address');
  t.equal(notice.subject, 'Din login-adresse i Sparring er ændret', 'in Danish: the leader speaks it');
  t.match(notice.text, newEmail);
  t.match(notice.text, /HR/);
  t.match(
    await signInWithLink(app.db, unusedLink, new Date()),
    { ok: false, reason: 'expired' },
    'old links die',
  );

  const mine = await findSession(app.db, stale.cookieValue, new Date());
  if (!mine) throw new Error('the session should still be live');
  t.match(await noticesForLeader(app.db, mine), [{ kind: 'email_changed', oldEmail: email, newEmail }]);

  // The same through GraphQL, and no notice when the address stays the same.
  const third = `third.${Date.now()}@example.dk`;
  const changed = await gql(
    app,
    auth,
    'mutation($id: ID!, $input: UpdateLeaderInput!) { updateLeader(id: $id, input: $input) { email } }',
    { id: leaderId, input: { email: third } },
  );
  t.same(changed.body.data, { updateLeader: { email: third } }, JSON.stringify(changed.body.errors));
  const second = (await smtp.waitFor(before + 3))[before + 2]!;
  t.equal(toOf(second), newEmail);
  await api(app, auth).patch(`/v1/leaders/${leaderId}`, { name: 'Same Address' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(smtp.received.length, before + 3, 'no mail when the address did not change');
  const notices = await noticesForLeader(app.db, mine);
  t.same(
    notices.map((n) => [n.oldEmail, n.newEmail]),
    [
      [newEmail, third],
      [email, newEmail],
    ],
    'newest first',
  );
});

t.test('without SMTP_URL the mail, link included, is written to the log', async (t) => {
  const logged = await ownApp(t);
  const { lines } = logged;
  await logged.ready();
  t.equal(logged.mailer.transport, 'log');
  t.ok(
    lines.some(
      (l) =>
        l.level === 40 &&
        l.mail_not_sent === 'no SMTP_URL' &&
        /sign-in links go to this log/.test(String(l.msg)),
    ),
    'a warning at start says where links go',
  );
  const { adminKey } = await createTenant(logged.db, { name: 'No SMTP' });
  const created = await api(logged, { authorization: `Bearer ${adminKey}` }).post(
    '/v1/leaders',
    leaderBody(),
  );
  const { email } = created.json() as { email: string };
  await requestSignIn(logged.db, logged.mailer, { email, ip: newIp(), lang: 'en' }, new Date(), PUBLIC_URL);
  const line = lines.find((l) => l.mail_not_sent === 'no SMTP_URL' && l.level === 30) as
    | { mail: { to: string; text: string } }
    | undefined;
  t.ok(line, 'the mail is in the log at info level');
  t.equal(line?.mail.to, email);
  const token = LINK.exec(line?.mail.text ?? '')?.[1] ?? '';
  t.match(await signInWithLink(logged.db, token, new Date()), { ok: true }, 'and the link in it works');
  t.notMatch(JSON.stringify(lines), adminKey, 'the admin key is not in the log');
});
