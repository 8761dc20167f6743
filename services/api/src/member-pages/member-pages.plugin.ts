/**
 * The member's own door: server-rendered pages under /m/ in Danish and English, the only place a
 * leader reads their own private data (in the session they opened from the sign-in link the
 * service mailed them). Plain HTML forms with POST-redirect-GET (303): no JavaScript anywhere.
 *
 * Security, in this scope only (the API keeps its own headers and its JSON errors):
 * - a strict Content-Security-Policy: nothing but this origin's stylesheet, images from data:,
 *   forms to this origin; `frame-ancestors` from the tenant's `frameAncestors` setting, else 'none';
 * - CSRF on every form (@fastify/csrf-protection, its secret in an httpOnly SameSite=Strict cookie
 *   under /m; each form carries the token in a hidden field);
 * - `Cache-Control: no-store` (private pages stay out of shared and back-button caches);
 * - every id that is not the member's reads as "not found", like the API.
 * Form bodies are never logged (Fastify logs no bodies, and the handlers log nothing).
 */
import { readFileSync } from 'node:fs';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import { EMAIL_PATTERN, LEADER_LIMITS, type LocalizedText } from '@sparring/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { SessionMemberPrincipal } from '../auth/principal.js';
import { createOwnFeed, ownFeed, revokeOwnFeed } from '../calendar/calendar-feed.service.js';
import type { Config } from '../config.js';
import { ProblemError } from '../errors/problem.js';
import { submitEvaluation } from '../evaluations/evaluation.service.js';
import { respondToMeeting } from '../meetings/meeting.service.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../members/member-session.plugin.js';
import {
  checkSignInLink,
  requestSignIn,
  signInWithLink,
  signOut,
} from '../members/member-session.service.js';
import { acceptCharterVersion } from '../networks/charter.service.js';
import { setOwnSignalConsent } from '../networks/network.service.js';
import { frameAncestorsOf } from '../tenants/tenant-settings.service.js';
import type { SafeHtml } from './html.js';
import { chooseLanguage, LANG_COOKIE, type Lang, tr } from './i18n.js';
import type { PageContext } from './layout.js';
import {
  afbudPreview,
  evaluationForm,
  healthOverview,
  mineOverview,
  networkDetail,
  networksOverview,
} from './member-pages.service.js';
import { afbudPage } from './views/afbud.js';
import { calendarLinkPage, calendarSection } from './views/calendar.js';
import { notFoundPage, refusedPage } from './views/errors.js';
import { type EvaluationValues, evaluationPage, QUESTIONS } from './views/evaluation.js';
import type { FieldErrors } from './views/fields.js';
import { healthPage } from './views/health.js';
import { minePage } from './views/mine.js';
import { networkPage } from './views/network.js';
import { networksPage } from './views/networks.js';
import { confirmSignInPage, deadLinkPage, linkSentPage, signInPage } from './views/sign-in.js';

export interface MemberPagesOptions {
  readonly config: Config;
}

/** The CSRF secret's cookie (httpOnly, SameSite=Strict, Path=/m). */
export const CSRF_COOKIE = 'sparring_csrf';

const CSS = readFileSync(new URL('./assets/member.css', import.meta.url), 'utf8');

/**
 * The pages' policy: no script, no inline style, no plugin, nothing from elsewhere; forms post
 * here only; no <base>. `frame-ancestors` is the tenant's list or 'none'.
 */
export function contentSecurityPolicy(frameAncestors: readonly string[]): string {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'";
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/** Messages after a redirect, by the code in `?done=`. */
const DONE = {
  charter: 'charterAccepted',
  afbud: 'afbudGiven',
  confirmed: 'attendanceSaved',
  consent: 'consentSaved',
  calendar: 'calendarStopped',
} as const;

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
const hidden = { hide: true } as const;

/** A form field as one string (formbody gives an array for a repeated name: the first counts). */
function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** Where the language switch may send the member back to: a page of ours, nothing else. */
const safeBack = (path: string | undefined) =>
  path !== undefined && /^\/m(\/[A-Za-z0-9\-/]*)?$/.test(path) ? path : '/m/';

declare module 'fastify' {
  interface FastifyRequest {
    memberLang: Lang;
  }
}

export default async function memberPages(app: FastifyInstance, { config }: MemberPagesOptions) {
  await app.register(formbody);
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: {
      path: '/m',
      httpOnly: true,
      sameSite: 'strict',
      secure: config.secureCookies,
      signed: false,
    },
    getToken: (request) => field(request.body, '_csrf'),
  });
  app.decorateRequest('memberLang', 'en');

  app.addHook('onRequest', async (request) => {
    request.memberLang = chooseLanguage(request.cookies?.[LANG_COOKIE], request.headers['accept-language']);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const session = request.memberSession;
    const origins = session ? await frameAncestorsOf(app.db, session.tenantId) : [];
    reply.header('content-security-policy', contentSecurityPolicy(origins));
    // frame-ancestors decides framing; the legacy header must not contradict an allowed origin.
    if (origins.length > 0) reply.removeHeader('x-frame-options');
    else reply.header('x-frame-options', 'DENY');
    if (!request.url.startsWith('/m/assets/')) reply.header('cache-control', 'no-store');
    reply.header('vary', 'Cookie, Accept-Language');
    return payload;
  });

  const context = (request: FastifyRequest, reply: FastifyReply): PageContext => ({
    lang: request.memberLang,
    csrf: reply.generateCsrf(),
    path: request.url.split(/[?#]/, 1)[0]!,
    signedIn: request.memberSession !== null,
    leaderId: request.memberSession?.leaderId ?? null,
  });

  const send = (reply: FastifyReply, page: SafeHtml, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(page.value);

  /** The member's session, or a 303 to the sign-in page (and null). */
  const sessionOr = (request: FastifyRequest, reply: FastifyReply): SessionMemberPrincipal | null => {
    if (request.memberSession) return request.memberSession;
    void reply.redirect('/m/sign-in', 303);
    return null;
  };

  const doneText = (request: FastifyRequest) => {
    const done = (request.query as Record<string, unknown>)?.done;
    return typeof done === 'string' && Object.hasOwn(DONE, done)
      ? tr(request.memberLang, DONE[done as keyof typeof DONE])
      : null;
  };

  const messageOf = (error: ProblemError, lang: Lang) =>
    (error.extras.message as LocalizedText | undefined)?.[lang] ?? error.detail ?? error.message;

  app.setErrorHandler(async (error, request, reply) => {
    const ctx = context(request, reply);
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('FST_CSRF')) {
      return send(reply, refusedPage(ctx, tr(ctx.lang, 'formExpired'), safeBack(ctx.path)), 403);
    }
    if (error instanceof ProblemError) {
      // Another member's (or tenant's) id, or no id at all: "not found", never "forbidden".
      if (error.code === 'not_found' || error.code === 'validation_failed')
        return send(reply, notFoundPage(ctx), 404);
      if (error.statusCode < 500)
        return send(reply, refusedPage(ctx, messageOf(error, ctx.lang)), error.statusCode);
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 400 && status < 500) return send(reply, notFoundPage(ctx), status === 404 ? 404 : 400);
    request.log.error({ err: error }, 'member page failed');
    return send(reply, refusedPage(ctx, tr(ctx.lang, 'somethingWentWrong')), 500);
  });

  app.setNotFoundHandler(async (request, reply) => send(reply, notFoundPage(context(request, reply)), 404));

  app.get('/assets/member.css', { schema: hidden }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CSS),
  );

  // -- sign in and out --

  app.get('/sign-in', { schema: hidden }, async (request, reply) => {
    if (request.memberSession) return reply.redirect('/m/', 303);
    const signedOut = (request.query as Record<string, unknown>)?.['signed-out'] === '1';
    return send(reply, signInPage(context(request, reply), { signedOut }));
  });

  app.post('/sign-in', { schema: hidden, preHandler: app.csrfProtection }, async (request, reply) => {
    const email = (field(request.body, 'email') ?? '').trim();
    if (email.length === 0 || email.length > LEADER_LIMITS.emailMax || !EMAIL_PATTERN.test(email)) {
      const ctx = context(request, reply);
      return send(reply, signInPage(ctx, { email, errors: { email: tr(ctx.lang, 'emailInvalid') } }), 400);
    }
    await requestSignIn(
      app.db,
      app.mailer,
      { email, ip: request.ip, lang: request.memberLang },
      new Date(),
      config.publicUrl,
    );
    return reply.redirect('/m/link-sent', 303);
  });

  app.get('/link-sent', { schema: hidden }, async (request, reply) =>
    send(reply, linkSentPage(context(request, reply))),
  );

  // The link opens a page with one button; only its POST uses the link. Mail scanners that open
  // every link in a mail (common in companies) would otherwise use it up before the member does.
  app.get('/sign-in/:token', { schema: { ...hidden, params: TokenParams } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const ctx = context(request, reply);
    const check = await checkSignInLink(app.db, token, new Date());
    if (!check.ok)
      return send(reply, deadLinkPage(ctx, check.reason), check.reason === 'unknown' ? 404 : 410);
    // The page does not pass the token on: helmet's Referrer-Policy and the layout's meta say no-referrer.
    return send(reply, confirmSignInPage(ctx, `/m/sign-in/${token}`));
  });

  app.post(
    '/sign-in/:token',
    { schema: { ...hidden, params: TokenParams }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { token } = request.params as { token: string };
      const outcome = await signInWithLink(app.db, token, new Date());
      if (!outcome.ok) {
        // The page that explains, in the language of the browser (the session is not open).
        return send(
          reply,
          deadLinkPage(context(request, reply), outcome.reason),
          outcome.reason === 'unknown' ? 404 : 410,
        );
      }
      reply.setCookie(SESSION_COOKIE, outcome.cookieValue, sessionCookieOptions(config, outcome.expiresAt));
      // 303 to the overview: the token leaves the address bar (and the history entry).
      return reply.redirect('/m/', 303);
    },
  );

  app.post('/sign-out', { schema: hidden, preHandler: app.csrfProtection }, async (request, reply) => {
    if (request.memberSession) await signOut(app.db, request.memberSession);
    reply.clearCookie(SESSION_COOKIE, { path: '/m' });
    return reply.redirect('/m/sign-in?signed-out=1', 303);
  });

  app.post('/language', { schema: hidden, preHandler: app.csrfProtection }, async (request, reply) => {
    const lang = field(request.body, 'lang');
    const back = safeBack(field(request.body, 'back'));
    if (lang === 'da' || lang === 'en')
      reply.setCookie(LANG_COOKIE, lang, {
        path: '/m',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        maxAge: 365 * 24 * 3600,
      });
    return reply.redirect(back, 303);
  });

  // -- my networks, a network --

  app.get('/', { schema: hidden }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const overview = await networksOverview(app.db, session, new Date());
    const ctx = context(request, reply);
    const calendar = calendarSection(ctx, await ownFeed(app.db, session));
    return send(reply, networksPage(ctx, overview, doneText(request), calendar));
  });

  // -- the member's own calendar feed (docs/calendar-feeds.md): a new link shown once, or stopped --

  app.post('/calendar', { schema: hidden, preHandler: app.csrfProtection }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const feed = await createOwnFeed(app.db, session, request.memberLang, config.publicUrl, request.log);
    return send(reply, calendarLinkPage(context(request, reply), feed));
  });

  app.post('/calendar/stop', { schema: hidden, preHandler: app.csrfProtection }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    await revokeOwnFeed(app.db, session, request.log);
    return reply.redirect('/m/?done=calendar', 303);
  });

  app.get('/networks/:id', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const { id } = request.params as { id: string };
    const detail = await networkDetail(app.db, session, id, new Date());
    return send(reply, networkPage(context(request, reply), detail, doneText(request)));
  });

  app.post(
    '/networks/:id/charter/accept',
    { schema: { ...hidden, params: IdParams }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const session = sessionOr(request, reply);
      if (!session) return reply;
      const { id } = request.params as { id: string };
      const version = Number(field(request.body, 'version'));
      if (!Number.isInteger(version) || version < 1)
        return send(reply, notFoundPage(context(request, reply)), 404);
      await acceptCharterVersion(app.db, session, id, version);
      return reply.redirect(`/m/networks/${id}?done=charter#charter`, 303);
    },
  );

  app.get('/networks/:id/health', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const { id } = request.params as { id: string };
    return send(
      reply,
      healthPage(context(request, reply), await healthOverview(app.db, session, id, new Date())),
    );
  });

  // -- attendance: afbud (with its confirm step) and confirm --

  app.get('/meetings/:id/afbud', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const { id } = request.params as { id: string };
    return send(
      reply,
      afbudPage(context(request, reply), await afbudPreview(app.db, session, id, new Date())),
    );
  });

  for (const [path, status, done] of [
    ['/meetings/:id/afbud', 'cancelled', 'afbud'],
    ['/meetings/:id/confirm', 'confirmed', 'confirmed'],
  ] as const) {
    app.post(
      path,
      { schema: { ...hidden, params: IdParams }, preHandler: app.csrfProtection },
      async (request, reply) => {
        const session = sessionOr(request, reply);
        if (!session) return reply;
        const { id } = request.params as { id: string };
        const { network, meeting } = await respondToMeeting(app.db, session, id, status);
        return reply.redirect(`/m/networks/${network.id}?done=${done}#meeting-${meeting.id}`, 303);
      },
    );
  }

  // -- evaluation --

  app.get('/meetings/:id/evaluation', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const { id } = request.params as { id: string };
    const form = await evaluationForm(app.db, session, id);
    const saved = (request.query as Record<string, unknown>)?.saved === '1';
    return send(
      reply,
      evaluationPage(context(request, reply), {
        ...form,
        open: form.meeting.status === 'held' && Date.now() < form.closesAt.getTime(),
        values: form.mine ?? {},
        saved,
      }),
    );
  });

  app.post(
    '/meetings/:id/evaluation',
    { schema: { ...hidden, params: IdParams }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const session = sessionOr(request, reply);
      if (!session) return reply;
      const { id } = request.params as { id: string };
      const lang = request.memberLang;
      const values: EvaluationValues = {};
      const errors: Record<string, string> = {};
      for (const q of QUESTIONS) {
        const raw = field(request.body, q);
        const n = raw === undefined || raw === '' ? Number.NaN : Number(raw);
        if (Number.isInteger(n)) values[q] = n;
        else errors[q] = tr(lang, 'chooseAnswer');
      }
      const comment = field(request.body, 'comment') ?? '';
      values.comment = comment;
      const again = async (status: number, pageErrors: FieldErrors, refusal: string | null = null) => {
        const form = await evaluationForm(app.db, session, id);
        return send(
          reply,
          evaluationPage(context(request, reply), {
            ...form,
            open: true,
            values,
            errors: pageErrors,
            refusal,
          }),
          status,
        );
      };
      if (Object.keys(errors).length > 0) return again(400, errors);
      try {
        await submitEvaluation(
          app.db,
          session,
          id,
          { ...values, comment: comment.trim() === '' ? null : comment },
          new Date(),
        );
      } catch (error) {
        if (!(error instanceof ProblemError) || error.code === 'not_found') throw error;
        if (error.code === 'validation_failed') {
          const issues = error.extras.issues ?? [];
          const byField: Record<string, string> = {};
          for (const issue of issues) {
            const name = issue.path.split(/[.[]/, 1)[0] ?? '';
            const key =
              (QUESTIONS as readonly string[]).includes(name) || name === 'comment' ? name : 'comment';
            byField[key] ??= issue.message[lang];
          }
          return again(400, byField);
        }
        return again(error.statusCode, {}, messageOf(error, lang));
      }
      return reply.redirect(`/m/meetings/${id}/evaluation?saved=1`, 303);
    },
  );

  // -- mine --

  app.get('/me', { schema: hidden }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    return send(
      reply,
      minePage(context(request, reply), await mineOverview(app.db, session, new Date()), doneText(request)),
    );
  });

  app.post('/me/consent', { schema: hidden, preHandler: app.csrfProtection }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const networkId = field(request.body, 'network') ?? '';
    const share = field(request.body, 'share');
    if (share !== 'yes' && share !== 'no') return reply.redirect('/m/me', 303);
    await setOwnSignalConsent(app.db, session, networkId, share === 'yes');
    return reply.redirect('/m/me?done=consent', 303);
  });
}
