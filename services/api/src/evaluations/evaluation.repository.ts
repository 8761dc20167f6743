/**
 * Evaluations in the database. Plain functions taking the database (or a transaction) first; every
 * query filters by tenant. Rows become the domain's `Evaluation` through `rowToEvaluation`.
 */
import type { Evaluation } from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { EvaluationRow } from '../db/tables/evaluation.table.js';

/** A stored evaluation: the domain's value plus when it was given and last edited. */
export interface StoredEvaluation extends Evaluation {
  readonly submittedAt: Date;
  readonly updatedAt: Date;
}

export function rowToEvaluation(row: EvaluationRow): StoredEvaluation {
  return {
    meetingId: row.meeting_id,
    memberId: row.leader_id,
    benefit: row.benefit as Evaluation['benefit'],
    energy: row.energy as Evaluation['energy'],
    purposeFit: row.purpose_fit as Evaluation['purposeFit'],
    relations: row.relations as Evaluation['relations'],
    giveGet: row.give_get as Evaluation['giveGet'],
    comment: row.comment,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
  };
}

/** One member's evaluation of one meeting, if given. */
export async function findEvaluation(
  db: Kysely<Database>,
  tenantId: string,
  meetingId: string,
  leaderId: string,
): Promise<StoredEvaluation | undefined> {
  const row = await db
    .selectFrom('evaluations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('meeting_id', '=', meetingId)
    .where('leader_id', '=', leaderId)
    .executeTakeFirst();
  return row ? rowToEvaluation(row) : undefined;
}

/** Every evaluation of these meetings, in one query (aggregates, health and loaders). */
export async function evaluationsOfMeetings(
  db: Kysely<Database>,
  tenantId: string,
  meetingIds: readonly string[],
): Promise<StoredEvaluation[]> {
  if (meetingIds.length === 0) return [];
  const rows = await db
    .selectFrom('evaluations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('meeting_id', 'in', meetingIds)
    .orderBy('meeting_id')
    .orderBy('leader_id')
    .execute();
  return rows.map(rowToEvaluation);
}

/**
 * Creates or replaces one member's answers (one row per member and meeting: the primary key). The
 * first submission time is kept on an edit. `created` says which happened, decided by the database
 * (an insert that found the row does nothing, then the row is updated), so of two concurrent first
 * submissions exactly one is the creation.
 */
export async function upsertEvaluation(
  db: Kysely<Database>,
  tenantId: string,
  evaluation: Evaluation,
  now: Date,
): Promise<{ created: boolean; stored: StoredEvaluation }> {
  const answers = {
    benefit: evaluation.benefit,
    energy: evaluation.energy,
    purpose_fit: evaluation.purposeFit,
    relations: evaluation.relations,
    give_get: evaluation.giveGet,
    comment: evaluation.comment,
    updated_at: now,
  };
  const inserted = await db
    .insertInto('evaluations')
    .values({
      tenant_id: tenantId,
      meeting_id: evaluation.meetingId,
      leader_id: evaluation.memberId,
      submitted_at: now,
      ...answers,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'meeting_id', 'leader_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { created: true, stored: rowToEvaluation(inserted) };
  const updated = await db
    .updateTable('evaluations')
    .set(answers)
    .where('tenant_id', '=', tenantId)
    .where('meeting_id', '=', evaluation.meetingId)
    .where('leader_id', '=', evaluation.memberId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { created: false, stored: rowToEvaluation(updated) };
}
