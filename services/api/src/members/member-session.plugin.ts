/**
 * The member session on the member pages: registers @fastify/cookie and resolves
 * `request.memberSession` from the session cookie, for URLs under /m/ ONLY. The API (/v1,
 * /graphql) never reads a cookie: it authenticates by bearer credential alone, so a browser's
 * ambient cookie can never act on it (no CSRF surface there). Cookies are parsed for /m/ only too.
 *
 * The cookie holds a random 32-byte token stored hashed (member-session.service.ts); it needs no
 * signature, since a guessed or altered value matches no session.
 */
import cookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { SessionMemberPrincipal } from '../auth/principal.js';
import type { Config } from '../config.js';
import { findSession } from './member-session.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The member's own session on a /m/ page; null when there is none (and always null elsewhere). */
    memberSession: SessionMemberPrincipal | null;
  }
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'sparring_session';

/** Where the member pages live: the cookie is sent there and nowhere else. */
export const MEMBER_PAGES_PATH = '/m';

/** The session cookie's attributes, as `reply.setCookie` and `reply.clearCookie` take them. */
export interface SessionCookieOptions {
  readonly httpOnly: true;
  readonly sameSite: 'lax';
  readonly secure: boolean;
  readonly path: string;
  readonly expires: Date;
}

/**
 * The session cookie's attributes: httpOnly (no script reads it), SameSite=Lax (not sent on
 * cross-site POSTs, still sent when the member follows a link from their mail), Secure when the
 * service is reached over HTTPS (SPARRING_SECURE_COOKIES), Path=/m, and the session's expiry.
 */
export function sessionCookieOptions(
  config: Pick<Config, 'secureCookies'>,
  expiresAt: Date,
): SessionCookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: MEMBER_PAGES_PATH,
    expires: expiresAt,
  };
}

/** Whether a request is for the member pages (the path, without the query). */
export function isMemberPagesUrl(url: string): boolean {
  const path = url.split('?', 1)[0] as string;
  return path === MEMBER_PAGES_PATH || path.startsWith(`${MEMBER_PAGES_PATH}/`);
}

export default fp(
  async (app) => {
    // hook: false: cookies are parsed below, for the member pages only.
    await app.register(cookie, { hook: false });
    app.decorateRequest('memberSession', null);
    app.addHook('onRequest', async (request: FastifyRequest) => {
      if (!isMemberPagesUrl(request.url)) return;
      const header = request.headers.cookie;
      request.cookies = header ? app.parseCookie(header) : {};
      const value = request.cookies[SESSION_COOKIE];
      if (value) request.memberSession = (await findSession(app.db, value, new Date())) ?? null;
    });
  },
  { name: 'member-session', fastify: '5.x', dependencies: ['database'] },
);
