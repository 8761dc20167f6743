/**
 * The domain tests' builders of health reports. `healthReport(patch)` is a healthy network (index
 * 75, every component 80) of three evaluated meetings with full attendance and no mostly-giving
 * members; a test overrides only the fields it is about, building them with `healthMeasures`,
 * `attendanceRates` and `EVEN_COMPONENTS`.
 */
import type { AttendanceRates } from '../../src/attendance.js';
import type { HealthComponents, HealthMeasures, HealthReport } from '../../src/health.js';

/** Every component at 80. */
export const EVEN_COMPONENTS: HealthComponents = Object.freeze({
  benefit: 80,
  energy: 80,
  purpose: 80,
  relations: 80,
  attendance: 80,
  reciprocity: 80,
});

/** 30 answers from 10 respondents, means of 4, the worst member at 3.5, nobody mostly giving; `over` replaces any field. */
export const healthMeasures = (over: Partial<HealthMeasures> = {}): HealthMeasures => ({
  responses: 30,
  respondents: 10,
  meanBenefit: 4,
  worstMemberBenefit: 3.5,
  meanEnergy: 4,
  meanPurposeFit: 4,
  purposeSpread: 0.4,
  meanRelations: 4,
  meanGiveGet: 0,
  mostlyGivingMembers: 0,
  mostlyGivingShare: 0,
  ...over,
});

/** Attendance rates with every count and rate 0 (no meetings at all); `over` replaces any field. */
export const attendanceRates = (over: Partial<AttendanceRates> = {}): AttendanceRates => ({
  meetings: 0,
  expected: 0,
  attended: 0,
  cancellations: 0,
  lateCancellations: 0,
  noShows: 0,
  cancellationRate: 0,
  lateCancellationRate: 0,
  noShowRate: 0,
  ...over,
});

/** A healthy report as described above; `patch` replaces any field. */
export const healthReport = (patch: Partial<HealthReport> = {}): HealthReport => ({
  band: 'healthy',
  index: 75,
  components: EVEN_COMPONENTS,
  measures: healthMeasures(),
  attendance: attendanceRates({ meetings: 3, expected: 30, attended: 30 }),
  meetingsInWindow: 3,
  evaluatedMeetings: 3,
  trend: { direction: 'stable', slope: 0, meetings: [] },
  ...patch,
});
