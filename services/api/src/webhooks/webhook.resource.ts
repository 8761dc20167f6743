/** The webhook resources as the admin reads them (REST and GraphQL alike): endpoints, deliveries, attempts. */
import type {
  StoredWebhookAttempt,
  StoredWebhookDelivery,
  StoredWebhookEndpoint,
} from './webhook.repository.js';

/** An endpoint as the admin reads it. Never the secret. */
export function toEndpointResource(e: StoredWebhookEndpoint) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes === null ? null : [...e.eventTypes],
    enabled: e.enabled,
    disabledAt: e.disabledAt?.toISOString() ?? null,
    disabledReason: e.disabledReason,
    previousSecretExpiresAt: e.previousSecretExpiresAt?.toISOString() ?? null,
    failingSince: e.failingSince?.toISOString() ?? null,
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
export type WebhookEndpointResource = ReturnType<typeof toEndpointResource>;

export function toAttemptResource(a: StoredWebhookAttempt) {
  return {
    attempt: a.attempt,
    trigger: a.trigger,
    startedAt: a.startedAt.toISOString(),
    durationMs: a.durationMs,
    outcome: a.outcome,
    responseStatus: a.responseStatus,
    responseBody: a.responseBody,
    error: a.error,
  };
}

export function toDeliveryResource(d: StoredWebhookDelivery) {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attemptCount,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    /** The body sent, as JSON: `{ type, timestamp, data }`. */
    payload: JSON.parse(d.payload) as { type: string; timestamp: string; data: unknown },
  };
}
