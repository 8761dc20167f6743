import type { ColumnType, Generated, Selectable } from 'kysely';

/** jsonb: a JSON string on write, the parsed value on read. */
type Json<T> = ColumnType<T, string | null, string | null>;

export interface WebhookEndpointTable {
  tenant_id: string;
  id: string;
  url: string;
  description: Generated<string>;
  /** null: every event type. */
  event_types: Json<string[] | null>;
  enabled: Generated<boolean>;
  disabled_at: Date | null;
  disabled_reason: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveryTable {
  tenant_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempt_count: Generated<number>;
  final_attempt: number;
  next_attempt_at: Date | null;
  manual: Generated<boolean>;
  lease_id: string | null;
  lease_until: Date | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Generated<Date>;
}

export type WebhookAttemptTrigger = 'scheduled' | 'manual';
export type WebhookAttemptOutcome = 'succeeded' | 'failed';

export interface WebhookDeliveryAttemptTable {
  tenant_id: string;
  delivery_id: string;
  attempt: number;
  trigger: WebhookAttemptTrigger;
  started_at: Date;
  duration_ms: number | null;
  outcome: WebhookAttemptOutcome;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
}

export interface WebhookDispatchCursorTable {
  name: string;
  position: number;
  updated_at: Generated<Date>;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type WebhookDeliveryAttemptRow = Selectable<WebhookDeliveryAttemptTable>;
