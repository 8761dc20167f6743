import type { Generated, Selectable } from 'kysely';

export interface ScheduledTaskTable {
  name: string;
  next_run_at: Generated<Date>;
  last_started_at: Date | null;
  last_finished_at: Date | null;
  last_error: string | null;
}

export type ScheduledTaskRow = Selectable<ScheduledTaskTable>;
