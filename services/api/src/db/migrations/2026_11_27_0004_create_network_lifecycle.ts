import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The life of a network: networks and members, charter versions and acceptances, meeting models,
 * meetings with agenda and attendance, evaluations, reviews, and member tokens. Every key starts
 * with tenant_id (Citus distributes by it without a schema change).
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    const now = sql`now()`;
    await db.schema
      .alterTable('tenants')
      .addColumn('facilitator_sees_member_signals', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();

    await db.schema
      .createTable('member_tokens')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('leader_id', 'uuid', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('revoked_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('member_tokens_pkey', ['tenant_id', 'id'])
      .addForeignKeyConstraint(
        'member_tokens_leader_fkey',
        ['tenant_id', 'leader_id'],
        'leaders',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('networks')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('lifecycle', 'jsonb', (c) => c.notNull())
      .addColumn('min_members', 'integer', (c) => c.notNull())
      .addColumn('max_members', 'integer', (c) => c.notNull())
      .addColumn('trial_length', 'integer', (c) => c.notNull())
      .addColumn('review_every', 'integer', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('roles_policy', 'jsonb', (c) => c.notNull())
      .addColumn('facilitator', 'jsonb')
      .addColumn('min_responses', 'integer', (c) => c.notNull())
      .addColumn('evaluation_window_days', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('networks_pkey', ['tenant_id', 'id'])
      .execute();
    await db.schema
      .createIndex('networks_status_idx')
      .on('networks')
      .columns(['tenant_id', 'status'])
      .execute();

    await db.schema
      .createTable('network_members')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('network_id', 'uuid', (c) => c.notNull())
      .addColumn('leader_id', 'uuid', (c) => c.notNull())
      .addColumn('joined_at', 'timestamptz', (c) => c.notNull())
      .addColumn('left_at', 'timestamptz')
      .addColumn('signal_consent', 'boolean', (c) => c.notNull().defaultTo(false))
      .addPrimaryKeyConstraint('network_members_pkey', ['tenant_id', 'network_id', 'leader_id'])
      .addForeignKeyConstraint(
        'network_members_network_fkey',
        ['tenant_id', 'network_id'],
        'networks',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .addForeignKeyConstraint('network_members_leader_fkey', ['tenant_id', 'leader_id'], 'leaders', [
        'tenant_id',
        'id',
      ])
      .execute();
    await db.schema
      .createIndex('network_members_leader_idx')
      .on('network_members')
      .columns(['tenant_id', 'leader_id'])
      .execute();

    await db.schema
      .createTable('charter_versions')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('network_id', 'uuid', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('charter', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('charter_versions_pkey', ['tenant_id', 'network_id', 'version'])
      .addForeignKeyConstraint(
        'charter_versions_network_fkey',
        ['tenant_id', 'network_id'],
        'networks',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('charter_acceptances')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('network_id', 'uuid', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('leader_id', 'uuid', (c) => c.notNull())
      .addColumn('accepted_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('charter_acceptances_pkey', [
        'tenant_id',
        'network_id',
        'version',
        'leader_id',
      ])
      .addForeignKeyConstraint(
        'charter_acceptances_version_fkey',
        ['tenant_id', 'network_id', 'version'],
        'charter_versions',
        ['tenant_id', 'network_id', 'version'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('meeting_model_versions')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('network_id', 'uuid', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('model', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('meeting_model_versions_pkey', ['tenant_id', 'network_id', 'version'])
      .addForeignKeyConstraint(
        'meeting_models_network_fkey',
        ['tenant_id', 'network_id'],
        'networks',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('meetings')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('network_id', 'uuid', (c) => c.notNull())
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('model_version', 'integer')
      .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
      .addColumn('venue', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('roles', 'jsonb', (c) => c.notNull())
      .addColumn('held_at', 'timestamptz')
      .addColumn('cancelled_at', 'timestamptz')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('meetings_pkey', ['tenant_id', 'id'])
      .addUniqueConstraint('meetings_sequence_key', ['tenant_id', 'network_id', 'sequence'])
      .addForeignKeyConstraint(
        'meetings_network_fkey',
        ['tenant_id', 'network_id'],
        'networks',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('agenda_items')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('meeting_id', 'uuid', (c) => c.notNull())
      .addColumn('owner_id', 'uuid')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('agenda_items_pkey', ['tenant_id', 'id'])
      .addForeignKeyConstraint(
        'agenda_items_meeting_fkey',
        ['tenant_id', 'meeting_id'],
        'meetings',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('attendance')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('meeting_id', 'uuid', (c) => c.notNull())
      .addColumn('leader_id', 'uuid', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('cancelled_at', 'timestamptz')
      .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('attendance_pkey', ['tenant_id', 'meeting_id', 'leader_id'])
      .addForeignKeyConstraint(
        'attendance_meeting_fkey',
        ['tenant_id', 'meeting_id'],
        'meetings',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('evaluations')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('meeting_id', 'uuid', (c) => c.notNull())
      .addColumn('leader_id', 'uuid', (c) => c.notNull())
      .addColumn('benefit', 'integer', (c) => c.notNull())
      .addColumn('energy', 'integer', (c) => c.notNull())
      .addColumn('purpose_fit', 'integer', (c) => c.notNull())
      .addColumn('relations', 'integer', (c) => c.notNull())
      .addColumn('give_get', 'integer', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('evaluations_pkey', ['tenant_id', 'meeting_id', 'leader_id'])
      .addForeignKeyConstraint(
        'evaluations_meeting_fkey',
        ['tenant_id', 'meeting_id'],
        'meetings',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('reviews')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('network_id', 'uuid', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
      .addColumn('recommendation', 'jsonb')
      .addColumn('decision', 'text')
      .addColumn('decision_detail', 'jsonb')
      .addColumn('decided_at', 'timestamptz')
      .addPrimaryKeyConstraint('reviews_pkey', ['tenant_id', 'id'])
      .addForeignKeyConstraint(
        'reviews_network_fkey',
        ['tenant_id', 'network_id'],
        'networks',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createIndex('reviews_network_idx')
      .on('reviews')
      .columns(['tenant_id', 'network_id'])
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    for (const table of [
      'reviews',
      'evaluations',
      'attendance',
      'agenda_items',
      'meetings',
      'meeting_model_versions',
      'charter_acceptances',
      'charter_versions',
      'network_members',
      'networks',
      'member_tokens',
    ]) {
      await db.schema.dropTable(table).execute();
    }
    await db.schema.alterTable('tenants').dropColumn('facilitator_sees_member_signals').execute();
  },
};
