// @sparring/domain — the leader-network method as a pure library. Explicit named exports only,
// in the order of the method: what each leader wants, a good start, continuous evaluation.

// Foundations: results, validation, bilingual text, vocabularies
export type { Result } from './result.js';
export { err, ok } from './result.js';
export type { ValidationFailure, ValidationIssue, ValidationIssueCode } from './validation.js';
export type { LocalizedText } from './text.js';
export { isStorableText } from './text.js';
export { unstorableTextIssue } from './parse.js';
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

// Step 1 — what do you want, and with whom: leaders, conflicts of interest, readiness, composition and
// formation (CATME-style scoring, hard constraints, Iterated Maxima Search; docs/formation.md)
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
export type { LeaderUpsertStatus, LeaderUpsertStep } from './leader-upsert.js';
export {
  LEADER_UPSERT_FIELDS,
  LEADER_UPSERT_MAX,
  planLeaderUpsert,
  sameLeaderProfile,
} from './leader-upsert.js';
export type { Conflict, ConflictKind, ConflictSubject } from './conflicts.js';
export { conflictBetween, findConflicts } from './conflicts.js';
export type {
  CompositionPreference,
  ReadinessAnswers,
  ReadinessAssessment,
  ReadinessGuidance,
  ReadinessGuidanceCode,
  ReadinessQuestion,
  ReadinessVerdict,
  SharingReadiness,
  TimeCommitment,
} from './readiness.js';
export {
  assessReadiness,
  FOCUS_GUIDANCE,
  parseReadinessAnswers,
  profileFieldsFromReadiness,
  READINESS_QUESTIONS,
  READINESS_VERDICTS,
  SHARING_READINESS,
  TIME_COMMITMENT_CADENCE,
  TIME_COMMITMENTS,
} from './readiness.js';
export type {
  ComponentExplanation,
  CompositionCriterion,
  CompositionSettings,
  CompositionSubject,
  ConstraintSubject,
  CriterionMode,
  CriterionSetting,
  GroupComposition,
  HardConstraints,
  HardConstraintViolation,
  PairHistory,
  ScoreComponent,
  SingleValuedCriterion,
} from './composition.js';
export {
  COMPOSITION_CRITERIA,
  CRITERION_MODES,
  checkHardConstraints,
  DEFAULT_COMPOSITION,
  pairHistory,
  parseCompositionSettings,
  SINGLE_VALUED_CRITERIA,
  scoreGroup,
  sharedSlotsAndFormats,
} from './composition.js';
export type { GroupSizes, SizeRange } from './formation/sizes.js';
export type { SearchBudget } from './formation/budget.js';
export type { MatrixGrouping, MatrixGroupingError, MatrixGroupingInput } from './formation/matrix.js';
export { groupingObjective, solveMatrixGrouping } from './formation/matrix.js';
export type {
  Formation,
  FormationInput,
  FormationProgress,
  FormationQuality,
  FormationSizes,
  NetworkSizeList,
  NetworkSizes,
  ProposedNetwork,
  UnplacedLeader,
  UnplacedReason,
} from './formation/form-networks.js';
export {
  DEFAULT_NETWORK_SIZES,
  DEFAULT_PROGRESS_INTERVAL_MS,
  DEFAULT_WORST_GROUP_WEIGHT,
  FORMATION_SIZE_LIST_MAX,
  formNetworks,
  networkBoundsFor,
  parseFormationSizes,
} from './formation/form-networks.js';
export type { LeaderSpaceParameters } from './formation/leader-space.js';
export { DEFAULT_LEADER_SPACE_PARAMETERS } from './formation/leader-space.js';

// Step 2 — a good start: who is in the network, its rules and settings, the charter (kontrakt), the
// meeting model and meetings, roles, the agenda, and the lifecycle (trial of 3–4 meetings, reviews)
export type { NetworkMembership } from './network-membership.js';
export { activeMemberIds, activeMemberships, compareIds, isActiveMembership } from './network-membership.js';
export type {
  NetworkCheckInput,
  NetworkNotReady,
  NetworkSizeBounds,
  NetworkViolation,
  NetworkViolationCode,
} from './network-rules.js';
export {
  canStartNetwork,
  checkNetwork,
  DEFAULT_NETWORK_SIZE,
  NETWORK_SIZE_LIMITS,
  NETWORK_VIOLATION_CODES,
  parseNetworkSizeBounds,
} from './network-rules.js';
export type {
  Facilitator,
  NetworkSettings,
  NetworkSettingsContext,
  NetworkSettingsInput,
} from './network-settings.js';
export { parseNetworkSettings, reviewEveryIssue } from './network-settings.js';
export type {
  Charter,
  CharterAcceptance,
  CharterAcceptanceError,
  CharterAcceptanceErrorCode,
  CharterGoal,
  CharterStatus,
  CharterVersion,
  GroundRule,
  GroundRuleKind,
} from './charter.js';
export {
  acceptCharter,
  adoptCharterVersion,
  CHARTER_FIELDS,
  CHARTER_LIMITS,
  CONFIDENTIALITY_RULE_TEXT,
  cancellationNoticeHours,
  charterStatus,
  GROUND_RULE_KINDS,
  hasConfidentialityRule,
  hasNonSocialGoal,
  isCharterInForce,
  isNonSocialGoal,
  latestCharterVersion,
  parseCharter,
} from './charter.js';
export type {
  MeetingModel,
  MeetingModelVersion,
  ScheduledMeeting,
  ScheduleOptions,
  Venue,
} from './meeting-model.js';
export {
  adoptMeetingModelVersion,
  DEFAULT_SLOT_START_TIMES,
  DEFAULT_TIME_ZONE,
  isValidTimeZone,
  MAX_SCHEDULED_MEETINGS,
  MEETING_DURATION,
  parseLocalDate,
  parseMeetingModel,
  parseVenue,
  SLOT_START_WINDOWS,
  scheduleMeetings,
  slotDayShift,
} from './meeting-model.js';
export type {
  HeldAttendanceLine,
  MeetingEvent,
  MeetingRefusal,
  MeetingRefusalCode,
  MeetingResponse,
  MeetingRoles,
  MeetingState,
  MeetingStatus,
  StoredResponse,
} from './meeting.js';
export {
  afbudReassignsRoles,
  attendanceResponse,
  MEETING_REFUSAL_CODES,
  MEETING_STATUS_LABELS,
  MEETING_STATUSES,
  meetingTransition,
  networkAcceptsChanges,
  roleHistory,
} from './meeting.js';
export type { MeetingMove, MeetingPlacement, Replan, ReplanMeeting, ReplanOptions } from './replan.js';
export { replanMeetings } from './replan.js';
export type {
  MeetingRole,
  RoleAssignment,
  RoleAssignmentBasis,
  RoleAssignmentInput,
  RoleHolder,
  RolePolicy,
  RolesPolicy,
  RoleTurn,
} from './roles.js';
export {
  assignRoles,
  DEFAULT_ROLES_POLICY,
  MEETING_ROLE_LABELS,
  MEETING_ROLES,
  parseRolesPolicy,
  turnsOf,
} from './roles.js';
export type { AgendaItem, AgendaItemKind, CaseProposal, MemberAirtime, PresentedCase } from './agenda.js';
export {
  AGENDA_ITEM_KIND_LABELS,
  AGENDA_ITEM_KINDS,
  AGENDA_LIMITS,
  airtimeCycleLength,
  airtimeRound,
  DEFAULT_CASES_PER_MEETING,
  memberAirtime,
  parseAgenda,
  presentedCases,
  proposeNextCases,
} from './agenda.js';
export type {
  ActivePhase,
  LifecycleEvent,
  LifecycleHistoryEntry,
  LifecycleRefusal,
  LifecycleRefusalCode,
  LifecycleState,
  LifecycleStatus,
  ReviewDecision,
  TrialLength,
  TrialPhase,
  TrialReadiness,
} from './lifecycle.js';
export {
  adjustmentsMade,
  DEFAULT_REVIEW_EVERY,
  isReviewInterval,
  REVIEW_EVERY_LIMITS,
  DEFAULT_TRIAL_LENGTH,
  EXTEND_BY_MEETINGS,
  formingNetwork,
  LIFECYCLE_REFUSAL_CODES,
  LIFECYCLE_REFUSAL_MESSAGES,
  LIFECYCLE_STATUSES,
  REVIEW_DECISIONS,
  replay,
  TRIAL_LENGTHS,
  transition,
  trialReadinessGaps,
} from './lifecycle.js';

// Step 3 — evaluate continuously, and keep it confidential: attendance, evaluations, the release
// rule, health, signals and the review's recommendation (docs/domain-health.md)
export type {
  Attendance,
  AttendanceOptions,
  AttendanceRates,
  AttendanceStatus,
  MeetingAttendance,
} from './attendance.js';
export {
  ATTENDANCE_STATUSES,
  attendanceRatesByMember,
  DEFAULT_ATTENDANCE_WINDOW,
  DEFAULT_CANCELLATION_NOTICE_HOURS,
  heldAttendance,
  isLateCancellation,
  memberAttendanceRates,
  networkAttendanceRates,
  parseAttendance,
  recordAfbud,
} from './attendance.js';
export type {
  Evaluation,
  EvaluationContext,
  EvaluationDimension,
  EvaluationRefusal,
  EvaluationRefusalCode,
  EvaluationScore,
  GiveGetBalance,
  MeetingEvaluationAggregate,
  ScoreStatistics,
} from './evaluation.js';
export {
  aggregateEvaluations,
  EVALUATION_COMMENT_MAX,
  EVALUATION_DIMENSIONS,
  EVALUATION_REFUSAL_MESSAGES,
  EVALUATION_SCORES,
  GIVE_GET_BALANCES,
  parseEvaluation,
} from './evaluation.js';
export type { EvaluationWindowFacts } from './evaluation-window.js';
export { evaluationClosesAt, isEvaluationOpen } from './evaluation-window.js';
export type {
  ConfidentialityRole,
  Disclosure,
  EvaluationRound,
  ReadableData,
  ReadAccess,
  Release,
  ReleasedAggregate,
  ReleaseOptions,
  ReleaseState,
  Released,
  RoundStatus,
  Withheld,
  WithholdReason,
} from './confidentiality.js';
export {
  CONFIDENTIALITY_ROLES,
  closesEarly,
  DEFAULT_EVALUATION_WINDOW_DAYS,
  DEFAULT_MIN_RESPONSES,
  evaluationDeadline,
  MAX_EVALUATION_WINDOW_DAYS,
  MAX_MIN_RESPONSES,
  MIN_RESPONSES_FLOOR,
  mayRead,
  meetingDisclosure,
  minimumResponses,
  parseMinResponses,
  READ_POLICY,
  READABLE_DATA,
  releaseAggregate,
  releaseMeetingAggregate,
  releaseRounds,
} from './confidentiality.js';
export type {
  AttendanceScoreBand,
  HealthBand,
  HealthComponent,
  HealthComponents,
  DisclosedHealthMeasures,
  HealthMeasures,
  HealthOptions,
  HealthParameters,
  HealthReport,
  HealthTrend,
  HeldMeeting,
  MeetingIndex,
  TrendDirection,
} from './health.js';
export {
  ATTENDANCE_CURVE,
  ATTENDANCE_SCORE_BANDS,
  attendanceScore,
  attendanceScoreBand,
  weightedAbsenceRate,
  benefitScore,
  computeHealth,
  DEFAULT_HEALTH_PARAMETERS,
  DEFAULT_HEALTH_WINDOW,
  discloseMeasures,
  evaluationRoundsOf,
  releaseStateOf,
  energyScore,
  HEALTH_BAND_FLOORS,
  HEALTH_BANDS,
  HEALTH_COMPONENTS,
  HEALTH_WEIGHTS,
  healthBand,
  healthIndex,
  healthParameters,
  likertScore,
  MOSTLY_GIVING_MAX_BALANCE,
  purposeScore,
  reciprocityScore,
  relationsScore,
} from './health.js';
export type {
  AtRiskReason,
  MembersAtRisk,
  NetworkAssessment,
  Signal,
  SignalAudience,
  SignalCode,
  SignalOptions,
  SignalParameters,
  SignalSeverity,
  SignalViewer,
  SignalVisibilityPolicy,
  WithdrawalRiskGuidance,
  WithdrawalRiskReader,
} from './signals.js';
export {
  AT_RISK_ACTIONS,
  AT_RISK_GUIDANCE_FRAME,
  AT_RISK_REASONS,
  atRiskReasons,
  discloseMembersAtRisk,
  membersAtRisk,
  withdrawalRiskGuidance,
  AT_RISK_GIVE_GET_MAX,
  assessNetwork,
  DEFAULT_SIGNAL_PARAMETERS,
  evaluationSignals,
  memberSignals,
  networkSignals,
  PRIVATE_SIGNAL_POLICY,
  SIGNAL_CODES,
  SIGNAL_GUIDANCE,
  SIGNAL_SEVERITIES,
  SIGNAL_TITLES,
  signalParameters,
  sortSignals,
  visibleSignals,
} from './signals.js';
export type { AdjustmentArea } from './adjustment.js';
export { ADJUSTMENT_AREA_LABELS, ADJUSTMENT_AREAS } from './adjustment.js';
export type {
  ChangeDirection,
  RankedChange,
  ReviewOptions,
  ReviewParameters,
  ReviewReason,
  ReviewReasonCode,
  ReviewRecommendation,
  ReviewRecommendationKind,
} from './review.js';
export {
  CHANGE_DIRECTION_MESSAGES,
  CHANGE_DIRECTIONS,
  COMPONENT_ADJUSTMENTS,
  DEFAULT_REVIEW_PARAMETERS,
  REASON_CHANGES,
  REASON_COMPONENTS,
  rankChanges,
  REVIEW_RECOMMENDATIONS,
  REVIEW_REASON_CODES,
  REVIEW_REASON_MESSAGES,
  recommendReview,
  reviewParameters,
  SIGNAL_ADJUSTMENTS,
} from './review.js';

// Across networks: the programme view for HR (docs/programme.md)
export type {
  CountedReason,
  MonitorReasonCode,
  MonitorState,
  Month,
  PooledAttendance,
  ProgrammeDisclosure,
  ProgrammeFilter,
  ProgrammeFilterAttribute,
  ProgrammeFormationRun,
  ProgrammeFormationRunStatus,
  ProgrammeMonth,
  ProgrammeNetwork,
  ProgrammeOverview,
  ProgrammeWithheld,
  ProgrammeWithholdReason,
} from './programme.js';
export {
  PROGRAMME_RUN_STATUSES,
  MONITOR_BANDS,
  MONITOR_LABELS,
  MONITOR_STATES,
  monthOf,
  monthsBetween,
  PROGRAMME_ASSESSED_STATUSES,
  PROGRAMME_DEFAULT_MONTHS,
  PROGRAMME_FILTER_ATTRIBUTES,
  PROGRAMME_FILTER_VALUE_MAX,
  PROGRAMME_MAX_MONTHS,
  parseProgrammeFilter,
  programmeOverview,
  releaseProgrammeFigure,
} from './programme.js';

// Texts people read: the member pages and the sign-in mails
export {
  EVALUATION_QUESTION_TEXTS,
  type EvaluationQuestionText,
  fillText,
  GIVE_GET_BALANCED_TEXT,
  HEALTH_BAND_LABELS,
  LIFECYCLE_STATUS_LABELS,
  MEMBER_LANGUAGES,
  MEMBER_TEXTS,
  type MemberLanguage,
  type MemberTextKey,
  TREND_DIRECTION_LABELS,
} from './member-texts.js';
export {
  emailChangedMail,
  type LocalizedMail,
  type MailLanguage,
  mailLanguage,
  signInLinkMail,
} from './sign-in-texts.js';
