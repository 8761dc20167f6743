/**
 * Every table of the service, in one interface (kysely's own example layout). Each table file
 * declares its columns; row types are derived with Selectable/Insertable, never retyped.
 */
import type { CalendarFeedTable } from './tables/calendar-feed.table.js';
import type { EvaluationTable } from './tables/evaluation.table.js';
import type { EventTable, NetworkAnnouncementTable } from './tables/event.table.js';
import type { FormationRunTable } from './tables/formation-run.table.js';
import type { IdempotencyKeyTable } from './tables/idempotency.table.js';
import type { LeaderTable } from './tables/leader.table.js';
import type { AgendaItemTable, AttendanceTable, MeetingTable } from './tables/meeting.table.js';
import type {
  MemberNoticeTable,
  MemberSessionTable,
  MemberSignInLinkTable,
} from './tables/member-session.table.js';
import type { MemberTokenTable } from './tables/member-token.table.js';
import type { MemberTokenActionTable } from './tables/member-token-action.table.js';
import type {
  CharterAcceptanceTable,
  CharterVersionTable,
  MeetingModelVersionTable,
  NetworkMemberTable,
  NetworkTable,
  ReviewTable,
} from './tables/network.table.js';
import type { RateLimitHitTable } from './tables/rate-limit.table.js';
import type { ScheduledTaskTable } from './tables/scheduled-task.table.js';
import type { ApiKeyTable, TenantTable } from './tables/tenant.table.js';
import type {
  WebhookDeliveryAttemptTable,
  WebhookDeliveryTable,
  WebhookDispatchCursorTable,
  WebhookEndpointTable,
} from './tables/webhook.table.js';

export interface Database {
  tenants: TenantTable;
  api_keys: ApiKeyTable;
  leaders: LeaderTable;
  idempotency_keys: IdempotencyKeyTable;
  member_tokens: MemberTokenTable;
  member_token_actions: MemberTokenActionTable;
  member_sign_in_links: MemberSignInLinkTable;
  member_sessions: MemberSessionTable;
  member_notices: MemberNoticeTable;
  networks: NetworkTable;
  network_members: NetworkMemberTable;
  charter_versions: CharterVersionTable;
  charter_acceptances: CharterAcceptanceTable;
  meeting_model_versions: MeetingModelVersionTable;
  meetings: MeetingTable;
  agenda_items: AgendaItemTable;
  attendance: AttendanceTable;
  evaluations: EvaluationTable;
  reviews: ReviewTable;
  formation_runs: FormationRunTable;
  scheduled_tasks: ScheduledTaskTable;
  calendar_feeds: CalendarFeedTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptTable;
  webhook_dispatch_cursor: WebhookDispatchCursorTable;
  rate_limit_hits: RateLimitHitTable;
  events: EventTable;
  network_announcements: NetworkAnnouncementTable;
}
