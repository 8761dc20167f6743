/**
 * Runs the migrations forward from empty, on PGlite and PostgreSQL alike. Migrations are listed
 * statically (not read from a folder) so they run the same from TypeScript sources and a build.
 */
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { migration as createTenants } from './migrations/2026_11_27_0001_create_tenants.js';
import { migration as createLeaders } from './migrations/2026_11_27_0002_create_leaders.js';
import { migration as createIdempotencyKeys } from './migrations/2026_11_27_0003_create_idempotency_keys.js';
import { migration as createNetworkLifecycle } from './migrations/2026_11_27_0004_create_network_lifecycle.js';
import { migration as addMeetingRolesOverridden } from './migrations/2026_11_27_0006_add_meeting_roles_overridden.js';
import { migration as openReviewUnique } from './migrations/2026_11_27_0007_open_review_unique.js';
import { migration as createFormationRuns } from './migrations/2026_11_27_0008_create_formation_runs.js';
import { migration as freezeEvaluationRounds } from './migrations/2026_12_02_0009_freeze_evaluation_rounds.js';
import { migration as createMemberSessions } from './migrations/2026_12_02_0010_create_member_sessions.js';
import { migration as createMemberTokenActions } from './migrations/2026_12_02_0011_create_member_token_actions.js';
import { migration as tenantFrameAncestors } from './migrations/2026_12_02_0013_tenant_frame_ancestors.js';
import { migration as createScheduledTasks } from './migrations/2026_12_02_0014_create_scheduled_tasks.js';
import { migration as createEvents } from './migrations/2026_12_02_0015_create_events.js';
import { migration as createWebhooks } from './migrations/2026_12_02_0016_create_webhooks.js';
import { migration as createCalendarFeeds } from './migrations/2026_12_02_0017_create_calendar_feeds.js';
import { migration as createRateLimitHits } from './migrations/2026_12_02_0018_create_rate_limit_hits.js';
import { migration as tenantCorsOrigins } from './migrations/2026_12_02_0019_tenant_cors_origins.js';
import { migration as leaderExternalId } from './migrations/2026_12_02_0020_leader_external_id.js';
import { migration as leaderLifecycle } from './migrations/2026_12_02_0021_leader_lifecycle.js';
import { migration as formationRunProgress } from './migrations/2026_12_02_0022_formation_run_progress.js';

export const migrations: Record<string, Migration> = {
  '2026_11_27_0001_create_tenants': createTenants,
  '2026_11_27_0002_create_leaders': createLeaders,
  '2026_11_27_0003_create_idempotency_keys': createIdempotencyKeys,
  '2026_11_27_0004_create_network_lifecycle': createNetworkLifecycle,
  '2026_11_27_0006_add_meeting_roles_overridden': addMeetingRolesOverridden,
  '2026_11_27_0007_open_review_unique': openReviewUnique,
  '2026_11_27_0008_create_formation_runs': createFormationRuns,
  '2026_12_02_0009_freeze_evaluation_rounds': freezeEvaluationRounds,
  '2026_12_02_0010_create_member_sessions': createMemberSessions,
  '2026_12_02_0011_create_member_token_actions': createMemberTokenActions,
  '2026_12_02_0013_tenant_frame_ancestors': tenantFrameAncestors,
  '2026_12_02_0014_create_scheduled_tasks': createScheduledTasks,
  '2026_12_02_0017_create_calendar_feeds': createCalendarFeeds,
  '2026_12_02_0019_tenant_cors_origins': tenantCorsOrigins,
  '2026_12_02_0016_create_webhooks': createWebhooks,
  '2026_12_02_0018_create_rate_limit_hits': createRateLimitHits,
  '2026_12_02_0015_create_events': createEvents,
  '2026_12_02_0020_leader_external_id': leaderExternalId,
  '2026_12_02_0021_leader_lifecycle': leaderLifecycle,
  '2026_12_02_0022_formation_run_progress': formationRunProgress,
};

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Whether exactly the listed migrations are recorded as applied: one query and no lock, the common
 * case at start (Kysely's migrator takes about ten statements to find nothing to do). False when
 * the migration table does not exist yet (42P01 undefined_table); other errors are thrown.
 */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
async function isUpToDate(db: Kysely<any>): Promise<boolean> {
  let applied: string[];
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    applied = rows.map((r) => r.name).sort();
  } catch (error) {
    if ((error as { code?: unknown }).code === '42P01') return false;
    throw error;
  }
  const listed = Object.keys(migrations).sort();
  return applied.length === listed.length && applied.every((name, i) => name === listed[i]);
}

/** Brings the schema up to date; throws MigrationError naming the failed migration. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (await isUpToDate(db)) return [];
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined) {
    throw new MigrationError(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
