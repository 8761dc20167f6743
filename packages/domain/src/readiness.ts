/**
 * "Is a network for me?" — the seed's first step: "Hvad vil du gerne have ud af netværket? Inden
 * du går ind i et ledernetværk, er det en god idé at overveje, om et netværk er noget for dig, hvad
 * du vil bruge det til, og hvem du gerne vil netværke med." A short questionnaire (as data, so a UI
 * can render it), its validating constructor, and `assessReadiness`, which derives the leader's
 * motivation profile, the kind of network that fits, and guidance in Danish and English.
 */
import { FieldReader } from './parse.js';
import { err, ok, type Result } from './result.js';
import { type LocalizedText, text } from './text.js';
import type { ValidationFailure } from './validation.js';
import {
  type CadenceInMonths,
  FOCUS_AREA_LABELS,
  FOCUS_AREAS,
  type FocusArea,
  MEETING_FORMAT_LABELS,
  MEETING_FORMATS,
  type MeetingFormat,
  SAMENESS_PREFERENCES,
  type SamenessDimension,
  type SamenessPreference,
  TIME_SLOT_LABELS,
  TIME_SLOTS,
  type TimeSlot,
} from './vocabulary.js';

/** How much time a leader can give, named by the cadence it allows (the seed's three cadences). */
export const TIME_COMMITMENTS = ['every_third_month', 'every_second_month', 'every_month'] as const;
export type TimeCommitment = (typeof TIME_COMMITMENTS)[number];
export const TIME_COMMITMENT_CADENCE: Readonly<Record<TimeCommitment, CadenceInMonths>> = {
  every_third_month: 3,
  every_second_month: 2,
  every_month: 1,
};

/**
 * Whether the leader is ready to bring their own dilemmas into a confidential room and give time
 * to others' — the seed's benefit prerequisite cuts both ways: a member who only gives withdraws,
 * and a room where nobody shares gives nobody anything.
 */
export const SHARING_READINESS = ['yes', 'unsure', 'no'] as const;
export type SharingReadiness = (typeof SHARING_READINESS)[number];

/** A leader's answers to the readiness questionnaire. */
export interface ReadinessAnswers {
  /** What they want from a network, most important first (at least one). */
  readonly motivations: readonly FocusArea[];
  /** What they expect to get out of it, in their own words (the seed: know it beforehand). */
  readonly expectation: string | null;
  readonly sameSector: SamenessPreference;
  readonly sameExperience: SamenessPreference;
  readonly sameOrganisation: SamenessPreference;
  readonly timeCommitment: TimeCommitment;
  readonly availability: readonly TimeSlot[];
  readonly formats: readonly MeetingFormat[];
  readonly readyToShare: SharingReadiness;
}

/** A question of the questionnaire, for a UI to render. `id` is the answer's field name. */
export interface ReadinessQuestion {
  readonly id: keyof ReadinessAnswers;
  readonly kind: 'multiple_choice' | 'single_choice' | 'free_text';
  readonly required: boolean;
  readonly prompt: LocalizedText;
  readonly help: LocalizedText | null;
  readonly options: readonly { readonly value: string; readonly label: LocalizedText }[];
}

const SAMENESS_OPTION_LABELS: Readonly<Record<SamenessPreference, LocalizedText>> = {
  same: text('Gerne de samme', 'Preferably the same'),
  different: text('Gerne forskellige', 'Preferably different'),
  no_preference: text('Ingen præference', 'No preference'),
};

const samenessQuestion = (id: 'sameSector' | 'sameExperience' | 'sameOrganisation', prompt: LocalizedText) =>
  ({
    id,
    kind: 'single_choice',
    required: true,
    prompt,
    help: null,
    options: SAMENESS_PREFERENCES.map((value) => ({ value, label: SAMENESS_OPTION_LABELS[value] })),
  }) as const;

/** The questionnaire, in the order to ask it. Wording follows the seed's step 1. */
export const READINESS_QUESTIONS: readonly ReadinessQuestion[] = [
  {
    id: 'motivations',
    kind: 'multiple_choice',
    required: true,
    prompt: text(
      'Hvad vil du gerne have ud af et ledernetværk? Vælg det vigtigste først.',
      'What do you want from a leader network? Choose the most important first.',
    ),
    help: text(
      'Din motivation er afgørende for, hvilket netværk du skal vælge, og hvad I skal fokusere på.',
      'Your motivation decides which network to choose and what to focus on.',
    ),
    options: FOCUS_AREAS.map((value) => ({ value, label: FOCUS_AREA_LABELS[value] })),
  },
  {
    id: 'expectation',
    kind: 'free_text',
    required: false,
    prompt: text('Hvad forventer du at få ud af det?', 'What do you expect to get out of it?'),
    help: text(
      'Alle skal have noget ud af at være i netværket; det hjælper at vide på forhånd, hvad du forventer.',
      'Everyone must get something out of the network; it helps to know beforehand what you expect.',
    ),
    options: [],
  },
  samenessQuestion(
    'sameSector',
    text(
      'Vil du helst netværke med ledere fra samme sektor?',
      'Would you rather network with leaders from your sector?',
    ),
  ),
  samenessQuestion(
    'sameExperience',
    text(
      'Vil du helst netværke med ledere med samme erfaring?',
      'Would you rather network with leaders of your experience?',
    ),
  ),
  samenessQuestion(
    'sameOrganisation',
    text(
      'Vil du helst netværke med ledere fra din egen organisation?',
      'Would you rather network with leaders from your own organisation?',
    ),
  ),
  {
    id: 'timeCommitment',
    kind: 'single_choice',
    required: true,
    prompt: text('Hvor meget tid kan du afsætte?', 'How much time can you set aside?'),
    help: text('Et møde varer typisk omkring tre timer.', 'A meeting typically lasts about three hours.'),
    options: [
      { value: 'every_third_month', label: text('Et møde hver tredje måned', 'A meeting every third month') },
      {
        value: 'every_second_month',
        label: text('Et møde hver anden måned', 'A meeting every second month'),
      },
      { value: 'every_month', label: text('Et møde hver måned', 'A meeting every month') },
    ],
  },
  {
    id: 'availability',
    kind: 'multiple_choice',
    required: true,
    prompt: text('Hvornår kan du mødes?', 'When can you meet?'),
    help: null,
    options: TIME_SLOTS.map((value) => ({ value, label: TIME_SLOT_LABELS[value] })),
  },
  {
    id: 'formats',
    kind: 'multiple_choice',
    required: true,
    prompt: text('Hvordan vil du mødes?', 'How do you want to meet?'),
    help: null,
    options: MEETING_FORMATS.map((value) => ({ value, label: MEETING_FORMAT_LABELS[value] })),
  },
  {
    id: 'readyToShare',
    kind: 'single_choice',
    required: true,
    prompt: text(
      'Er du klar til at dele dine egne dilemmaer i et fortroligt rum og bruge tid på andres?',
      "Are you ready to share your own dilemmas in a confidential room and to give time to others'?",
    ),
    help: null,
    options: [
      { value: 'yes', label: text('Ja', 'Yes') },
      { value: 'unsure', label: text('Ved ikke endnu', 'Not sure yet') },
      { value: 'no', label: text('Nej', 'No') },
    ],
  },
];

/**
 * Validates the answers. Sameness questions default to `no_preference`; everything else listed as
 * required in READINESS_QUESTIONS must be answered. Never throws.
 */
export function parseReadinessAnswers(input: unknown): Result<ReadinessAnswers, ValidationFailure> {
  const r = new FieldReader(input);
  r.rejectUnknown(READINESS_QUESTIONS.map((q) => q.id));
  const motivations = r.setOf('motivations', FOCUS_AREAS, { min: 1 });
  const expectation = r.string('expectation', { optional: true, max: 1000 }) || null;
  const sameness = (key: 'sameSector' | 'sameExperience' | 'sameOrganisation') =>
    r.oneOf(key, SAMENESS_PREFERENCES, { optional: true }) ?? 'no_preference';
  const sameSector = sameness('sameSector');
  const sameExperience = sameness('sameExperience');
  const sameOrganisation = sameness('sameOrganisation');
  const timeCommitment = r.oneOf('timeCommitment', TIME_COMMITMENTS);
  const availability = r.setOf('availability', TIME_SLOTS, { min: 1 });
  const formats = r.setOf('formats', MEETING_FORMATS, { min: 1 });
  const readyToShare = r.oneOf('readyToShare', SHARING_READINESS);
  if (r.issues.length > 0) return err({ code: 'validation_failed', issues: r.issues });
  return ok({
    motivations: motivations!,
    expectation,
    sameSector,
    sameExperience,
    sameOrganisation,
    timeCommitment: timeCommitment!,
    availability: availability!,
    formats: formats!,
    readyToShare: readyToShare!,
  });
}

/** The verdict: a network fits now, fits once some points are considered, or not now. */
export const READINESS_VERDICTS = ['good_fit', 'fit_with_caveats', 'not_now'] as const;
export type ReadinessVerdict = (typeof READINESS_VERDICTS)[number];

/** Codes of the guidance `assessReadiness` can give. */
export type ReadinessGuidanceCode =
  | `focus_${FocusArea}`
  | 'social_only'
  | 'no_expectation'
  | 'not_ready_to_share'
  | 'unsure_about_sharing'
  | 'all_same'
  | 'same_organisation';

export interface ReadinessGuidance {
  readonly code: ReadinessGuidanceCode;
  readonly text: LocalizedText;
}

/** How a composition criterion should treat a dimension (CATME Team-Maker's model; see composition). */
export type CompositionPreference = 'similar' | 'diverse' | 'ignore';

/** What the answers say about the leader and the network that fits them. */
export interface ReadinessAssessment {
  readonly verdict: ReadinessVerdict;
  readonly motivationProfile: {
    /** The leader's first choice. */
    readonly primary: FocusArea;
    readonly motivations: readonly FocusArea[];
    /** True when only `social` was chosen: the seed's purpose must be more than social. */
    readonly socialOnly: boolean;
  };
  readonly suggestedNetwork: {
    /** What the network should focus on: the non-social motivations (all of them when social only). */
    readonly focus: readonly FocusArea[];
    readonly cadenceMonths: CadenceInMonths;
    readonly timeSlots: readonly TimeSlot[];
    readonly formats: readonly MeetingFormat[];
    readonly composition: Readonly<Record<SamenessDimension, CompositionPreference>>;
  };
  readonly guidance: readonly ReadinessGuidance[];
}

/** Guidance per motivation: what kind of network serves it. Ours, from the seed's four motivations. */
export const FOCUS_GUIDANCE: Readonly<Record<FocusArea, LocalizedText>> = {
  people_leadership: text(
    'Personaleledelse: et netværk af ledere på samme niveau, hvor I deler konkrete situationer med medarbejdere.',
    'People leadership: a network of leaders at your level, sharing concrete situations with staff.',
  ),
  strategy: text(
    'Strategi: forskellige sektorer og organisationer giver mest inspiration på det strategiske felt.',
    'Strategy: different sectors and organisations give the most strategic inspiration.',
  ),
  dilemma_sparring: text(
    'Dilemmaer: et fast, fortroligt netværk med en dagsorden bygget op om medlemmernes egne sager.',
    "Dilemmas: a stable, confidential network with an agenda built around members' own cases.",
  ),
  self_reflection: text(
    'Refleksion: et netværk med tid til refleksion, hvor andre hjælper dig med at se din ledelse med friske øjne.',
    'Reflection: a network with time to reflect, where others help you see your leadership with fresh eyes.',
  ),
  learning: text(
    'Læring: et netværk, der arbejder med temaer og deler erfaringer og viden.',
    'Learning: a network that works with themes and shares experience and knowledge.',
  ),
  social: text(
    'Det sociale: relationerne bærer netværket, men formålet skal altid være mere end socialt.',
    'Social: relations carry a network, but its purpose must always be more than social.',
  ),
};

const COMPOSITION_OF: Readonly<Record<SamenessPreference, CompositionPreference>> = {
  same: 'similar',
  different: 'diverse',
  no_preference: 'ignore',
};

/**
 * Derives the leader's motivation profile and the network that fits. Rules:
 * - verdict: `not_now` when not ready to share; `fit_with_caveats` when unsure about sharing or
 *   when only social motivations were chosen; otherwise `good_fit`;
 * - focus: the non-social motivations in the leader's order (the social one alone when it is all);
 * - cadence from the time commitment (every month / second / third month); slots and formats as
 *   answered; each sameness answer maps to a composition preference (same → similar,
 *   different → diverse, none → ignore);
 * - guidance: one text per chosen motivation, plus warnings: social only (the seed: "mere end
 *   socialt"), no stated expectation (the seed: know beforehand what you expect), not ready or unsure
 *   about sharing, the same on every dimension (the seed: "en god balance mellem fælles træk og
 *   forskellighed"), and the same organisation (colleagues and managers limit what can be said).
 */
export function assessReadiness(answers: ReadinessAnswers): ReadinessAssessment {
  const socialOnly = answers.motivations.every((m) => m === 'social');
  const nonSocial = answers.motivations.filter((m) => m !== 'social');
  const guidance: ReadinessGuidance[] = answers.motivations.map((m) => ({
    code: `focus_${m}`,
    text: FOCUS_GUIDANCE[m],
  }));
  if (socialOnly)
    guidance.push({
      code: 'social_only',
      text: text(
        'Du har kun valgt det sociale. Et ledernetværks formål skal altid være mere end socialt: overvej, hvad du vil bruge det til fagligt.',
        'You chose only the social side. A leader network’s purpose must always be more than social: consider what you want from it professionally.',
      ),
    });
  if (answers.expectation === null)
    guidance.push({
      code: 'no_expectation',
      text: text(
        'Skriv ned, hvad du forventer at få ud af netværket; så kan I sammen holde øje med, om du får det.',
        'Write down what you expect to get out of the network, so the group can check that you do.',
      ),
    });
  if (answers.readyToShare === 'no')
    guidance.push({
      code: 'not_ready_to_share',
      text: text(
        'Et netværk lever af, at alle deler og giver. Hvis du ikke er klar til det nu, kan et kursus, en mentor eller en coach passe bedre.',
        'A network lives on everyone sharing and giving. If you are not ready for that now, a course, a mentor or a coach may suit you better.',
      ),
    });
  if (answers.readyToShare === 'unsure')
    guidance.push({
      code: 'unsure_about_sharing',
      text: text(
        'Brug prøveperioden (de første 3-4 møder) til at mærke efter, om rummet er trygt nok til dine egne dilemmaer.',
        'Use the trial period (the first 3–4 meetings) to sense whether the room is safe enough for your own dilemmas.',
      ),
    });
  if (
    answers.sameSector === 'same' &&
    answers.sameExperience === 'same' &&
    answers.sameOrganisation === 'same'
  )
    guidance.push({
      code: 'all_same',
      text: text(
        'Mange vil gerne være sammen med nogen, der ligner dem selv, men gruppen har brug for en god balance mellem fælles træk og forskellighed.',
        'Many want peers like themselves, but a group needs a good balance of common traits and difference.',
      ),
    });
  if (answers.sameOrganisation === 'same')
    guidance.push({
      code: 'same_organisation',
      text: text(
        'I et netværk i egen organisation kan kolleger og ledere begrænse, hvad der kan siges; ingen kan sidde i netværk med sin egen leder.',
        'In a network within your own organisation, colleagues and managers can limit what can be said; nobody can share a network with their own manager.',
      ),
    });
  const verdict: ReadinessVerdict =
    answers.readyToShare === 'no'
      ? 'not_now'
      : answers.readyToShare === 'unsure' || socialOnly
        ? 'fit_with_caveats'
        : 'good_fit';
  return {
    verdict,
    motivationProfile: { primary: answers.motivations[0]!, motivations: answers.motivations, socialOnly },
    suggestedNetwork: {
      focus: socialOnly ? answers.motivations : nonSocial,
      cadenceMonths: TIME_COMMITMENT_CADENCE[answers.timeCommitment],
      timeSlots: answers.availability,
      formats: answers.formats,
      composition: {
        sector: COMPOSITION_OF[answers.sameSector],
        experience: COMPOSITION_OF[answers.sameExperience],
        organisation: COMPOSITION_OF[answers.sameOrganisation],
      },
    },
    guidance,
  };
}

/**
 * The leader-profile fields the answers fill in (motivations, availability, formats, preferred
 * cadence, sameness), so a UI can prefill `parseLeaderProfile` input from the questionnaire.
 */
export function profileFieldsFromReadiness(answers: ReadinessAnswers) {
  return {
    motivations: [...answers.motivations],
    availability: [...answers.availability],
    formats: [...answers.formats],
    preferredCadenceMonths: TIME_COMMITMENT_CADENCE[answers.timeCommitment],
    sameness: {
      sector: answers.sameSector,
      experience: answers.sameExperience,
      organisation: answers.sameOrganisation,
    },
  };
}
