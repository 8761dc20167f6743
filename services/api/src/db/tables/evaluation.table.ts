import type { Selectable } from 'kysely';

/** One member's answers about one held meeting. Readable by that member only. */
export interface EvaluationTable {
  tenant_id: string;
  meeting_id: string;
  leader_id: string;
  benefit: number;
  energy: number;
  purpose_fit: number;
  relations: number;
  give_get: number;
  comment: string | null;
  submitted_at: Date;
  updated_at: Date;
}

export type EvaluationRow = Selectable<EvaluationTable>;
