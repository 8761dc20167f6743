/**
 * Liveness, readiness (the database answers) and the problem-type documentation. Probes are not
 * rate limited: an orchestrator polling every few seconds must never be told 429, and a probe
 * costs at most one `select 1`. While the database is away readiness is a 503 with Retry-After
 * (the error handler adds it to every `service_unavailable`) and liveness stays 200: the process
 * is fine and recovers by itself, so it must not be restarted.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { PROBLEMS, type ProblemCode, problem } from '../errors/problem.js';
import { problemResponses } from '../http/schemas.js';

const operationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health/live',
    {
      config: { auth: 'public', rateLimit: false },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }, { examples: [{ status: 'ok' }] }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      config: { auth: 'public', rateLimit: false },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers',
        security: [],
        response: {
          200: Type.Object(
            { status: Type.Literal('ready'), database: Type.String() },
            { examples: [{ status: 'ready', database: 'postgres' }] },
          ),
          ...problemResponses(503),
        },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(app.db);
      } catch (error) {
        const { code, message } = error as { code?: unknown; message?: unknown };
        app.log.warn({ cause: { code, message } }, 'readiness check failed');
        throw problem('service_unavailable', 'The database does not answer');
      }
      return { status: 'ready' as const, database: app.database.engine };
    },
  );

  app.get(
    '/problems/:code',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'What a problem type means',
        security: [],
        params: Type.Object({ code: Type.String({ maxLength: 100 }) }),
        response: {
          200: Type.Object(
            { code: Type.String(), status: Type.Integer(), title: Type.String() },
            {
              examples: [
                {
                  code: 'lifecycle_refused',
                  status: PROBLEMS.lifecycle_refused.status,
                  title: PROBLEMS.lifecycle_refused.title,
                },
              ],
            },
          ),
          ...problemResponses(404),
        },
      },
    },
    async (request) => {
      const code = request.params.code as ProblemCode;
      if (!Object.hasOwn(PROBLEMS, code)) throw problem('not_found', 'No such problem type');
      return { code, ...PROBLEMS[code] };
    },
  );
};

export default operationsRoutes;
