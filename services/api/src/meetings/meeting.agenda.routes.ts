/**
 * REST routes for a meeting's agenda (add, read, remove items) and whose case is next. The
 * meetings plugin (meeting.routes.ts) registers them at their place in the document's order.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/request.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import {
  AgendaItemBody,
  AgendaItemSchema,
  AgendaList,
  MeetingIdParams,
  NetworkIdParams,
  NextCasesQuery,
  NextCasesSchema,
} from './meeting.schema.js';
import {
  addAgendaItem,
  deleteAgendaItem,
  listAgenda,
  nextCases,
  toAgendaItemResource,
} from './meeting.service.js';

/** The instance the meetings plugin registers its routes on. */
type App = Parameters<FastifyPluginAsyncTypebox>[0];

const tags = ['meetings'];
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) });

/** GET /v1/networks/:id/next-cases: whose case is next at the network's next planned meeting. */
export function registerNextCasesRoute(app: App) {
  app.get(
    '/v1/networks/:id/next-cases',
    {
      schema: {
        tags,
        summary: 'Whose case is next (the domain’s proposeNextCases)',
        description:
          'For the next planned meeting: members with the fewest own cases (dilemma items of held meetings) ' +
          'first, skipping members who cancelled for it; each proposal says why.',
        params: NetworkIdParams,
        querystring: NextCasesQuery,
        response: { 200: NextCasesSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => nextCases(app.db, principalOf(request), request.params.id, request.query.count),
  );
}

/** The agenda items of a meeting: add, read in order, remove. */
export function registerAgendaRoutes(app: App) {
  app.post(
    '/v1/meetings/:id/agenda-items',
    {
      schema: {
        tags,
        summary: 'Add an agenda item to a planned meeting',
        description:
          'A member (member token) adds their own item; the admin or the facilitator adds one for any active member. ' +
          'The domain’s parseAgenda checks the owner, the title and the limits (at most 12 items).',
        params: MeetingIdParams,
        headers: IdempotencyHeaders,
        body: AgendaItemBody,
        response: { 201: AgendaItemSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const item = await addAgendaItem(app.db, principalOf(request), request.params.id, {
        ...request.body,
        kind: String(request.body.kind),
      });
      return reply.code(201).send(toAgendaItemResource(item));
    },
  );

  app.get(
    '/v1/meetings/:id/agenda-items',
    {
      schema: {
        tags,
        summary: 'Read a meeting’s agenda (in order)',
        params: MeetingIdParams,
        response: { 200: AgendaList, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => ({
      data: (await listAgenda(app.db, principalOf(request), request.params.id)).map(toAgendaItemResource),
    }),
  );

  app.delete(
    '/v1/agenda-items/:id',
    {
      schema: {
        tags,
        summary: 'Remove an agenda item of a planned meeting (its owner, the admin or the facilitator)',
        params: MeetingIdParams,
        response: {
          204: Type.Null({ description: 'Removed' }),
          ...problemResponses(...COMMON_PROBLEMS, 404, 409),
        },
      },
    },
    async (request, reply) => {
      await deleteAgendaItem(app.db, principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
