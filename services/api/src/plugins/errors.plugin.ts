/**
 * Every error leaves as an RFC 9457 `application/problem+json` document with a stable code.
 * Client errors keep their message; internal errors are logged in full and answered without
 * internals (no stack, no SQL, no message).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problem, toProblemDocument, toProblemError } from '../errors/problem.js';

/**
 * Answers with the problem document of any error: the error handler, and Fastify's
 * `frameworkErrors` (a URL that cannot be decoded or a path parameter over the router's limit is
 * refused before any route, so before the error handler).
 */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const coded = toProblemError(error);
  if (coded.statusCode >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: coded.code, status: coded.statusCode }, 'request refused');
  return reply
    .code(coded.statusCode)
    .type('application/problem+json')
    .send(toProblemDocument(coded, request.url, request.id));
}

export default fp(
  async (app) => {
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
