/**
 * Calendar feeds over REST: an admin creates, lists and revokes the feeds of a network or a leader
 * under /v1; `GET /calendar/{token}.ics` serves a feed to calendar apps, which send no header (the
 * token in the path is the credential).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adminOf } from '../auth/request.js';
import { hashSecret } from '../auth/secret.js';
import type { Config } from '../config.js';
import { pageQuery } from '../http/pagination.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import { LeaderIdParams } from '../leaders/leader.schema.js';
import { NetworkIdParams } from '../networks/network.schema.js';
import {
  CalendarFeedPage,
  CalendarFeedSchema,
  CreateCalendarFeedBody,
  CreatedCalendarFeedSchema,
  FeedIdParams,
  FeedListQuery,
  FeedTokenParams,
  ICS_EXAMPLE,
} from './calendar-feed.schema.js';
import {
  createLeaderFeed,
  createNetworkFeed,
  getFeed,
  listFeeds,
  readFeed,
  revokeFeed,
} from './calendar-feed.service.js';

const tags = ['calendar feeds'];

/**
 * How long a client may reuse a fetched feed without asking again: 5 minutes, so a revoked or
 * changed feed is re-read soon after; `private`, because the document belongs to whoever holds
 * the secret URL and must not sit in a shared cache. Our choice (RFC 9111 §5.2.2).
 */
export const FEED_MAX_AGE_SECONDS = 300;

const CREATE_DESCRIPTION =
  'The answer carries the secret address of the feed (`url`, and `webcalUrl` to subscribe with one click) ONCE: ' +
  'only its hash is stored. Give it to the person who subscribes; anyone holding it reads the feed until it is ' +
  'revoked (DELETE /v1/calendar-feeds/{id}). Optional body: `language` (da, the default, or en) of the texts, ' +
  'and a `label` to recognise the feed in listings. See docs/calendar-feeds.md.';

const calendarFeedRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const publicUrl = config.publicUrl;

  const FEEDS_OF = {
    network: {
      params: NetworkIdParams,
      create: createNetworkFeed,
      summary: 'Create a calendar feed of a network (every meeting)',
    },
    leader: {
      params: LeaderIdParams,
      create: createLeaderFeed,
      summary: "Create a calendar feed of a leader (their networks' meetings while they are a member)",
    },
  } as const;

  for (const kind of ['network', 'leader'] as const) {
    const of = FEEDS_OF[kind];
    app.post(
      `/v1/${kind}s/:id/calendar-feeds`,
      {
        config: { auth: 'admin' },
        schema: {
          tags,
          summary: of.summary,
          description: CREATE_DESCRIPTION,
          params: of.params,
          body: CreateCalendarFeedBody,
          response: { 201: CreatedCalendarFeedSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await of.create(
              app.db,
              adminOf(request),
              request.params.id,
              request.body ?? {},
              publicUrl,
              request.log,
            ),
          ),
    );

    app.get(
      `/v1/${kind}s/:id/calendar-feeds`,
      {
        config: { auth: 'admin' },
        schema: {
          tags,
          summary: `List the live calendar feeds of a ${kind} (never their addresses)`,
          params: of.params,
          querystring: FeedListQuery,
          response: { 200: CalendarFeedPage, ...problemResponses(...COMMON_PROBLEMS, 404) },
        },
      },
      async (request) => {
        const page = await listFeeds(
          app.db,
          adminOf(request),
          { kind, id: request.params.id },
          pageQuery(request.query),
        );
        return { data: page.items, nextCursor: page.nextCursor };
      },
    );
  }

  app.get(
    '/v1/calendar-feeds/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Read a live calendar feed (never its address)',
        params: FeedIdParams,
        response: { 200: CalendarFeedSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => getFeed(app.db, adminOf(request), request.params.id),
  );

  app.delete(
    '/v1/calendar-feeds/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Revoke a calendar feed: its address answers 404 from now on',
        params: FeedIdParams,
        response: {
          204: { type: 'null', description: 'Revoked' },
          ...problemResponses(...COMMON_PROBLEMS, 404),
        },
      },
    },
    async (request, reply) => {
      await revokeFeed(app.db, adminOf(request), request.params.id, request.log);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/calendar/:token.ics',
    {
      config: {
        responseHeaders: { 200: ['etag'] },
        auth: 'public',
        // Calendar services fetch many feeds from few addresses: the limit is per feed, not per address.
        rateLimit: {
          keyGenerator: (request) => `calendar:${hashSecret((request.params as { token: string }).token)}`,
        },
      },
      schema: {
        tags,
        summary:
          'A calendar feed (iCalendar), for calendar apps: no Authorization header, the token is the key',
        description:
          'Answers `text/calendar` with an ETag (send If-None-Match for a 304) and `Cache-Control: private`. ' +
          'An unknown or revoked token is a 404 problem. Subscribe with the webcal:// form of the address.',
        security: [],
        params: FeedTokenParams,
        response: {
          200: {
            description: 'The feed (RFC 5545)',
            content: { 'text/calendar': { schema: { type: 'string', examples: [ICS_EXAMPLE] } } },
          },
          304: { type: 'null', description: 'Not modified (If-None-Match matched the ETag)' },
          ...problemResponses(400, 404, 429, 500),
        },
      },
    },
    async (request, reply) => {
      const { body, etag } = await readFeed(app.db, request.params.token);
      reply
        .header('etag', etag)
        .header('cache-control', `private, max-age=${FEED_MAX_AGE_SECONDS}`)
        // Never indexed, never sent on as a referrer: the address is a secret.
        .header('x-robots-tag', 'noindex')
        .header('referrer-policy', 'no-referrer');
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))
        return reply.code(304).send(null);
      return reply.type('text/calendar; charset=utf-8').send(body);
    },
  );
};

export default calendarFeedRoutes;
