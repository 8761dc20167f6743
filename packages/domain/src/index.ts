// @sparring/domain — the leader-network method as a pure library. Explicit named exports only:
// the public API reads as the method (STYLE.md).

// Conflicts of interest
export type { Conflict, ConflictKind, ConflictSubject } from './conflicts.js';
export { conflictBetween, findConflicts } from './conflicts.js';
// Leaders
export type { ExperienceBand, Leader, LeaderId, LeaderProfile } from './leader.js';
export {
  EMAIL_PATTERN,
  EXPERIENCE_BANDS,
  experienceBand,
  LEADER_LIMITS,
  LEADER_PROFILE_FIELDS,
  parseLeaderProfile,
  patchLeaderProfile,
} from './leader.js';
export type { Result } from './result.js';
export { err, ok } from './result.js';
export type { LocalizedText } from './text.js';
export type { ValidationFailure, ValidationIssue, ValidationIssueCode } from './validation.js';
// Vocabularies
export type {
  CadenceInMonths,
  FocusArea,
  LeadershipLevel,
  MeetingFormat,
  Motivation,
  SamenessDimension,
  SamenessPreference,
  TimeSlot,
} from './vocabulary.js';
export {
  CADENCES_IN_MONTHS,
  FOCUS_AREA_LABELS,
  FOCUS_AREAS,
  isOneOf,
  LEADERSHIP_LEVEL_LABELS,
  LEADERSHIP_LEVELS,
  MEETING_FORMAT_LABELS,
  MEETING_FORMATS,
  MOTIVATIONS,
  SAMENESS_DIMENSIONS,
  SAMENESS_PREFERENCES,
  TIME_SLOT_LABELS,
  TIME_SLOTS,
} from './vocabulary.js';
