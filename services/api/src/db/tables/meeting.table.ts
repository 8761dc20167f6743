import type {
  AgendaItemKind,
  AttendanceStatus,
  MeetingStatus,
  RoleAssignment,
  Venue,
} from '@sparring/domain';
import type { ColumnType, Generated, Selectable } from 'kysely';
import { columnsOf } from '../columns.js';
import type { Json } from './network.table.js';

export interface MeetingTable {
  tenant_id: string;
  id: string;
  network_id: string;
  /** 1, 2, 3, … within the network. */
  sequence: number;
  /** The meeting model version it was generated from (null when added by hand). */
  model_version: number | null;
  starts_at: Date;
  ends_at: Date;
  venue: Json<Venue>;
  status: MeetingStatus;
  /** The domain's role assignments (coordinator, host, agenda owner, facilitator). */
  roles: Json<RoleAssignment[]>;
  /** When an admin last set the role holders by hand (migration 0006); null while rotation decides. */
  roles_overridden_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  held_at: Date | null;
  /** The k frozen when the evaluation window opened (migration 0009); null until held. */
  evaluation_k: ColumnType<number | null, number | null | undefined, number | null>;
  /** When answers stop: the window's deadline, or earlier once everyone answered; null until held. */
  evaluation_closes_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  cancelled_at: Date | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AgendaItemTable {
  tenant_id: string;
  id: string;
  meeting_id: string;
  owner_id: string | null;
  title: string;
  kind: AgendaItemKind;
  position: number;
  created_at: Generated<Date>;
}

export interface AttendanceTable {
  tenant_id: string;
  meeting_id: string;
  leader_id: string;
  status: AttendanceStatus;
  /** When the member sent their cancellation (afbud). */
  cancelled_at: Date | null;
  /** The cancellation came inside the charter's notice (default 48 h). */
  late: Generated<boolean>;
  updated_at: Generated<Date>;
}

export type MeetingRow = Selectable<MeetingTable>;
export type AgendaItemRow = Selectable<AgendaItemTable>;
export type AttendanceRow = Selectable<AttendanceTable>;

/** Every column, for queries saved as named statements (src/db/columns.ts). */
export const MEETING_COLUMNS = columnsOf<MeetingTable>()([
  'tenant_id',
  'id',
  'network_id',
  'sequence',
  'model_version',
  'starts_at',
  'ends_at',
  'venue',
  'status',
  'roles',
  'roles_overridden_at',
  'held_at',
  'evaluation_k',
  'evaluation_closes_at',
  'cancelled_at',
  'version',
  'created_at',
  'updated_at',
]);
