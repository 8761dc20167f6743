/**
 * Signals: named, evidenced warnings read from a network's held meetings (product rules), each with
 * a stable code, a severity, the numbers that justify it, its audience (the network, or one member
 * only) and guidance in Danish and English. Time is an argument (`now`), never read here.
 */
import { attendanceRatesByMember, latestMeetings } from './attendance.js';
import { minimumResponses } from './confidentiality.js';
import { mean, onePerMember } from './evaluation.js';
import {
  answersByMember,
  computeHealth,
  DEFAULT_HEALTH_WINDOW,
  type HealthOptions,
  type HealthReport,
  type HeldMeeting,
  MOSTLY_GIVING_MAX_BALANCE,
  releaseStateOf,
} from './health.js';
import { withDefaults } from './parameters.js';
import { type LocalizedText, text } from './text.js';

export const SIGNAL_CODES = [
  'many_cancellations',
  'member_at_risk_of_withdrawing',
  'low_energy',
  'purpose_drift',
  'relations_strain',
  'social_only_drift',
  'evaluation_overdue',
  'low_response_rate',
] as const;
export type SignalCode = (typeof SIGNAL_CODES)[number];

/** How urgent a signal is: info (look at it), warning (act before the next review), critical (act now). */
export const SIGNAL_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type SignalSeverity = (typeof SIGNAL_SEVERITIES)[number];

/** Who a signal is about and for: the whole network, or one member only. */
export type SignalAudience =
  | { readonly kind: 'network' }
  | { readonly kind: 'member'; readonly memberId: string };

export interface Signal {
  readonly code: SignalCode;
  readonly severity: SignalSeverity;
  readonly audience: SignalAudience;
  /** The numbers that justify the signal, each by name (rates are 0–1, means on the answer scale). */
  readonly evidence: Readonly<Record<string, number>>;
  readonly title: LocalizedText;
  readonly guidance: LocalizedText;
}

/**
 * The thresholds of the signals. Each field's doc gives its default's value and source;
 * {@link DEFAULT_SIGNAL_PARAMETERS} holds them. The functions below take a partial object of a
 * caller's own values (the `signalParameters` option); what is left out keeps the default.
 */
export interface SignalParameters {
  /**
   * Many cancellations: over 25 % of expected attendance cancelled in the window. Source: a product
   * rule (docs/method.md), the default for the seed's off-track sign, "Er der mange afbud, kan det
   * være tegn på, at I er på vildspor".
   */
  readonly manyCancellationsRate: number;
  /** From 40 % (two seats in five empty) the signal is critical: the meetings barely happen. */
  readonly manyCancellationsCriticalRate: number;
  /**
   * A member is at risk of withdrawing when their mean benefit is at most 2.5 (below the neutral 3,
   * leaning to "I got little"); the seed: members who get nothing out of it "vil trække sig".
   */
  readonly atRiskBenefitMax: number;
  /** … or when they were absent (cancelled or no-show) at least twice in the window ("repeated"). */
  readonly atRiskAbsencesMin: number;
  /**
   * Low energy: mean energy below 3, the neutral midpoint: members leave with less energy than they
   * came with, the opposite of the seed's "gå fra et møde med mere energi".
   */
  readonly lowEnergyMean: number;
  /** Purpose drift: mean purpose fit below the neutral 3 … */
  readonly purposeDriftMean: number;
  /**
   * … or a purpose-fit spread (standard deviation) of at least 1.0: answers span three or more
   * scale points, so the group no longer agrees what it wants (the seed: "holde fast i, at I er
   * enige om, hvad I vil med netværket").
   */
  readonly purposeDriftSpread: number;
  /** Relations strain: mean relations and trust below the neutral 3 (a confidential room needs trust). */
  readonly relationsStrainMean: number;
  /**
   * Social-only drift: relations high (mean at least 4, "agree") while benefit stays below
   * {@link SignalParameters.socialOnlyBenefitMax}: the group enjoys itself but the seed's purpose
   * "skal altid være mere end socialt".
   */
  readonly socialOnlyRelationsMin: number;
  /** … and benefit below 3.5 (short of "agree"). */
  readonly socialOnlyBenefitMax: number;
  /**
   * Days after a meeting's start within which its evaluations are expected. A week: the meeting is
   * still fresh, and it leaves time before the next meeting (at most monthly, the seed's cadences).
   * `SignalOptions.evaluationDueDays`, when given, takes its place.
   */
  readonly evaluationDueDays: number;
  /**
   * Low response rate: fewer than 60 % of the members who could answer did so, over the window's
   * meetings whose evaluation period has ended. Below that the numbers speak for a minority.
   */
  readonly lowResponseRate: number;
}

/** The signal thresholds of the method (each value's source is on its field, {@link SignalParameters}). */
export const DEFAULT_SIGNAL_PARAMETERS: SignalParameters = Object.freeze({
  manyCancellationsRate: 0.25,
  manyCancellationsCriticalRate: 0.4,
  atRiskBenefitMax: 2.5,
  atRiskAbsencesMin: 2,
  lowEnergyMean: 3,
  purposeDriftMean: 3,
  purposeDriftSpread: 1,
  relationsStrainMean: 3,
  socialOnlyRelationsMin: 4,
  socialOnlyBenefitMax: 3.5,
  evaluationDueDays: 7,
  lowResponseRate: 0.6,
});

/** Signal parameters: the defaults with the caller's values in their place. */
export const signalParameters = (parameters: Partial<SignalParameters> = {}): SignalParameters =>
  withDefaults(DEFAULT_SIGNAL_PARAMETERS, parameters);

/**
 * A member is also at risk of withdrawing when they mostly give: mean give/get at most −1
 * (health.ts's MOSTLY_GIVING_MAX_BALANCE).
 */
export const AT_RISK_GIVE_GET_MAX = MOSTLY_GIVING_MAX_BALANCE;

const DAY_MS = 86_400_000;

export const SIGNAL_TITLES: Readonly<Record<SignalCode, LocalizedText>> = {
  many_cancellations: text('Mange afbud', 'Many cancellations'),
  member_at_risk_of_withdrawing: text('Risiko for at trække sig', 'At risk of withdrawing'),
  low_energy: text('Lav energi efter møderne', 'Low energy after meetings'),
  purpose_drift: text('Målsætningen glider', 'Purpose drift'),
  relations_strain: text('Pres på relationerne', 'Strained relations'),
  social_only_drift: text('Mest socialt', 'Drifting to social only'),
  evaluation_overdue: text('Evalueringen mangler', 'Evaluation overdue'),
  low_response_rate: text('Få besvarelser', 'Low response rate'),
};

export const SIGNAL_GUIDANCE: Readonly<Record<SignalCode, LocalizedText>> = {
  many_cancellations: text(
    'Mange afbud kan være tegn på, at I er på vildspor. Tal om, hvorvidt mødetidspunkt, hyppighed og form passer jer, og om netværket stadig giver jer det, I søgte.',
    'Many cancellations can be a sign that you are off track. Talk about whether the time, cadence and format suit you, and whether the network still gives you what you came for.',
  ),
  // The general text; each member's signal carries its own, from what holds for them
  // (withdrawalRiskGuidance).
  member_at_risk_of_withdrawing: text(
    'Du ser ud til at få mindre ud af netværket, end du lægger i det. Overvej at sige det højt: hvad har du brug for, og hvad vil du gerne have sparring på næste gang?',
    'You seem to get less out of the network than you put in. Consider saying so: what do you need, and what would you like sparring on next time?',
  ),
  low_energy: text(
    'I går fra møderne med mindre energi, end I kom med. Se på mødets længde og form: er der plads til jeres egne dilemmaer?',
    'You leave meetings with less energy than you came with. Look at the length and format: is there room for your own dilemmas?',
  ),
  purpose_drift: text(
    'I er ikke længere enige om, hvad I vil med netværket. Tag kontrakten frem og bliv enige om målsætningen igen.',
    'You no longer agree on what you want from the network. Revisit your contract (charter) and agree on the purpose again.',
  ),
  relations_strain: text(
    'Tilliden i gruppen er under pres. Et fortroligt rum kræver tillid: giv plads til check-in, og overvej at mødes fysisk.',
    'Trust in the group is under strain. A confidential room needs trust: make room for check-ins and consider meeting in person.',
  ),
  social_only_drift: text(
    'Relationerne er gode, men udbyttet halter. Formålet skal altid være mere end socialt: sæt dilemmaer og strategiske temaer på dagsordenen.',
    'Relations are good but the benefit lags. The purpose must always be more than social: put dilemmas and strategic themes on the agenda.',
  ),
  evaluation_overdue: text(
    'Det seneste møde er ikke evalueret af nok medlemmer. Løbende evaluering holder jer på sporet: minde medlemmerne om at svare.',
    'Too few members have evaluated the latest meeting. Continuous evaluation keeps you on track: remind members to answer.',
  ),
  low_response_rate: text(
    'Færre end 6 ud af 10 svarer på evalueringerne, så tallene taler for et mindretal. Aftal, hvornår I evaluerer, fx de sidste fem minutter af mødet.',
    'Fewer than 6 in 10 answer the evaluations, so the numbers speak for a minority. Agree when you evaluate, e.g. the last five minutes of the meeting.',
  ),
};

/**
 * Why a member is at risk of withdrawing, each a rule of {@link memberSignals}: low benefit (mean
 * benefit ≤ {@link SignalParameters.atRiskBenefitMax}), mostly giving (mean give/get ≤
 * {@link AT_RISK_GIVE_GET_MAX}), often absent (≥ {@link SignalParameters.atRiskAbsencesMin}
 * cancellations or no-shows in the window).
 */
export const AT_RISK_REASONS = ['low_benefit', 'mostly_giving', 'often_absent'] as const;
export type AtRiskReason = (typeof AT_RISK_REASONS)[number];

/**
 * The reasons that hold, read from a member signal's evidence (in {@link AT_RISK_REASONS} order),
 * under the thresholds the signal was made with.
 */
export function atRiskReasons(
  evidence: Readonly<Record<string, number>>,
  parameters: Partial<SignalParameters> = {},
): AtRiskReason[] {
  const p = signalParameters(parameters);
  const holds: Record<AtRiskReason, boolean> = {
    low_benefit: evidence.meanBenefit !== undefined && evidence.meanBenefit <= p.atRiskBenefitMax,
    mostly_giving: evidence.meanGiveGet !== undefined && evidence.meanGiveGet <= AT_RISK_GIVE_GET_MAX,
    often_absent: (evidence.absences ?? 0) >= p.atRiskAbsencesMin,
  };
  return AT_RISK_REASONS.filter((r) => holds[r]);
}

/** Who reads a withdrawal-risk signal's guidance: the member it is about, or (shared) the facilitator. */
export type WithdrawalRiskReader = 'member' | 'facilitator';

/**
 * What the reader can do about each reason. For the member (the seed: members who "arbejder mere
 * for andre end for sig selv … vil trække sig", and the network is theirs to shape): say what they
 * need, bring their own dilemma, say when the time does not suit them. For the facilitator, once
 * the member shared the signal: the same, as what to offer them, in private.
 */
export const AT_RISK_ACTIONS: Readonly<
  Record<WithdrawalRiskReader, Readonly<Record<AtRiskReason, LocalizedText>>>
> = {
  member: {
    low_benefit: text(
      'Du får lidt ud af møderne: sig på næste møde, hvad du har brug for, og sæt et emne eller dilemma af dine egne på dagsordenen.',
      'You get little out of the meetings: say at the next meeting what you need, and put a topic or dilemma of your own on the agenda.',
    ),
    mostly_giving: text(
      'Du giver mest og får lidt: tag et dilemma af dine egne med næste gang, og bed gruppen om sparring på det.',
      'You mostly give: bring a dilemma of your own next time, and ask the group for sparring on it.',
    ),
    often_absent: text(
      'Du har meldt afbud eller manglet flere gange: passer tidspunktet eller hyppigheden dig ikke, så sig det, for netværket kan ændre det ved sin evaluering.',
      'You have missed several meetings: if the time or cadence does not suit you, say so, since the network can change it at its review.',
    ),
  },
  facilitator: {
    low_benefit: text(
      'Medlemmet får lidt ud af møderne: spørg, hvad de har brug for, og giv plads til et emne af deres egne.',
      'The member gets little out of the meetings: ask what they need, and make room for a topic of their own.',
    ),
    mostly_giving: text(
      'Medlemmet giver mest og får lidt: sørg for, at de får tid til et dilemma af deres egne.',
      'The member mostly gives: make sure they get time for a dilemma of their own.',
    ),
    often_absent: text(
      'Medlemmet har meldt afbud eller manglet flere gange: spørg, om tidspunkt og hyppighed passer dem.',
      'The member has missed several meetings: ask whether the time and cadence suit them.',
    ),
  },
};

/** The opening and closing lines of a withdrawal-risk signal's guidance, by reader. */
export const AT_RISK_GUIDANCE_FRAME: Readonly<
  Record<WithdrawalRiskReader, { readonly lead: LocalizedText; readonly close: LocalizedText }>
> = {
  member: {
    lead: text(
      'Dine egne svar eller dit fremmøde tyder på, at netværket ikke giver dig nok lige nu. Signalet er dit: andre ser det kun, hvis du deler det med facilitatoren.',
      'Your own answers or attendance suggest the network is not giving you enough right now. The signal is yours: others see it only if you share it with the facilitator.',
    ),
    close: text(
      'Tal med facilitatoren om, hvad der skal til, for at netværket er din tid værd.',
      'Talk to the facilitator about what it would take for the network to be worth your time.',
    ),
  },
  facilitator: {
    lead: text(
      'Et medlem har delt med dig, at de er i risiko for at trække sig.',
      'A member has shared with you that they are at risk of withdrawing.',
    ),
    close: text(
      'Tal med medlemmet under fire øjne: signalet er deres, så tag det ikke op i gruppen.',
      'Talk with the member in private: the signal is theirs, so do not raise it in the group.',
    ),
  },
};

/** A withdrawal-risk signal's guidance for one reader: the reasons that hold and one action for each. */
export interface WithdrawalRiskGuidance {
  readonly reasons: readonly AtRiskReason[];
  readonly lead: LocalizedText;
  /** One action per reason, in {@link AT_RISK_REASONS} order. */
  readonly actions: readonly LocalizedText[];
  readonly close: LocalizedText;
  /** Lead, actions and close as one text (the signal's `guidance` for the member). */
  readonly text: LocalizedText;
}

/**
 * The guidance on a withdrawal-risk signal for its reader, from its evidence: a lead, an action for
 * each reason that holds ({@link AT_RISK_ACTIONS}), and a close (talk to the facilitator; for the
 * facilitator, talk in private).
 */
export function withdrawalRiskGuidance(
  evidence: Readonly<Record<string, number>>,
  reader: WithdrawalRiskReader = 'member',
  parameters: Partial<SignalParameters> = {},
): WithdrawalRiskGuidance {
  const reasons = atRiskReasons(evidence, parameters);
  const { lead, close } = AT_RISK_GUIDANCE_FRAME[reader];
  const actions = reasons.map((r) => AT_RISK_ACTIONS[reader][r]);
  const join = (lang: 'da' | 'en') => [lead, ...actions, close].map((x) => x[lang]).join(' ');
  return { reasons, lead, actions, close, text: text(join('da'), join('en')) };
}

const NETWORK: SignalAudience = { kind: 'network' };

const signal = (
  code: SignalCode,
  severity: SignalSeverity,
  evidence: Record<string, number>,
  audience: SignalAudience = NETWORK,
): Signal => ({
  code,
  severity,
  audience,
  evidence,
  title: SIGNAL_TITLES[code],
  guidance: SIGNAL_GUIDANCE[code],
});

/** Options for signals: those of health, plus when evaluations are due and the thresholds. */
export interface SignalOptions extends HealthOptions {
  /** Days after a meeting by which its evaluations are due (default {@link SignalParameters.evaluationDueDays}). */
  readonly evaluationDueDays?: number;
  /** The caller's own thresholds (default {@link DEFAULT_SIGNAL_PARAMETERS}). */
  readonly signalParameters?: Partial<SignalParameters>;
}

/** Members who could evaluate a meeting: expected there and neither cancelled nor a no-show. */
const eligibleCount = (m: HeldMeeting): number =>
  m.attendance.filter((a) => a.status !== 'cancelled' && a.status !== 'no_show').length;

/**
 * The network-level signals read from a health report (aggregates over ≥ k answers only, so the
 * evidence is as confidential as the report).
 */
export function networkSignals(health: HealthReport, parameters: Partial<SignalParameters> = {}): Signal[] {
  const p = signalParameters(parameters);
  const out: Signal[] = [];
  const a = health.attendance;
  if (a.expected > 0 && a.cancellationRate > p.manyCancellationsRate) {
    out.push(
      signal(
        'many_cancellations',
        a.cancellationRate >= p.manyCancellationsCriticalRate ? 'critical' : 'warning',
        {
          cancellationRate: a.cancellationRate,
          lateCancellationRate: a.lateCancellationRate,
          noShowRate: a.noShowRate,
          cancellations: a.cancellations,
          expected: a.expected,
          meetings: a.meetings,
          threshold: p.manyCancellationsRate,
        },
      ),
    );
  }
  const m = health.measures;
  if (m === null) return out;
  if (m.meanEnergy < p.lowEnergyMean)
    out.push(signal('low_energy', 'warning', { meanEnergy: m.meanEnergy, threshold: p.lowEnergyMean }));
  if (m.meanPurposeFit < p.purposeDriftMean || m.purposeSpread >= p.purposeDriftSpread)
    out.push(
      signal('purpose_drift', 'warning', {
        meanPurposeFit: m.meanPurposeFit,
        purposeSpread: m.purposeSpread,
        meanThreshold: p.purposeDriftMean,
        spreadThreshold: p.purposeDriftSpread,
      }),
    );
  if (m.meanRelations < p.relationsStrainMean)
    out.push(
      signal('relations_strain', 'warning', {
        meanRelations: m.meanRelations,
        threshold: p.relationsStrainMean,
      }),
    );
  if (m.meanRelations >= p.socialOnlyRelationsMin && m.meanBenefit < p.socialOnlyBenefitMax)
    out.push(
      signal('social_only_drift', 'warning', {
        meanRelations: m.meanRelations,
        meanBenefit: m.meanBenefit,
        relationsThreshold: p.socialOnlyRelationsMin,
        benefitThreshold: p.socialOnlyBenefitMax,
      }),
    );
  return out;
}

/**
 * Member-specific signals: a member at risk of withdrawing, from their own answers (mean benefit,
 * mean give/get) and their own absences in the window. Critical when two or more reasons hold.
 * Its guidance is the member's own ({@link withdrawalRiskGuidance}): an action for each reason.
 * Audience: that member only (see {@link visibleSignals}).
 */
export function memberSignals(meetings: readonly HeldMeeting[], options: SignalOptions = {}): Signal[] {
  const p = signalParameters(options.signalParameters);
  const window = latestMeetings(meetings, options.window ?? DEFAULT_HEALTH_WINDOW);
  const answers = answersByMember(window.flatMap((m) => onePerMember(m.evaluations)));
  const rates = attendanceRatesByMember(window, { window: window.length, noticeHours: options.noticeHours });
  const ids = [...new Set([...answers.keys(), ...rates.keys()])].sort();
  const out: Signal[] = [];
  for (const memberId of ids) {
    const own = answers.get(memberId) ?? [];
    const r = rates.get(memberId);
    const absences = (r?.cancellations ?? 0) + (r?.noShows ?? 0);
    const evidence: Record<string, number> = { answers: own.length, absences };
    let reasons = 0;
    if (own.length > 0) {
      evidence.meanBenefit = mean(own.map((e) => e.benefit));
      evidence.meanGiveGet = mean(own.map((e) => e.giveGet));
      if (evidence.meanBenefit <= p.atRiskBenefitMax) reasons++;
      if (evidence.meanGiveGet <= AT_RISK_GIVE_GET_MAX) reasons++;
    }
    if (absences >= p.atRiskAbsencesMin) reasons++;
    if (reasons === 0) continue;
    out.push({
      ...signal('member_at_risk_of_withdrawing', reasons >= 2 ? 'critical' : 'warning', evidence, {
        kind: 'member',
        memberId,
      }),
      guidance: withdrawalRiskGuidance(evidence, 'member', p).text,
    });
  }
  return out;
}

/**
 * How many members are at risk of withdrawing, counted as the network may see it: the rule of
 * {@link memberSignals} over RELEASED answers only (confidentiality.ts's release rule at `now`; an
 * answer still open or pooling counts nothing, so two counts differ by whole releases) and the
 * window's attendance. Never shown as it is: see {@link discloseMembersAtRisk}.
 */
export interface MembersAtRisk {
  /** Members with a withdrawal-risk signal from released answers and attendance. */
  readonly atRisk: number;
  /**
   * Of them, those flagged by their answers and not also by their absences. Who was absent is
   * known per member (attendance is not private), so this is the part of the count that only the
   * answers tell.
   */
  readonly byAnswersOnly: number;
  /** The largest k the releases read were released under (0 when none was read). */
  readonly releasedUnder: number;
}

export function membersAtRisk(
  meetings: readonly HeldMeeting[],
  now: Date,
  options: SignalOptions = {},
): MembersAtRisk {
  const state = releaseStateOf(meetings, { ...options, now });
  const releaseOf = (m: HeldMeeting) => {
    const status = state.byMeeting.get(m.meetingId);
    return status?.state === 'released' ? status.release : null;
  };
  const released = meetings.map((m) => (releaseOf(m) ? m : { ...m, evaluations: [] }));
  const flagged = memberSignals(released, options);
  const window = latestMeetings(meetings, options.window ?? DEFAULT_HEALTH_WINDOW);
  return {
    atRisk: flagged.length,
    byAnswersOnly: flagged.filter(
      (s) => !atRiskReasons(s.evidence, options.signalParameters).includes('often_absent'),
    ).length,
    releasedUnder: Math.max(0, ...window.map((m) => releaseOf(m)?.minimum ?? 0)),
  };
}

/**
 * The count of members at risk as it may be shown (a review's evidence), or null. Shown only when
 * it is at least k AND the part only the answers tell ({@link MembersAtRisk.byAnswersOnly}) is 0 or
 * at least k: attendance is known per member, so the count minus those absent twice must not be a
 * count below k either (the same guard as a filter's remainder in confidentiality.ts). k is the
 * larger of the network's k and the k the releases were made under, so lowering k later reveals
 * nothing. Below that, nothing: not the count, not that there are any.
 */
export function discloseMembersAtRisk(count: MembersAtRisk, k?: number): number | null {
  const threshold = Math.max(minimumResponses(k), count.releasedUnder);
  if (count.atRisk < threshold) return null;
  if (count.byAnswersOnly > 0 && count.byAnswersOnly < threshold) return null;
  return count.atRisk;
}

/**
 * Evaluation signals, which need `now`. Overdue: {@link SignalParameters.evaluationDueDays} days
 * after the latest meeting, it is not released and the answers waiting for release (its own and
 * those of the rounds pooling with it) come from fewer than k members. Low response rate: fewer
 * than {@link SignalParameters.lowResponseRate} of eligible members answered the window's closed
 * rounds. Neither carries a count or a rate in its evidence (no number below k anywhere): only the
 * threshold.
 */
export function evaluationSignals(
  meetings: readonly HeldMeeting[],
  now: Date,
  options: SignalOptions = {},
): Signal[] {
  const p = signalParameters(options.signalParameters);
  const k = minimumResponses(options.minimumResponses);
  const dueMs = (options.evaluationDueDays ?? p.evaluationDueDays) * DAY_MS;
  const window = latestMeetings(meetings, options.window ?? DEFAULT_HEALTH_WINDOW);
  const state = releaseStateOf(meetings, { ...options, now });
  const out: Signal[] = [];
  const latest = window.at(-1);
  if (latest && now.getTime() - latest.startsAt.getTime() >= dueMs) {
    const status = state.byMeeting.get(latest.meetingId);
    if (status?.state !== 'released') {
      // The rounds that may still be released with it: not released, and frozen at no higher k
      // (a round under a higher k that it does not complete is set aside: confidentiality.ts).
      const latestK = latest.minimumResponses ?? k;
      const waiting = meetings.filter(
        (m) => state.byMeeting.get(m.meetingId)?.state !== 'released' && (m.minimumResponses ?? k) <= latestK,
      );
      const respondents = new Set(waiting.flatMap((m) => onePerMember(m.evaluations).map((e) => e.memberId)));
      const minimum = Math.max(k, latestK);
      if (respondents.size < minimum)
        out.push(
          signal('evaluation_overdue', 'info', {
            minimum,
            daysSinceMeeting: Math.floor((now.getTime() - latest.startsAt.getTime()) / DAY_MS),
          }),
        );
    }
  }
  const closed = window.filter((m) => state.byMeeting.get(m.meetingId)?.state !== 'open');
  const eligible = closed.reduce((s, m) => s + eligibleCount(m), 0);
  const responses = closed.reduce((s, m) => s + onePerMember(m.evaluations).length, 0);
  if (eligible > 0 && responses / eligible < p.lowResponseRate)
    out.push(signal('low_response_rate', 'info', { threshold: p.lowResponseRate }));
  return out;
}

const SEVERITY_RANK: Readonly<Record<SignalSeverity, number>> = { critical: 0, warning: 1, info: 2 };

/** Orders signals: most severe first, then by code, then network before member, then member id. */
export function sortSignals(signals: readonly Signal[]): Signal[] {
  const key = (s: Signal) => (s.audience.kind === 'network' ? '' : s.audience.memberId);
  return [...signals].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      SIGNAL_CODES.indexOf(a.code) - SIGNAL_CODES.indexOf(b.code) ||
      key(a).localeCompare(key(b)),
  );
}

/** Health and every signal for a network's held meetings, at `now`. */
export interface NetworkAssessment {
  readonly health: HealthReport;
  readonly signals: readonly Signal[];
  /** How many members are at risk of withdrawing (released answers only), for the review. */
  readonly membersAtRisk: MembersAtRisk;
}

/**
 * Assesses a network: its health report and all its signals (network and member), sorted. The one
 * entry point the service and library callers share. Never throws.
 */
export function assessNetwork(
  meetings: readonly HeldMeeting[],
  now: Date,
  options: SignalOptions = {},
): NetworkAssessment {
  const health = computeHealth(meetings, { ...options, now });
  return {
    health,
    signals: sortSignals([
      ...networkSignals(health, options.signalParameters),
      ...memberSignals(meetings, options),
      ...evaluationSignals(meetings, now, options),
    ]),
    membersAtRisk: membersAtRisk(meetings, now, options),
  };
}

/** Who is looking at signals. */
export type SignalViewer =
  | { readonly role: 'member'; readonly memberId: string }
  /** The network's facilitator; a member facilitator also gives their own member id. */
  | { readonly role: 'facilitator'; readonly memberId: string | null }
  /** The HR platform's admin key: never sees a member-specific signal. */
  | { readonly role: 'admin' };

/** Who may see member-specific signals besides the member. */
export interface SignalVisibilityPolicy {
  /** The tenant's policy: may a facilitator see member signals at all (default no). */
  readonly facilitatorMaySeeMemberSignals: boolean;
  /** Members who consented to their facilitator seeing their signals. */
  readonly consentingMemberIds: readonly string[];
}

/** The default policy: nobody but the member sees a member's signal. */
export const PRIVATE_SIGNAL_POLICY: SignalVisibilityPolicy = {
  facilitatorMaySeeMemberSignals: false,
  consentingMemberIds: [],
};

/**
 * The signals a viewer may see (product rules, Confidentiality). Network signals: everyone. A
 * member-specific signal: that member; the facilitator only when the tenant's policy AND the
 * member's consent both allow it; an admin (HR key) never.
 */
export function visibleSignals(
  signals: readonly Signal[],
  viewer: SignalViewer,
  policy: SignalVisibilityPolicy = PRIVATE_SIGNAL_POLICY,
): Signal[] {
  return signals.filter((s) => {
    if (s.audience.kind === 'network') return true;
    const about = s.audience.memberId;
    if (viewer.role === 'member') return viewer.memberId === about;
    if (viewer.role === 'facilitator')
      return (
        viewer.memberId === about ||
        (policy.facilitatorMaySeeMemberSignals && policy.consentingMemberIds.includes(about))
      );
    return false;
  });
}
