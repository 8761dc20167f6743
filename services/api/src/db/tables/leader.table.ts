import type {
  CadenceInMonths,
  LeadershipLevel,
  MeetingFormat,
  Motivation,
  SamenessDimension,
  SamenessPreference,
  TimeSlot,
} from '@sparring/domain';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import { columnsOf } from '../columns.js';

/** jsonb columns take a JSON string on write and give the parsed value on read. */
type Json<T> = ColumnType<T, string, string>;

export interface LeaderTable {
  tenant_id: string;
  id: string;
  email: string;
  name: string;
  sector: string;
  organisation: string;
  level: LeadershipLevel;
  years_of_experience: number;
  region: string;
  languages: Json<string[]>;
  motivations: Json<Motivation[]>;
  availability: Json<TimeSlot[]>;
  formats: Json<MeetingFormat[]>;
  preferred_cadence_months: CadenceInMonths | null;
  manager_id: string | null;
  exclusions: Json<string[]>;
  sameness: Json<Record<SamenessDimension, SamenessPreference>>;
  /** The HR system's id for the person, unique in the tenant when set. */
  external_id: string | null;
  /** When the leader stops (or stopped) being active: memberships end, credentials stop (migration 0021). */
  deactivated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the leader's identity and free text were erased (GDPR art. 17); the row stays, anonymised. */
  erased_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type LeaderRow = Selectable<LeaderTable>;
export type NewLeaderRow = Insertable<LeaderTable>;

/** Every column, for queries saved as named statements (src/db/columns.ts). */
export const LEADER_COLUMNS = columnsOf<LeaderTable>()([
  'tenant_id',
  'id',
  'email',
  'name',
  'sector',
  'organisation',
  'level',
  'years_of_experience',
  'region',
  'languages',
  'motivations',
  'availability',
  'formats',
  'preferred_cadence_months',
  'manager_id',
  'exclusions',
  'sameness',
  'external_id',
  'deactivated_at',
  'erased_at',
  'version',
  'created_at',
  'updated_at',
]);
