/**
 * Demo data: a new tenant with the seed's network of 12 leaders part-way through its life — charter
 * accepted by all, a trial of three monthly meetings held with afbud (late ones among them), a
 * no-show and evaluations, the fourth meeting planned — so the review is due: health AND a
 * recommendation are there at once.
 *
 * Everything goes through the service's own REST routes (`app.inject`), with the same validation,
 * authorisation, domain rules and transactions as any client: no row is written around them.
 * Because the service takes `now` from the clock, history is loaded the way the walkthrough does
 * it: the meeting model starts about 80 days ago, so three meetings lie in the past (they can be
 * marked held) and the fourth in the future. Every afbud for a past meeting is sent now, after the
 * meeting started, so the domain counts it as late; the afbud for the coming meeting is on time.
 */
import type { FastifyInstance } from 'fastify';
import { createTenant } from '../tenants/tenant.repository.js';

const DAY_MS = 86_400_000;

/** The 12 leaders: the seed's network had 12, from several sectors, levels and organisations. */
export const DEMO_LEADERS = [
  ['Mette Jensen', 'public', 'Aarhus Kommune', 'middle', 8, ['people_leadership', 'dilemma_sparring']],
  ['Jonas Holm', 'private', 'Havnens Byggeri A/S', 'middle', 5, ['dilemma_sparring', 'strategy']],
  ['Aisha Rahimi', 'public', 'Region Midtjylland', 'senior', 14, ['strategy', 'self_reflection']],
  ['Peter Lund', 'private', 'Nordlys Energi A/S', 'first_line', 3, ['people_leadership', 'learning']],
  ['Karen Møller', 'ngo', 'Frivilligcenter Aarhus', 'middle', 10, ['self_reflection', 'dilemma_sparring']],
  ['Lars Vestergaard', 'public', 'Aarhus Universitet', 'senior', 20, ['strategy', 'people_leadership']],
  ['Sofie Kristensen', 'private', 'Kvist Software ApS', 'first_line', 2, ['people_leadership', 'learning']],
  ['Henrik Dahl', 'public', 'Skanderborg Kommune', 'executive', 22, ['strategy', 'self_reflection']],
  ['Fatima Ali', 'private', 'Marselis Hotel A/S', 'middle', 7, ['dilemma_sparring', 'people_leadership']],
  ['Niels Bach', 'public', 'Aarhus Tech', 'middle', 12, ['dilemma_sparring', 'learning']],
  ['Bo Svendsen', 'private', 'Jydsk Logistik A/S', 'senior', 16, ['strategy', 'dilemma_sparring']],
  [
    'Camilla Friis',
    'ngo',
    'Kirkens Korshær Aarhus',
    'first_line',
    4,
    ['self_reflection', 'people_leadership'],
  ],
] as const;

/** Who sends afbud for meeting i (0-based, by leader index): more each time — the seed's warning sign. */
const AFBUD: readonly (readonly number[])[] = [
  [5, 8],
  [5, 10, 3],
  [10, 6, 1, 8, 11],
];
/** A no-show at the third meeting (came neither nor said so). */
const NO_SHOW = { meeting: 2, leader: 9 } as const;
/** Afbud for the coming (fourth) meeting, sent in good time. */
const AFBUD_NEXT = [2];
const CONFIRM_NEXT = [0, 4, 7];

type Answer = [benefit: number, energy: number, purposeFit: number, relations: number, giveGet: number];
/**
 * Evaluations by meeting and leader index. Varied: most find it useful; relations grow while
 * energy falls at the third meeting; Bo mostly gives and gets little (he is at risk of withdrawing).
 * Everyone who was there answers, so each meeting's evaluation window closes early and its results
 * are released at once (otherwise they would be released when the window closes, 14 days after the
 * meeting was marked held — today, for this history loaded in one go).
 */
const ANSWERS: readonly Readonly<Record<number, Answer>>[] = [
  {
    0: [4, 4, 4, 3, 0],
    1: [5, 4, 4, 4, 1],
    2: [4, 4, 5, 3, 0],
    3: [4, 5, 4, 4, 1],
    4: [4, 4, 4, 4, 0],
    6: [5, 5, 4, 4, 1],
    7: [3, 3, 4, 3, 0],
    9: [4, 4, 4, 4, 0],
    10: [2, 3, 3, 4, -2],
    11: [4, 4, 4, 3, 1],
  },
  {
    0: [4, 4, 4, 4, 0],
    1: [4, 3, 4, 4, 0],
    2: [3, 3, 4, 4, 0],
    4: [4, 4, 3, 5, 1],
    6: [4, 4, 4, 4, 1],
    7: [3, 3, 4, 4, 0],
    8: [4, 3, 3, 4, 0],
    9: [4, 4, 4, 4, 0],
    11: [3, 3, 4, 4, 0],
  },
  {
    0: [3, 3, 3, 4, 0],
    2: [4, 3, 4, 5, 0],
    3: [3, 2, 3, 4, 0],
    4: [4, 3, 3, 5, 0],
    5: [4, 3, 4, 4, 0],
    7: [3, 3, 3, 4, -1],
  },
];

export interface DemoOptions {
  /** The demo tenant's name (default "Sparring demo" with the time, so each run makes a new one). */
  readonly tenantName?: string;
  /** The clock the model's start date is counted back from (default now). */
  readonly now?: Date;
}

export interface DemoResult {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly adminKey: string;
  readonly networkId: string;
  readonly networkName: string;
  readonly status: string;
  readonly meetingIds: readonly string[];
  readonly nextMeetingLocal: string;
  readonly health: { band: string; index: number | null; signals: readonly string[] };
  readonly review: { recommendation: string; changes: readonly string[]; reasons: readonly string[] };
  /**
   * The leader with a private signal. He reads it only in a session of his own (a sign-in link),
   * never with a member token the admin minted.
   */
  readonly atRiskMember: { name: string; leaderId: string };
}

/** "YYYY-MM-DD" of an instant in Copenhagen: the model's start date is a local date. */
export function localDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(at);
}

/** Loads the demo tenant through the REST routes of `app` (a built, ready app). Throws on any refusal. */
export async function loadDemo(app: FastifyInstance, options: DemoOptions = {}): Promise<DemoResult> {
  const now = options.now ?? new Date();
  const tenantName =
    options.tenantName ?? `Sparring demo ${now.toISOString().slice(0, 16).replace('T', ' ')}`;
  const { tenant, adminKey } = await createTenant(app.db, { name: tenantName });
  const admin = `Bearer ${adminKey}`;

  /** One request; anything but the expected status stops the load with the problem document. */
  async function call(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    auth: string,
    payload?: unknown,
    expect = 200,
  ) {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: auth },
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
    if (res.statusCode !== expect) {
      throw new Error(`demo: ${method} ${url} answered ${res.statusCode} (expected ${expect}): ${res.body}`);
    }
    return res.json();
  }

  // 1. The leaders say what they want (the seed's first step).
  const leaderIds: string[] = [];
  for (const [i, [name, sector, organisation, level, years, motivations]] of DEMO_LEADERS.entries()) {
    const local = name
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z ]/g, '')
      .replace(' ', '.');
    const leader = await call(
      'POST',
      '/v1/leaders',
      admin,
      {
        name,
        email: `${local}@example.dk`,
        sector,
        organisation,
        level,
        yearsOfExperience: years,
        region: 'Midtjylland',
        languages: ['da'],
        motivations,
        availability: i % 3 === 0 ? ['weekday_evening', 'weekday_daytime'] : ['weekday_evening'],
        formats: i % 4 === 0 ? ['in_person', 'hybrid'] : ['in_person'],
        sameness: { sector: 'different', experience: 'no_preference', organisation: 'different' },
      },
      201,
    );
    leaderIds.push(leader.id);
  }
  const tokens: string[] = [];
  for (const id of leaderIds) {
    const minted = await call('POST', `/v1/leaders/${id}/member-tokens`, admin, { ttlSeconds: 86_400 }, 201);
    tokens.push(`Bearer ${minted.token}`);
  }

  // 2. The network, its members and an external facilitator (the seed: "it can be an outsider").
  const networkName = 'Ledernetværk Aarhus (demo)';
  const network = await call(
    'POST',
    '/v1/networks',
    admin,
    {
      name: networkName,
      size: { min: 6, max: 12 },
      trialLength: 3,
      facilitator: { kind: 'external', name: 'Hanne Holm', email: 'hanne.holm@example.dk' },
    },
    201,
  );
  const networkId: string = network.id;
  for (const leaderId of leaderIds) {
    await call('POST', `/v1/networks/${networkId}/members`, admin, { leaderId }, 201);
  }

  // 3. The charter (kontrakt): a purpose more than social, accepted by every member.
  await call(
    'POST',
    `/v1/networks/${networkId}/charter-versions`,
    admin,
    {
      purpose: 'Sparring on leading people through change, across sectors',
      goals: [
        { category: 'dilemma_sparring', description: 'Two members bring a real dilemma each meeting' },
        { category: 'strategy', description: 'One strategic theme per quarter' },
        { category: 'social', description: 'A network we look forward to' },
      ],
      groundRules: [
        { kind: 'cancellation_notice', hours: 48 },
        { kind: 'custom', text: 'Phones away during the case round' },
      ],
    },
    201,
  );
  for (const token of tokens) {
    await call('POST', `/v1/networks/${networkId}/charter-versions/1/acceptances`, token, undefined, 201);
  }

  // 4. One meeting model for the trial, starting about 80 days ago: three meetings behind us, one ahead.
  await call(
    'PUT',
    `/v1/networks/${networkId}/meeting-model`,
    admin,
    {
      cadenceMonths: 1,
      durationMinutes: 180,
      timeSlot: 'weekday_evening',
      localStartTime: '17:00',
      venue: { kind: 'in_person', place: 'Dokk1, Aarhus' },
      startDate: localDate(new Date(now.getTime() - 80 * DAY_MS)),
    },
    201,
  );
  await call('POST', `/v1/networks/${networkId}/trial`, admin);
  const generated = await call(
    'POST',
    `/v1/networks/${networkId}/meetings/generate`,
    admin,
    { count: 4 },
    201,
  );
  const meetings = generated.data as { id: string; startsAt: string; localStartsAt: string }[];

  // 5. The three meetings of the trial: afbud, held with attendance, evaluated.
  for (const [i, meeting] of meetings.slice(0, 3).entries()) {
    for (const j of AFBUD[i]!) {
      await call('POST', `/v1/meetings/${meeting.id}/attendance/me`, tokens[j]!, { status: 'cancelled' });
    }
    const attendance = leaderIds.flatMap((leaderId, j) =>
      AFBUD[i]!.includes(j)
        ? []
        : [{ leaderId, status: NO_SHOW.meeting === i && NO_SHOW.leader === j ? 'no_show' : 'attended' }],
    );
    await call('POST', `/v1/meetings/${meeting.id}/held`, admin, { attendance });
    for (const [j, [benefit, energy, purposeFit, relations, giveGet]] of Object.entries(ANSWERS[i]!)) {
      await call(
        'PUT',
        `/v1/meetings/${meeting.id}/evaluations/me`,
        tokens[Number(j)]!,
        { benefit, energy, purposeFit, relations, giveGet },
        201,
      );
    }
  }

  // 6. The coming meeting: some confirm, one sends afbud in good time.
  const next = meetings[3]!;
  for (const j of CONFIRM_NEXT)
    await call('POST', `/v1/meetings/${next.id}/attendance/me`, tokens[j]!, { status: 'confirmed' });
  for (const j of AFBUD_NEXT)
    await call('POST', `/v1/meetings/${next.id}/attendance/me`, tokens[j]!, { status: 'cancelled' });

  // 7. What a new user sees: the status, health with its signals, and the review's recommendation.
  const after = await call('GET', `/v1/networks/${networkId}`, admin);
  const health = await call('GET', `/v1/networks/${networkId}/health`, admin);
  const review = await call('GET', `/v1/networks/${networkId}/review`, admin);
  const atRisk = 10;
  return {
    tenantId: tenant.id,
    tenantName,
    adminKey,
    networkId,
    networkName,
    status: after.status,
    meetingIds: meetings.map((m) => m.id),
    nextMeetingLocal: next.localStartsAt,
    health: {
      band: health.band,
      index: health.index,
      signals: (health.signals as { code: string; severity: string }[]).map(
        (s) => `${s.code} (${s.severity})`,
      ),
    },
    review: {
      recommendation: review.recommendation.recommendation,
      changes: review.recommendation.changes,
      reasons: (review.recommendation.reasons as { code: string }[]).map((r) => r.code),
    },
    atRiskMember: { name: DEMO_LEADERS[atRisk][0], leaderId: leaderIds[atRisk]! },
  };
}
