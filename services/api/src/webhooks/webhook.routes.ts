/** REST routes for webhooks: /v1/webhook-endpoints and /v1/webhook-deliveries (admin key only). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminOf } from '../auth/request.js';
import type { Config } from '../config.js';
import { checkIfMatch, etagOf } from '../http/etag.js';
import { PageQuery, pageQuery } from '../http/pagination.js';
import { COMMON_PROBLEMS, NoBody, problemResponses } from '../http/schemas.js';
import {
  CreateWebhookEndpointBody,
  IdParams,
  PatchWebhookEndpointBody,
  WebhookDeliveryPage,
  WebhookDeliverySchema,
  WebhookDeliveryWithAttemptsSchema,
  WebhookEndpointPage,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
} from './webhook.schema.js';
import {
  createWebhookEndpoint,
  DELIVERY_STATUSES,
  disableWebhookEndpoint,
  enableWebhookEndpoint,
  getWebhookDelivery,
  getWebhookEndpoint,
  listWebhookDeliveriesPage,
  listWebhookEndpointsPage,
  redeliverWebhook,
  removeWebhookEndpoint,
  rotateWebhookSecret,
  toAttemptResource,
  toDeliveryResource,
  toEndpointResource,
  updateWebhookEndpoint,
} from './webhook.service.js';

const tags = ['webhooks'];
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String()) });

const webhookRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const policy = { allowPrivate: config.webhookAllowPrivate };

  app.post(
    '/v1/webhook-endpoints',
    {
      config: { auth: 'admin', responseHeaders: { 201: ['location', 'etag'] } },
      schema: {
        tags,
        summary: 'Create a webhook endpoint',
        description:
          'The response carries the signing secret (`whsec_…`) this once. Webhooks are signed as the Standard ' +
          'Webhooks specification says (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see docs/webhooks.md.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) }),
        body: CreateWebhookEndpointBody,
        response: { 201: WebhookEndpointWithSecretSchema, ...problemResponses(...COMMON_PROBLEMS, 409, 422) },
      },
    },
    async (request, reply) => {
      const { endpoint, secret } = await createWebhookEndpoint(
        app.db,
        adminOf(request),
        request.body,
        policy,
      );
      return reply
        .code(201)
        .header('location', `/v1/webhook-endpoints/${endpoint.id}`)
        .header('etag', etagOf(endpoint.version))
        .header('cache-control', 'no-store')
        .send({ ...toEndpointResource(endpoint), secret });
    },
  );

  app.get(
    '/v1/webhook-endpoints',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'List webhook endpoints (cursor pagination, creation order)',
        querystring: PageQuery,
        response: { 200: WebhookEndpointPage, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request) => {
      const page = await listWebhookEndpointsPage(app.db, adminOf(request), {
        ...pageQuery(request.query),
      });
      return { data: page.items.map(toEndpointResource), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/webhook-endpoints/:id',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Read a webhook endpoint',
        params: IdParams,
        response: { 200: WebhookEndpointSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request, reply) => {
      const endpoint = await getWebhookEndpoint(app.db, adminOf(request), request.params.id);
      return reply.header('etag', etagOf(endpoint.version)).send(toEndpointResource(endpoint));
    },
  );

  app.patch(
    '/v1/webhook-endpoints/:id',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Update a webhook endpoint (url, eventTypes, description)',
        description:
          'Absent fields keep their value. Send `If-Match` with the ETag you read (412 if it changed).',
        params: IdParams,
        headers: IfMatch,
        body: PatchWebhookEndpointBody,
        response: { 200: WebhookEndpointSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 412) },
      },
    },
    async (request, reply) => {
      const endpoint = await updateWebhookEndpoint(
        app.db,
        adminOf(request),
        request.params.id,
        request.body,
        policy,
        (version) => checkIfMatch(request, version),
      );
      return reply.header('etag', etagOf(endpoint.version)).send(toEndpointResource(endpoint));
    },
  );

  for (const [action, run, summary] of [
    ['disable', disableWebhookEndpoint, 'Disable a webhook endpoint (nothing is sent until it is enabled)'],
    ['enable', enableWebhookEndpoint, 'Enable a webhook endpoint (queued deliveries resume)'],
  ] as const) {
    app.post(
      `/v1/webhook-endpoints/:id/${action}`,
      {
        config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
        schema: {
          tags,
          summary,
          params: IdParams,
          headers: IfMatch,
          body: NoBody,
          response: { 200: WebhookEndpointSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 412) },
        },
      },
      async (request, reply) => {
        const endpoint = await run(app.db, adminOf(request), request.params.id, (version) =>
          checkIfMatch(request, version),
        );
        return reply.header('etag', etagOf(endpoint.version)).send(toEndpointResource(endpoint));
      },
    );
  }

  app.post(
    '/v1/webhook-endpoints/:id/rotate-secret',
    {
      config: { auth: 'admin', responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Rotate the signing secret',
        description:
          'Returns the new secret this once. For 24 h both the new and the previous secret sign every webhook ' +
          '(two signatures in `webhook-signature`, space-separated), so the receiver can switch without a gap.',
        params: IdParams,
        headers: IfMatch,
        body: NoBody,
        response: { 200: WebhookEndpointWithSecretSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 412) },
      },
    },
    async (request, reply) => {
      const { endpoint, secret } = await rotateWebhookSecret(
        app.db,
        adminOf(request),
        request.params.id,
        new Date(),
        (version) => checkIfMatch(request, version),
      );
      return reply
        .header('etag', etagOf(endpoint.version))
        .header('cache-control', 'no-store')
        .send({ ...toEndpointResource(endpoint), secret });
    },
  );

  app.delete(
    '/v1/webhook-endpoints/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Delete a webhook endpoint (and its delivery log)',
        params: IdParams,
        response: {
          204: Type.Null({ description: 'Deleted' }),
          ...problemResponses(...COMMON_PROBLEMS, 404),
        },
      },
    },
    async (request, reply) => {
      await removeWebhookEndpoint(app.db, adminOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/webhook-endpoints/:id/deliveries',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: "An endpoint's deliveries, newest first",
        params: IdParams,
        querystring: Type.Object(
          { ...PageQuery.properties, status: Type.Optional(Type.Enum([...DELIVERY_STATUSES])) },
          { additionalProperties: false },
        ),
        response: { 200: WebhookDeliveryPage, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => {
      const page = await listWebhookDeliveriesPage(app.db, adminOf(request), request.params.id, {
        ...pageQuery(request.query),
        status: request.query.status,
      });
      return { data: page.items.map((d) => toDeliveryResource(d)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/webhook-deliveries/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'A delivery with its attempt log (status, latency, response code, error per attempt)',
        params: IdParams,
        response: { 200: WebhookDeliveryWithAttemptsSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => {
      const { delivery, attempts } = await getWebhookDelivery(app.db, adminOf(request), request.params.id);
      return { ...toDeliveryResource(delivery), attempts: attempts.map(toAttemptResource) };
    },
  );

  app.post(
    '/v1/webhook-deliveries/:id/redeliver',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Send a delivery again (one more attempt, within about a second)',
        params: IdParams,
        body: NoBody,
        response: { 202: WebhookDeliverySchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409) },
      },
    },
    async (request, reply) => {
      const delivery = await redeliverWebhook(app.db, adminOf(request), request.params.id, new Date());
      return reply.code(202).send(toDeliveryResource(delivery));
    },
  );
};

export default webhookRoutes;
