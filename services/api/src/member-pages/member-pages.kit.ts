/**
 * What every member page handler shares: reading a form field, the page context, sending a page,
 * the session-or-redirect step, the `?done=` message, the route schemas that hide the pages from
 * the API documents.
 */
import type { LocalizedText } from '@sparring/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { SessionMemberPrincipal } from '../auth/principal.js';
import type { ProblemError } from '../errors/problem.js';
import type { SafeHtml } from './html.js';
import { type Lang, tr } from './i18n.js';
import type { PageContext } from './layout.js';

/** Messages after a redirect, by the code in `?done=`. */
const DONE = {
  charter: 'charterAccepted',
  afbud: 'afbudGiven',
  confirmed: 'attendanceSaved',
  consent: 'consentSaved',
  calendar: 'calendarStopped',
} as const;

/** Route params and the schema flag that keeps the pages out of the API documents. */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
export const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
export const hidden = { hide: true } as const;

/** A form field as one string (formbody gives an array for a repeated name: the first counts). */
export function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** Where the language switch may send the member back to: a page of ours, nothing else. */
export const safeBack = (path: string | undefined) =>
  path !== undefined && /^\/m(\/[A-Za-z0-9\-/]*)?$/.test(path) ? path : '/m/';

/** The context every page renders with (language, CSRF token, path, who is signed in). */
export const context = (request: FastifyRequest, reply: FastifyReply): PageContext => ({
  lang: request.memberLang,
  csrf: reply.generateCsrf(),
  path: request.url.split(/[?#]/, 1)[0]!,
  signedIn: request.memberSession !== null,
  leaderId: request.memberSession?.leaderId ?? null,
});

/** Sends a rendered page as HTML with this status. */
export const send = (reply: FastifyReply, page: SafeHtml, status = 200) =>
  reply.code(status).type('text/html; charset=utf-8').send(page.value);

/** The member's session, or a 303 to the sign-in page (and null). */
export const sessionOr = (request: FastifyRequest, reply: FastifyReply): SessionMemberPrincipal | null => {
  if (request.memberSession) return request.memberSession;
  void reply.redirect('/m/sign-in', 303);
  return null;
};

/** The message for the `?done=` code of a redirect, or null. */
export const doneText = (request: FastifyRequest) => {
  const done = (request.query as Record<string, unknown>)?.done;
  return typeof done === 'string' && Object.hasOwn(DONE, done)
    ? tr(request.memberLang, DONE[done as keyof typeof DONE])
    : null;
};

/** A refusal's text in the member's language (the problem's localized message when it has one). */
export const messageOf = (error: ProblemError, lang: Lang) =>
  (error.extras.message as LocalizedText | undefined)?.[lang] ?? error.detail ?? error.message;
