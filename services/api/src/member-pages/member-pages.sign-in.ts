/** The pages before a session: sign in by mailed link, sign out, and the language switch. */
import { EMAIL_PATTERN, LEADER_LIMITS } from '@sparring/domain';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../members/member-session.plugin.js';
import {
  checkSignInLink,
  requestSignIn,
  signInWithLink,
  signOut,
} from '../members/member-session.service.js';
import { LANG_COOKIE, tr } from './i18n.js';
import { context, field, hidden, safeBack, send, TokenParams } from './member-pages.kit.js';
import { confirmSignInPage, deadLinkPage, linkSentPage, signInPage } from './views/sign-in.js';

/** Registers the sign-in, sign-out and language routes on the member pages' scope. */
export function signInPages(app: FastifyInstance, config: Config): void {
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
}
