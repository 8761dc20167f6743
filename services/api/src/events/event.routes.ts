/** REST for the outbox: `GET /v1/events` (admin key only). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adminOf } from '../auth/request.js';
import { pageQuery } from '../http/pagination.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import { EventListQuery, EventPage } from './event.schema.js';
import { listEventsPage, toEventResource } from './event.service.js';

const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/events',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['events'],
        summary: 'Domain events of the tenant, oldest first (cursor pagination)',
        description:
          'What happened, as events recorded in the same transaction as the change (docs/events.md): ids and ' +
          'public facts only, never an answer, a count below k or a member’s private signal. An event appears once ' +
          'no transaction still open can commit one before it, so paging on with `nextCursor` (or the last ' +
          'event’s `cursor`) never skips one. Filter with `type` (repeat it or separate with commas). Kept for ' +
          'at least 30 days.',
        querystring: EventListQuery,
        response: { 200: EventPage, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request) => {
      const page = await listEventsPage(app.db, adminOf(request), {
        ...pageQuery(request.query),
        types: request.query.type,
      });
      return { data: page.items.map(toEventResource), nextCursor: page.nextCursor };
    },
  );
};

export default eventRoutes;
