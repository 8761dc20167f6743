/**
 * The sign-in link carries its single-use token in the path (`/m/sign-in/<token>`: a link in a mail
 * has nowhere else to carry it). The service's request log writes every URL, so the token is cut
 * out before it is logged: whoever reads the log must not be able to sign in as the member.
 */
import type { FastifyRequest } from 'fastify';

/**
 * The URL with a sign-in token replaced by `[redacted]`; a calendar feed's token too (its address
 * `/calendar/<token>.ics` is the feed's only credential: docs/calendar-feeds.md).
 */
export const redactSignInToken = (url: string): string =>
  url
    .replace(/^\/m\/sign-in\/[^/?#]+/, '/m/sign-in/[redacted]')
    .replace(/^\/calendar\/[^/?#]+/, '/calendar/[redacted]');

/** Fastify's own request serializer (method, url, host, address), with the tokens cut out. */
export function requestLogSerializer(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactSignInToken(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
