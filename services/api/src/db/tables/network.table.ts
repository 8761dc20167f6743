import type { Charter, Facilitator, LifecycleStatus, MeetingModel, RolesPolicy } from '@sparring/domain';
import type { ColumnType, Generated, Selectable } from 'kysely';
import { columnsOf } from '../columns.js';

/** jsonb columns take a JSON string on write and give the parsed value on read. */
export type Json<T> = ColumnType<T, string, string>;

export interface NetworkTable {
  tenant_id: string;
  id: string;
  name: string;
  /** The lifecycle status, copied out of `lifecycle` for filtering. */
  status: LifecycleStatus;
  /** The domain's LifecycleState, dates as ISO strings (see lifecycle-state.ts). */
  lifecycle: Json<unknown>;
  min_members: number;
  max_members: number;
  trial_length: number;
  review_every: number;
  time_zone: string;
  roles_policy: Json<RolesPolicy>;
  facilitator: ColumnType<Facilitator | null, string | null, string | null>;
  /** k: the least number of answers before an aggregate is shown. */
  min_responses: number;
  evaluation_window_days: number;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface NetworkMemberTable {
  tenant_id: string;
  network_id: string;
  leader_id: string;
  joined_at: Date;
  left_at: Date | null;
  /** The member agrees that the facilitator may see signals about them (if the tenant allows). */
  signal_consent: Generated<boolean>;
}

export interface CharterVersionTable {
  tenant_id: string;
  network_id: string;
  version: number;
  charter: Json<Charter>;
  created_at: Generated<Date>;
}

export interface CharterAcceptanceTable {
  tenant_id: string;
  network_id: string;
  version: number;
  leader_id: string;
  accepted_at: Date;
}

export interface MeetingModelVersionTable {
  tenant_id: string;
  network_id: string;
  version: number;
  model: Json<MeetingModel>;
  created_at: Generated<Date>;
}

export interface ReviewTable {
  tenant_id: string;
  id: string;
  network_id: string;
  kind: 'trial_end' | 'periodic';
  opened_at: Date;
  /** The domain's recommendation when the review opened; on a decided review, the one the decision was taken on. */
  recommendation: ColumnType<unknown | null, string | null, string | null>;
  decision: 'continue' | 'adjust' | 'extend' | 'dissolve' | null;
  decision_detail: ColumnType<unknown | null, string | null, string | null>;
  decided_at: Date | null;
}

export type NetworkRow = Selectable<NetworkTable>;
export type NetworkMemberRow = Selectable<NetworkMemberTable>;
export type CharterVersionRow = Selectable<CharterVersionTable>;
export type CharterAcceptanceRow = Selectable<CharterAcceptanceTable>;
export type MeetingModelVersionRow = Selectable<MeetingModelVersionTable>;
export type ReviewRow = Selectable<ReviewTable>;

/** Every column, for queries saved as named statements (src/db/columns.ts). */
export const NETWORK_COLUMNS = columnsOf<NetworkTable>()([
  'tenant_id',
  'id',
  'name',
  'status',
  'lifecycle',
  'min_members',
  'max_members',
  'trial_length',
  'review_every',
  'time_zone',
  'roles_policy',
  'facilitator',
  'min_responses',
  'evaluation_window_days',
  'version',
  'created_at',
  'updated_at',
]);
