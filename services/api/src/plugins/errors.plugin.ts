/**
 * Every error leaves as an RFC 9457 `application/problem+json` document with a stable code.
 * Client errors keep their message; internal errors are logged in full and answered without
 * internals (no stack, no SQL, no message).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ProblemError, problem, toProblemDocument, toProblemError } from '../errors/problem.js';
import { ProblemSchema } from '../http/schemas.js';

/**
 * Seconds a client should wait before retrying a 503 (RFC 9110 §10.2.3 `Retry-After`): a
 * PostgreSQL restart or failover takes seconds, so a retry soon is likely to succeed, and a
 * client that honours the header does not hammer a database on its way back.
 */
export const RETRY_AFTER_SECONDS = 5;

/** The headers a problem carries besides its body: `Retry-After` on `service_unavailable`. */
export function problemHeaders(coded: ProblemError): Record<string, string> {
  return coded.code === 'service_unavailable' ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
}

/**
 * Answers with the problem document of any error: the error handler, and Fastify's
 * `frameworkErrors` (a URL that cannot be decoded or a path parameter over the router's limit is
 * refused before any route, so before the error handler).
 */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const coded = toProblemError(error);
  // A database outage is expected to pass: a warning per request, not an error with a stack each,
  // and only the cause's code and message (pg-pool may hang the client, with its connection
  // parameters, on the error object).
  if (coded.code === 'service_unavailable') {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    request.log.warn({ cause: { code, message } }, 'request refused: service unavailable');
  } else if (coded.statusCode >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: coded.code, status: coded.statusCode }, 'request refused');
  return reply
    .code(coded.statusCode)
    .headers(problemHeaders(coded))
    .type('application/problem+json')
    .send(toProblemDocument(coded, request.url, request.id));
}

export default fp(
  async (app) => {
    app.addSchema(ProblemSchema);
    app.setErrorHandler(sendProblem);
    app.setNotFoundHandler((request, reply) =>
      reply
        .code(404)
        .type('application/problem+json')
        .send(
          toProblemDocument(
            problem('route_not_found', `${request.method} ${request.url}`),
            request.url,
            request.id,
          ),
        ),
    );
  },
  { name: 'errors', fastify: '5.x' },
);
