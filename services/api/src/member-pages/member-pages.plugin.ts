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
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { ProblemError } from '../errors/problem.js';
import { frameAncestorsOf } from '../tenants/tenant-settings.service.js';
import { chooseLanguage, LANG_COOKIE, type Lang, tr } from './i18n.js';
import { context, field, hidden, messageOf, safeBack, send } from './member-pages.kit.js';
import { memberRoutes } from './member-pages.routes.js';
import { signInPages } from './member-pages.sign-in.js';
import { notFoundPage, refusedPage } from './views/errors.js';

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

  // The routes, in this scope: before a session (member-pages.sign-in.ts), then a member's own.
  signInPages(app, config);
  memberRoutes(app, config);
}
