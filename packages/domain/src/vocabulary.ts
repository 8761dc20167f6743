/**
 * The closed vocabularies of the method. Each is a readonly tuple (so the service can build its
 * schemas from the same list) with Danish and English labels. Source for the Danish terms: the
 * seed article "Kom godt i gang med dit ledernetværk" (BFA).
 */
import { type LocalizedText, text } from './text.js';

/** Leadership levels (product rules). */
export const LEADERSHIP_LEVELS = ['first_line', 'middle', 'senior', 'executive'] as const;
export type LeadershipLevel = (typeof LEADERSHIP_LEVELS)[number];
export const LEADERSHIP_LEVEL_LABELS: Readonly<Record<LeadershipLevel, LocalizedText>> = {
  first_line: text('Førstelinjeleder', 'First-line manager'),
  middle: text('Mellemleder', 'Middle manager'),
  senior: text('Topleder', 'Senior manager'),
  executive: text('Direktør', 'Executive'),
};

/**
 * What a leader wants from a network, and the categories of a charter's goals. The first four are
 * the motivations the seed names ("personaleledelse", "inspiration på det strategiske felt",
 * "vende dilemmaer … i et fortroligt ledelsesfagligt rum", "se på sig selv og sin ledelse med
 * friske øjne"); learning and social complete the charter's categories (product rules).
 */
export const FOCUS_AREAS = [
  'people_leadership',
  'strategy',
  'dilemma_sparring',
  'self_reflection',
  'learning',
  'social',
] as const;
export type FocusArea = (typeof FOCUS_AREAS)[number];
/** A leader's motivation is one of the focus areas. */
export type Motivation = FocusArea;
export const MOTIVATIONS = FOCUS_AREAS;
export const FOCUS_AREA_LABELS: Readonly<Record<FocusArea, LocalizedText>> = {
  people_leadership: text('Personaleledelse', 'People leadership'),
  strategy: text('Inspiration på det strategiske felt', 'Strategic inspiration'),
  dilemma_sparring: text('Sparring på dilemmaer', 'Dilemma sparring'),
  self_reflection: text('Se sig selv og sin ledelse med friske øjne', 'Self-reflection'),
  learning: text('Læring', 'Learning'),
  social: text('Det sociale', 'Social'),
};

/** When a leader can meet: the seed's "i dagtimerne, om aftenen eller i weekender". */
export const TIME_SLOTS = ['weekday_daytime', 'weekday_evening', 'weekend'] as const;
export type TimeSlot = (typeof TIME_SLOTS)[number];
export const TIME_SLOT_LABELS: Readonly<Record<TimeSlot, LocalizedText>> = {
  weekday_daytime: text('Hverdage i dagtimerne', 'Weekday daytime'),
  weekday_evening: text('Hverdagsaftener', 'Weekday evening'),
  weekend: text('Weekend', 'Weekend'),
};

/** How a network meets: the seed's "Er der lokaler …? Skal det være online?". */
export const MEETING_FORMATS = ['in_person', 'online', 'hybrid'] as const;
export type MeetingFormat = (typeof MEETING_FORMATS)[number];
export const MEETING_FORMAT_LABELS: Readonly<Record<MeetingFormat, LocalizedText>> = {
  in_person: text('Fysisk fremmøde', 'In person'),
  online: text('Online', 'Online'),
  hybrid: text('Hybrid', 'Hybrid'),
};

/** Months between meetings: the seed's "hver, hver anden eller hver tredje måned". */
export const CADENCES_IN_MONTHS = [1, 2, 3] as const;
export type CadenceInMonths = (typeof CADENCES_IN_MONTHS)[number];

/** A leader's wish about sameness on one dimension: the seed's "samme sektor, erfaring, organisation?". */
export const SAMENESS_PREFERENCES = ['same', 'different', 'no_preference'] as const;
export type SamenessPreference = (typeof SAMENESS_PREFERENCES)[number];

/** The dimensions a leader can state a sameness preference on (the seed names these three). */
export const SAMENESS_DIMENSIONS = ['sector', 'experience', 'organisation'] as const;
export type SamenessDimension = (typeof SAMENESS_DIMENSIONS)[number];

/** True when `value` is one of `options` (a typed membership test for the tuples above). */
export const isOneOf = <T extends string | number>(options: readonly T[], value: unknown): value is T =>
  (options as readonly unknown[]).includes(value);
