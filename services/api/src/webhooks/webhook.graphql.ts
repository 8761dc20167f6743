/** The webhook slice of the GraphQL schema: the same use cases and codes as REST (admin only). */

import { requireAdmin } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { jsonText, versionCheck } from '../graphql/kit.js';
import { enumSdl } from '../graphql/sdl.js';
import { pageSizeOf } from '../http/pagination.js';
import { attemptsOf } from './webhook.repository.js';
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

const typeDefs = /* GraphQL */ `
  "Where a delivery stands: pending (to be tried, or again), succeeded or failed."
  ${enumSdl('WebhookDeliveryStatus', DELIVERY_STATUSES)}

  "A receiver of the tenant's events (Standard Webhooks). The secret is never readable: it is shown once, on creation and rotation."
  type WebhookEndpoint {
    id: ID!
    url: String!
    description: String!
    "null: every event type."
    eventTypes: [String!]
    enabled: Boolean!
    disabledAt: String
    disabledReason: String
    "After a rotation: until when the previous secret still signs."
    previousSecretExpiresAt: String
    "The first failed attempt since the last success; the endpoint is disabled 5 days after it."
    failingSince: String
    version: Int!
    createdAt: String!
    updatedAt: String!
    "The endpoint's deliveries, newest first."
    deliveries(first: Int = 50, after: String, status: WebhookDeliveryStatus): WebhookDeliveryPage!
  }

  type WebhookEndpointPage {
    nodes: [WebhookEndpoint!]!
    nextCursor: String
  }

  "An endpoint with its signing secret (whsec_…), returned once."
  type WebhookEndpointSecret {
    endpoint: WebhookEndpoint!
    secret: String!
  }

  type WebhookDeliveryAttempt {
    attempt: Int!
    "scheduled or manual"
    trigger: String!
    startedAt: String!
    "Latency in ms (null: no outcome was recorded)."
    durationMs: Int
    "succeeded or failed"
    outcome: String!
    responseStatus: Int
    "The first 1 KiB of the response body."
    responseBody: String
    error: String
  }

  type WebhookDelivery {
    id: ID!
    endpointId: ID!
    "Also the webhook-id header."
    eventId: ID!
    eventType: String!
    status: WebhookDeliveryStatus!
    attemptCount: Int!
    nextAttemptAt: String
    lastAttemptAt: String
    deliveredAt: String
    createdAt: String!
    "The body sent, as JSON text: { type, timestamp, data }."
    payload: String!
    attempts: [WebhookDeliveryAttempt!]!
  }

  type WebhookDeliveryPage {
    nodes: [WebhookDelivery!]!
    nextCursor: String
  }

  input CreateWebhookEndpointInput {
    url: String!
    "Absent or null: every event type."
    eventTypes: [String!]
    description: String
  }

  input UpdateWebhookEndpointInput {
    url: String
    "null: every event type."
    eventTypes: [String!]
    description: String
  }

  extend type Query {
    webhookEndpoint(id: ID!): WebhookEndpoint!
    webhookEndpoints(first: Int = 50, after: String): WebhookEndpointPage!
    webhookDelivery(id: ID!): WebhookDelivery!
  }

  extend type Mutation {
    createWebhookEndpoint(input: CreateWebhookEndpointInput!): WebhookEndpointSecret!
    "Partial update. Pass ifVersion (the version you read) to refuse it if someone changed the endpoint since."
    updateWebhookEndpoint(id: ID!, input: UpdateWebhookEndpointInput!, ifVersion: Int): WebhookEndpoint!
    disableWebhookEndpoint(id: ID!, ifVersion: Int): WebhookEndpoint!
    enableWebhookEndpoint(id: ID!, ifVersion: Int): WebhookEndpoint!
    deleteWebhookEndpoint(id: ID!): Boolean!
    "A new secret (returned once); the previous one keeps signing for 24 h."
    rotateWebhookEndpointSecret(id: ID!, ifVersion: Int): WebhookEndpointSecret!
    "One more attempt of a delivery, within about a second."
    redeliverWebhookDelivery(id: ID!): WebhookDelivery!
  }
`;

/** The webhook module; the URL policy comes from the configuration. */
export function webhookModule(config: Config): GraphQLModule {
  const policy = { allowPrivate: config.webhookAllowPrivate };
  return {
    typeDefs,
    resolvers: {
      Query: {
        webhookEndpoint: async (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
          toEndpointResource(await getWebhookEndpoint(ctx.db, ctx.principal, args.id)),
        webhookEndpoints: async (
          _: unknown,
          args: { first: number; after?: string | null },
          ctx: GraphQLContext,
        ) => {
          const page = await listWebhookEndpointsPage(ctx.db, ctx.principal, {
            limit: pageSizeOf(args.first),
            cursor: args.after ?? undefined,
          });
          return { nodes: page.items.map(toEndpointResource), nextCursor: page.nextCursor };
        },
        webhookDelivery: async (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
          toDeliveryResource((await getWebhookDelivery(ctx.db, ctx.principal, args.id)).delivery),
      },
      // The delivery resource as REST sends it; its payload (JSON there) is text here.
      WebhookDelivery: {
        payload: (d: { payload: unknown }) => jsonText(d.payload),
      },
      WebhookEndpoint: {
        deliveries: async (
          endpoint: { id: string },
          args: { first: number; after?: string | null; status?: string | null },
          ctx: GraphQLContext,
        ) => {
          const page = await listWebhookDeliveriesPage(ctx.db, ctx.principal, endpoint.id, {
            limit: pageSizeOf(args.first),
            cursor: args.after ?? undefined,
            status: args.status ?? undefined,
          });
          return { nodes: page.items.map(toDeliveryResource), nextCursor: page.nextCursor };
        },
      },
      Mutation: {
        createWebhookEndpoint: async (
          _: unknown,
          args: { input: Record<string, unknown> },
          ctx: GraphQLContext,
        ) => {
          const { endpoint, secret } = await createWebhookEndpoint(ctx.db, ctx.principal, args.input, policy);
          return { endpoint: toEndpointResource(endpoint), secret };
        },
        updateWebhookEndpoint: async (
          _: unknown,
          args: { id: string; input: Record<string, unknown>; ifVersion?: number | null },
          ctx: GraphQLContext,
        ) =>
          toEndpointResource(
            await updateWebhookEndpoint(
              ctx.db,
              ctx.principal,
              args.id,
              args.input,
              policy,
              versionCheck(args.ifVersion),
            ),
          ),
        disableWebhookEndpoint: async (
          _: unknown,
          args: { id: string; ifVersion?: number | null },
          ctx: GraphQLContext,
        ) =>
          toEndpointResource(
            await disableWebhookEndpoint(ctx.db, ctx.principal, args.id, versionCheck(args.ifVersion)),
          ),
        enableWebhookEndpoint: async (
          _: unknown,
          args: { id: string; ifVersion?: number | null },
          ctx: GraphQLContext,
        ) =>
          toEndpointResource(
            await enableWebhookEndpoint(ctx.db, ctx.principal, args.id, versionCheck(args.ifVersion)),
          ),
        deleteWebhookEndpoint: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => {
          await removeWebhookEndpoint(ctx.db, ctx.principal, args.id);
          return true;
        },
        rotateWebhookEndpointSecret: async (
          _: unknown,
          args: { id: string; ifVersion?: number | null },
          ctx: GraphQLContext,
        ) => {
          const { endpoint, secret } = await rotateWebhookSecret(
            ctx.db,
            ctx.principal,
            args.id,
            new Date(),
            versionCheck(args.ifVersion),
          );
          return { endpoint: toEndpointResource(endpoint), secret };
        },
        redeliverWebhookDelivery: async (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
          toDeliveryResource(await redeliverWebhook(ctx.db, ctx.principal, args.id, new Date())),
      },
    },
    loaders: {
      WebhookDelivery: {
        attempts: async (queries: { obj: { id: string } }[], context: unknown) => {
          const ctx = context as GraphQLContext;
          const admin = requireAdmin(ctx.principal);
          const byId = await attemptsOf(
            ctx.db,
            admin.tenantId,
            queries.map((q) => q.obj.id),
          );
          return queries.map((q) => (byId.get(q.obj.id) ?? []).map(toAttemptResource));
        },
      },
    },
  };
}
