import type { Formation, FormationSizes } from '@sparring/domain';
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Json } from './network.table.js';

export type FormationRunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** What the caller asked for, validated (the pool is resolved to leader ids at creation). */
export interface FormationRequest {
  readonly sizes: FormationSizes;
  readonly composition: unknown;
  readonly constraints: { maxPerOrganisation: number | null };
  readonly avoidRepeats: boolean;
  readonly worstGroupWeight?: number;
  readonly seed: number;
  readonly timeBudgetMs: number;
  /** A cap on search rounds besides the time budget (a run ending on it is reproducible). */
  readonly maxIterations?: number;
}

export interface FormationRunTable {
  tenant_id: string;
  id: string;
  status: FormationRunStatus;
  request: Json<FormationRequest>;
  /** The leader ids in the pool, resolved when the run was created. */
  pool: Json<string[]>;
  result: ColumnType<Formation | null, string | null, string | null>;
  /** Why a run failed (an internal error; never leader data). */
  error: string | null;
  /** Proposal index → the network created from it. */
  accepted: ColumnType<Record<string, string>, string | undefined, string>;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
  /** Progress of the search (docs/formation.md): null until the first report. */
  progress_best_score: ColumnType<number | null, number | null | undefined, number | null>;
  progress_iterations: ColumnType<number | null, number | null | undefined, number | null>;
  progress_elapsed_ms: ColumnType<number | null, number | null | undefined, number | null>;
  progress_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type FormationRunRow = Selectable<FormationRunTable>;
