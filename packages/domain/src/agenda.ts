/**
 * The agenda of a meeting and each member's airtime. The seed's first prerequisite (udbytte):
 * "Alle skal have noget ud af at være i netværket" — members who feel they "work" more for others
 * than for themselves withdraw. So every member gets airtime for their own dilemma over a cycle,
 * and `proposeNextCases` proposes whose case is next, with the reason.
 */
import type { LeaderId } from './leader.js';
import { compareIds } from './network-membership.js';
import { FieldReader } from './parse.js';
import { err, ok, type Result } from './result.js';
import { type LocalizedText, text } from './text.js';
import type { ValidationFailure } from './validation.js';

/**
 * The kinds of agenda item. A `dilemma` is a member's own case (the seed's "vende dilemmaer");
 * `strategic_theme` the seed's "inspiration på det strategiske felt"; `reflection` its "se på sig
 * selv og sin ledelse med friske øjne"; `check_in` the round that opens a meeting.
 */
export const AGENDA_ITEM_KINDS = ['dilemma', 'strategic_theme', 'reflection', 'check_in'] as const;
export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number];
export const AGENDA_ITEM_KIND_LABELS: Readonly<Record<AgendaItemKind, LocalizedText>> = {
  dilemma: text('Dilemma / case', 'Dilemma / case'),
  strategic_theme: text('Strategisk tema', 'Strategic theme'),
  reflection: text('Refleksion', 'Reflection'),
  check_in: text('Check-in', 'Check-in'),
};

/** One item of a meeting's agenda: who brings it, what it is called, what kind it is. */
export interface AgendaItem {
  readonly ownerId: LeaderId;
  readonly title: string;
  readonly kind: AgendaItemKind;
}

/** Limits: a title fits a line; 12 items is more than any 8-hour meeting can hold. */
export const AGENDA_LIMITS = { titleMax: 200, itemsMax: 12 } as const;

/**
 * Validates an agenda: a list of `{ ownerId, title, kind }`. `memberIds`, when given, are the
 * network's active members; every owner must be one of them. Never throws.
 */
export function parseAgenda(
  input: unknown,
  memberIds?: readonly LeaderId[],
): Result<AgendaItem[], ValidationFailure> {
  const r = new FieldReader({ items: input });
  const items = r.array('items', { max: AGENDA_LIMITS.itemsMax }, (item, path) => {
    const a = new FieldReader(item, path, r.issues);
    a.rejectUnknown(['ownerId', 'title', 'kind']);
    const ownerId = a.string('ownerId', { max: 100 });
    if (ownerId !== undefined && memberIds !== undefined && !memberIds.includes(ownerId))
      return void a.fail('ownerId', 'invalid_reference', 'an active member of the network');
    const title = a.string('title', { max: AGENDA_LIMITS.titleMax });
    const kind = a.oneOf('kind', AGENDA_ITEM_KINDS);
    return ownerId && title && kind ? { ownerId, title, kind } : undefined;
  });
  if (r.issues.length > 0)
    return err({
      code: 'validation_failed',
      issues: r.issues.map((i) => ({ ...i, path: i.path.replace(/^items/, '') })),
    });
  return ok(items!);
}

/** A dilemma a member brought to a held meeting: one unit of airtime. */
export interface PresentedCase {
  readonly meetingSequence: number;
  readonly ownerId: LeaderId;
}

/** The presented cases of past meetings: every `dilemma` item, by its owner. */
export function presentedCases(
  meetings: readonly { readonly meetingSequence: number; readonly agenda: readonly AgendaItem[] }[],
): PresentedCase[] {
  return meetings.flatMap((m) =>
    m.agenda
      .filter((item) => item.kind === 'dilemma')
      .map((item) => ({ meetingSequence: m.meetingSequence, ownerId: item.ownerId })),
  );
}

/**
 * Default number of members' own cases per meeting. Ours: the default 180-minute meeting, less a
 * check-in and a closing reflection, leaves about two hour-long dilemma rounds (action-learning
 * sets give each presenter a block of undivided airtime rather than many short slots). The seed's
 * 12-member network meeting monthly then gives everyone their own case every 6 months.
 */
export const DEFAULT_CASES_PER_MEETING = 2;

/**
 * Meetings in one airtime cycle: `⌈members ÷ cases per meeting⌉`, the fewest meetings in which
 * every member can present once (0 for no members).
 */
export function airtimeCycleLength(memberCount: number, casesPerMeeting = DEFAULT_CASES_PER_MEETING): number {
  return memberCount <= 0 ? 0 : Math.ceil(memberCount / Math.max(1, Math.floor(casesPerMeeting)));
}

/** One member's airtime so far. */
export interface MemberAirtime {
  readonly memberId: LeaderId;
  readonly ownCases: number;
  /** The meeting of their latest case, or null when they have not presented yet. */
  readonly lastCase: number | null;
}

/** The airtime of each member (only those in `memberIds`), sorted by member id. */
export function memberAirtime(
  memberIds: readonly LeaderId[],
  cases: readonly PresentedCase[],
): MemberAirtime[] {
  return [...new Set(memberIds)].sort(compareIds).map((memberId) => {
    const own = cases.filter((c) => c.ownerId === memberId);
    return {
      memberId,
      ownCases: own.length,
      lastCase: own.length === 0 ? null : Math.max(...own.map((c) => c.meetingSequence)),
    };
  });
}

/**
 * Where the current airtime cycle stands: round = fewest own cases among members + 1; `waiting`
 * are the members who have not yet presented in this round (own cases = the fewest). When
 * `waiting` empties, everyone has had airtime and the next round begins.
 */
export function airtimeRound(
  memberIds: readonly LeaderId[],
  cases: readonly PresentedCase[],
): { readonly round: number; readonly waiting: readonly LeaderId[] } {
  const airtime = memberAirtime(memberIds, cases);
  if (airtime.length === 0) return { round: 1, waiting: [] };
  const fewest = Math.min(...airtime.map((a) => a.ownCases));
  return { round: fewest + 1, waiting: airtime.filter((a) => a.ownCases === fewest).map((a) => a.memberId) };
}

/** A proposal: this member's case is next, and why. */
export interface CaseProposal extends MemberAirtime {
  readonly reason: LocalizedText;
}

/**
 * Proposes whose cases the next meeting should take: `count` members (default 2) from those in
 * `memberIds` who did not cancel, ordered by fewest own cases, then earliest last case (never
 * presented comes first), then member id. Over meetings this gives every always-available member
 * airtime within one cycle of every other: their case counts never differ by more than 1.
 */
export function proposeNextCases(args: {
  readonly memberIds: readonly LeaderId[];
  readonly unavailable: readonly LeaderId[];
  readonly cases: readonly PresentedCase[];
  readonly count?: number;
}): CaseProposal[] {
  const count = args.count ?? DEFAULT_CASES_PER_MEETING;
  const available = memberAirtime(args.memberIds, args.cases).filter(
    (a) => !args.unavailable.includes(a.memberId),
  );
  const fewest = Math.min(...available.map((a) => a.ownCases));
  return available
    .sort(
      (a, b) =>
        a.ownCases - b.ownCases ||
        (a.lastCase ?? -1) - (b.lastCase ?? -1) ||
        compareIds(a.memberId, b.memberId),
    )
    .slice(0, Math.max(0, count))
    .map((a) => ({ ...a, reason: caseReason(a, fewest, available.length) }));
}

function caseReason(a: MemberAirtime, fewest: number, availableCount: number): LocalizedText {
  const last =
    a.lastCase === null
      ? text('har ikke haft en egen sag endnu', 'has not had a case of their own yet')
      : text(
          `havde sidst en egen sag ved møde ${a.lastCase}`,
          `last had a case of their own at meeting ${a.lastCase}`,
        );
  return a.ownCases === fewest
    ? text(
        `Færrest egne sager (${a.ownCases}) blandt de ${availableCount} medlemmer, der kan deltage; ${last.da}.`,
        `Fewest own cases (${a.ownCases}) among the ${availableCount} members who can attend; ${last.en}.`,
      )
    : text(
        `Alle med færre egne sager er allerede foreslået; egne sager indtil nu: ${a.ownCases}; ${last.da}.`,
        `Everyone with fewer own cases is already proposed; own cases so far: ${a.ownCases}; ${last.en}.`,
      );
}
