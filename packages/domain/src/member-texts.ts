/**
 * The texts of the member's own pages (the service's `/m/` pages): labels, buttons and short
 * explanations, in Danish (the seed's language: "ledernetværk", "kontrakt", "afbud", "fortroligt
 * rum") and English. Texts that already exist elsewhere in the library are not repeated here: the
 * signals' titles and guidance (`SIGNAL_TITLES`, `SIGNAL_GUIDANCE`), the confidentiality rule
 * (`CONFIDENTIALITY_RULE_TEXT`), focus areas, roles, agenda kinds, levels and the refusal messages.
 *
 * A text may hold placeholders in braces (`{hours}`); `fillText` puts the values in.
 */
import type { EvaluationDimension } from './evaluation.js';
import type { HealthBand, TrendDirection } from './health.js';
import type { LifecycleStatus } from './lifecycle.js';
import { type LocalizedText, text } from './text.js';

/** The two languages of the pages; Danish first (the default when the browser prefers it). */
export const MEMBER_LANGUAGES = ['da', 'en'] as const;
export type MemberLanguage = (typeof MEMBER_LANGUAGES)[number];

export const MEMBER_TEXTS = {
  // Frame
  productName: text('Sparring', 'Sparring'),
  skipToContent: text('Gå til indholdet', 'Skip to content'),
  navMyNetworks: text('Mine netværk', 'My networks'),
  navMine: text('Mit', 'Mine'),
  navLabel: text('Hovedmenu', 'Main menu'),
  signOut: text('Log ud', 'Sign out'),
  languageSwitchTo: text('Switch to English', 'Skift til dansk'),
  confidentialRoom: text(
    'Dit eget, fortrolige rum: kun du ser dine svar, dine signaler og dine valg.',
    'Your own confidential room: only you see your answers, your signals and your choices.',
  ),
  back: text('Tilbage', 'Back'),
  // Sign-in
  signInTitle: text('Log ind', 'Sign in'),
  signInIntro: text(
    'Skriv din e-mail, så sender vi dig et link. Linket virker én gang og kort tid.',
    'Enter your email and we send you a link. The link works once, for a short while.',
  ),
  emailLabel: text('E-mail', 'Email'),
  emailHint: text(
    'Den adresse, dit ledernetværk kender dig på.',
    'The address your leader network knows you by.',
  ),
  emailInvalid: text(
    'Skriv en gyldig e-mailadresse, fx navn@firma.dk.',
    'Enter a valid email address, e.g. name@company.com.',
  ),
  sendLink: text('Send mig et link', 'Send me a link'),
  confirmSignInTitle: text('Log ind på Sparring', 'Sign in to Sparring'),
  confirmSignInBody: text(
    'Tryk på knappen for at logge ind. Linket virker én gang og i 15 minutter.',
    'Press the button to sign in. The link works once, for 15 minutes.',
  ),
  confirmSignIn: text('Log ind', 'Sign in'),
  linkSentTitle: text('Tjek din e-mail', 'Check your email'),
  linkSentBody: text(
    'Hvis adressen er kendt, har vi sendt et link til den. Åbn linket på denne enhed. Kom der ingen mail, så tjek spam-mappen eller bed om et nyt link.',
    'If the address is known, we have sent a link to it. Open the link on this device. If no mail arrives, check your spam folder or ask for a new link.',
  ),
  linkExpiredTitle: text('Linket er udløbet', 'The link has expired'),
  linkExpiredBody: text(
    'Et link virker kun kort tid. Bed om et nyt link nedenfor.',
    'A link works only for a short while. Ask for a new link below.',
  ),
  linkUsedTitle: text('Linket er allerede brugt', 'The link has already been used'),
  linkUsedBody: text(
    'Et link virker kun én gang. Er du logget ud, så bed om et nyt link nedenfor.',
    'A link works only once. If you are signed out, ask for a new link below.',
  ),
  linkUnknownTitle: text('Linket virker ikke', 'The link does not work'),
  linkUnknownBody: text(
    'Linket er ikke gyldigt. Måske blev det kun kopieret delvist. Bed om et nyt link nedenfor.',
    'The link is not valid. Perhaps only part of it was copied. Ask for a new link below.',
  ),
  askNewLink: text('Bed om et nyt link', 'Ask for a new link'),
  signedOut: text('Du er logget ud.', 'You are signed out.'),
  // My networks
  networksTitle: text('Mine netværk', 'My networks'),
  networksEmpty: text('Du er ikke med i et ledernetværk endnu.', 'You are not in a leader network yet.'),
  statusLabel: text('Status', 'Status'),
  nextMeeting: text('Næste møde', 'Next meeting'),
  noNextMeeting: text('Intet møde planlagt', 'No meeting planned'),
  evaluationWaiting: text('En evaluering venter på dig', 'An evaluation is waiting for you'),
  noEvaluationWaiting: text('Ingen evaluering venter', 'No evaluation waiting'),
  charterWaiting: text('Kontrakten venter på din accept', 'The charter is waiting for your acceptance'),
  answerNow: text('Svar nu', 'Answer now'),
  // A network
  charterTitle: text('Kontrakt', 'Charter'),
  charterVersion: text('Version {version}', 'Version {version}'),
  purpose: text('Formål', 'Purpose'),
  goals: text('Mål', 'Goals'),
  groundRules: text('Spilleregler', 'Ground rules'),
  cancellationNoticeRule: text(
    'Afbud senest {hours} timer før mødet.',
    'Cancel at least {hours} hours before the meeting.',
  ),
  noCharter: text('Netværket har ingen kontrakt endnu.', 'The network has no charter yet.'),
  charterAwaitingYou: text(
    'Denne version venter på din accept. Læs den, og acceptér, hvis du kan stå inde for den.',
    'This version is waiting for your acceptance. Read it, and accept it if you stand by it.',
  ),
  acceptCharter: text('Jeg accepterer kontrakten', 'I accept the charter'),
  charterAcceptedByYou: text('Du har accepteret denne version.', 'You have accepted this version.'),
  charterAccepted: text('Tak. Du har accepteret kontrakten.', 'Thank you. You have accepted the charter.'),
  membersTitle: text('Medlemmer', 'Members'),
  you: text('dig', 'you'),
  roleMember: text('Medlem', 'Member'),
  roleFacilitator: text('Facilitator', 'Facilitator'),
  roleFormerMember: text('Tidligere medlem', 'Former member'),
  editAnswers: text('Ret dine svar', 'Edit your answers'),
  meetingOn: text('Mødet {date}', 'The meeting on {date}'),
  meetingsTitle: text('Kommende møder', 'Upcoming meetings'),
  noMeetings: text('Ingen planlagte møder.', 'No planned meetings.'),
  place: text('Sted', 'Place'),
  onlineLink: text('Link', 'Link'),
  rolesTitle: text('Roller', 'Roles'),
  roleOpen: text('ikke fordelt', 'not assigned'),
  agendaTitle: text('Dagsorden', 'Agenda'),
  noAgenda: text('Intet på dagsordenen endnu.', 'Nothing on the agenda yet.'),
  yourAttendance: text('Din tilmelding', 'Your attendance'),
  attendanceExpected: text('Forventet', 'Expected'),
  attendanceConfirmed: text('Du kommer', 'You are coming'),
  attendanceCancelled: text('Du har meldt afbud', 'You have cancelled'),
  attendanceCancelledLate: text('Du har meldt afbud (sent)', 'You have cancelled (late)'),
  confirmAttendance: text('Jeg kommer', 'I will come'),
  undoCancellation: text('Jeg kommer alligevel', 'I will come after all'),
  giveAfbud: text('Meld afbud', 'Cancel attendance'),
  afbudTitle: text('Meld afbud', 'Cancel attendance'),
  afbudLate: text(
    'Dit afbud er sent: kontrakten beder om afbud mindst {hours} timer før mødet. Det tæller med som sent afbud i netværkets sundhed.',
    'Your cancellation is late: the charter asks for at least {hours} hours’ notice. It counts as a late cancellation in the network’s health.',
  ),
  afbudOnTime: text(
    'Dit afbud er rettidigt: kontrakten beder om afbud mindst {hours} timer før mødet.',
    'Your cancellation is in time: the charter asks for at least {hours} hours’ notice.',
  ),
  afbudUndoHint: text(
    'Du kan fortryde og melde dig til igen, indtil mødet er holdt.',
    'You can take it back and confirm again until the meeting is held.',
  ),
  afbudConfirm: text('Ja, meld afbud', 'Yes, cancel my attendance'),
  afbudKeep: text('Nej, jeg kommer', 'No, I will come'),
  afbudGiven: text('Dit afbud er registreret.', 'Your cancellation is recorded.'),
  attendanceSaved: text('Din tilmelding er gemt.', 'Your attendance is saved.'),
  healthLink: text('Netværkets sundhed', 'Network health'),
  // Evaluation
  evaluationTitle: text('Evaluering af mødet', 'Evaluate the meeting'),
  evaluationIntro: text(
    'Fem korte spørgsmål, cirka 30 sekunder. Dine svar indgår kun i netværkets samlede tal; din kommentar ser kun du.',
    'Five short questions, about 30 seconds. Your answers count only in the network’s totals; only you see your comment.',
  ),
  evaluationClosesAt: text('Du kan svare og rette indtil {date}.', 'You can answer and edit until {date}.'),
  evaluationClosed: text('Evalueringen lukkede {date}.', 'The evaluation closed on {date}.'),
  commentLabel: text('Din private kommentar (valgfri)', 'Your private comment (optional)'),
  commentHint: text(
    'Kun du kan læse den. Den indgår aldrig i noget samlet resultat.',
    'Only you can read it. It is never part of any total.',
  ),
  saveAnswers: text('Gem mine svar', 'Save my answers'),
  answersSaved: text('Tak. Dine svar er gemt.', 'Thank you. Your answers are saved.'),
  chooseAnswer: text('Vælg et svar.', 'Choose an answer.'),
  formHasErrors: text(
    'Noget mangler. Se markeringerne nedenfor.',
    'Something is missing. See the marks below.',
  ),
  // Mine
  mineTitle: text('Mit', 'Mine'),
  myAnswersTitle: text('Mine svar', 'My answers'),
  noAnswers: text('Du har ikke evalueret et møde endnu.', 'You have not evaluated a meeting yet.'),
  meetingLabel: text('Møde', 'Meeting'),
  mySignalsTitle: text('Mine signaler', 'My signals'),
  mySignalsIntro: text(
    'Signaler om dig, regnet ud fra netværkets møder. Kun du ser dem, medmindre du selv deler dem med facilitatoren.',
    'Signals about you, worked out from the network’s meetings. Only you see them, unless you share them with the facilitator yourself.',
  ),
  noSignals: text('Ingen signaler om dig lige nu.', 'No signals about you right now.'),
  sharedSignalsTitle: text('Signaler, medlemmer deler med dig', 'Signals members share with you'),
  sharedSignalsIntro: text(
    'Som facilitator ser du signalerne om de medlemmer, der har valgt at dele dem med dig. Tag dem op med medlemmet selv, ikke i gruppen.',
    'As the facilitator you see the signals about the members who chose to share them with you. Raise them with the member in private, not in the group.',
  ),
  consentTitle: text('Deling med facilitatoren', 'Sharing with the facilitator'),
  consentIntro: text(
    'Vælg for hvert netværk, om facilitatoren må se signalerne om dig. Det gælder kun, hvis din organisation tillader det.',
    'Choose for each network whether the facilitator may see the signals about you. It applies only if your organisation allows it.',
  ),
  consentLegend: text(
    'Må facilitatoren se mine signaler i {network}?',
    'May the facilitator see my signals in {network}?',
  ),
  consentOn: text('Ja, del mine signaler', 'Yes, share my signals'),
  consentOff: text('Nej, kun mig', 'No, only me'),
  consentSave: text('Gem valget', 'Save the choice'),
  consentSaved: text('Dit valg er gemt.', 'Your choice is saved.'),
  whoActedTitle: text('Hvem har handlet for mig', 'Who acted for me'),
  whoActedIntro: text(
    'Din organisation kan lave en adgang, der handler for dig (fx melder afbud). Den kan aldrig læse dine svar. Her ser du hver adgang og hvad den blev brugt til.',
    'Your organisation can create an access that acts for you (for example, cancels a meeting). It can never read your answers. Here you see each access and what it was used for.',
  ),
  noTokens: text('Ingen har handlet for dig.', 'Nobody has acted for you.'),
  tokenMinted: text('Oprettet {date}', 'Created {date}'),
  tokenExpires: text('udløber {date}', 'expires {date}'),
  tokenRevoked: text('tilbagekaldt {date}', 'revoked {date}'),
  tokenUnused: text('Ikke brugt.', 'Not used.'),
  actionEvaluationAnswered: text('Besvarede en evaluering for dig', 'Answered an evaluation for you'),
  actionAttendanceAnswered: text(
    'Meldte til- eller afbud for dig',
    'Confirmed or cancelled attendance for you',
  ),
  actionCharterAccepted: text('Accepterede kontrakten for dig', 'Accepted the charter for you'),
  actionConsentChanged: text(
    'Ændrede dit valg om deling af signaler',
    'Changed your choice about sharing signals',
  ),
  actionAgendaChanged: text('Ændrede dagsordenen', 'Changed the agenda'),
  actionOther: text('Anden handling', 'Another action'),
  noticesTitle: text('Beskeder', 'Notices'),
  noNotices: text('Ingen beskeder.', 'No notices.'),
  noticeEmailChanged: text(
    'Din login-adresse blev ændret fra {old} til {new}. Var det ikke dig, så kontakt din HR-afdeling.',
    'Your sign-in address was changed from {old} to {new}. If that was not you, contact your HR department.',
  ),
  comment: text('Kommentar', 'Comment'),
  editUntil: text('kan rettes indtil {date}', 'editable until {date}'),
  // Health
  healthTitle: text('Netværkets sundhed', 'Network health'),
  kRule: text(
    'Resultaterne vises, når mindst {k} medlemmer har svaret, og evalueringsvinduet er lukket.',
    'Results are shown once at least {k} members have answered and the evaluation window has closed.',
  ),
  healthIndex: text('Sundhedsindeks', 'Health index'),
  healthTrend: text('Udvikling', 'Trend'),
  trendChartTitle: text('Sundhedsindeks pr. møde', 'Health index per meeting'),
  trendChartDescription: text(
    'Indekset (0–100) for hvert møde med nok svar, ældste først: {points}.',
    'The index (0–100) of each meeting with enough answers, oldest first: {points}.',
  ),
  noReleasedResults: text('Ingen resultater er frigivet endnu.', 'No results have been released yet.'),
  releasedMeetings: text('Frigivne møder', 'Released meetings'),
  withheld: text('Ikke frigivet endnu', 'Not released yet'),
  resultsWindowOpen: text('Evalueringen lukker {date}', 'The evaluation closes {date}'),
  resultsPooling: text(
    'Venter på svar fra mindst {k} medlemmer (lægges sammen med næste møde)',
    'Waiting for answers from at least {k} members (pooled with the next meeting)',
  ),
  meetingsLabel: text('Møder', 'Meetings'),
  respondentsHeading: text('Svar', 'Answers'),
  benefitShort: text('Udbytte (1–5)', 'Benefit (1–5)'),
  energyShort: text('Energi (1–5)', 'Energy (1–5)'),
  // Errors
  notFoundTitle: text('Siden findes ikke', 'Page not found'),
  notFoundBody: text(
    'Siden findes ikke, eller du har ikke adgang til den.',
    'The page does not exist, or you do not have access to it.',
  ),
  formExpired: text('Formularen var udløbet. Prøv igen.', 'The form had expired. Please try again.'),
  somethingWentWrong: text('Noget gik galt', 'Something went wrong'),
  // Calendar (the member's own calendar feed)
  calendarTitle: text('Møderne i din kalender', 'The meetings in your calendar'),
  calendarIntro: text(
    'Abonnér på dine netværksmøder i din egen kalender (Outlook, Google, Apple). Flyttes eller aflyses et møde, følger din kalender med. Kalenderen viser tid, sted, vært og ansvarlig for dagsorden – aldrig afbud eller evalueringer.',
    'Subscribe to your network meetings in your own calendar (Outlook, Google, Apple). When a meeting moves or is cancelled, your calendar follows. The calendar shows time, place, host and agenda owner – never afbud or evaluations.',
  ),
  calendarGet: text('Hent et kalenderlink', 'Get a calendar link'),
  calendarHave: text(
    'Du har et kalenderlink fra {date}. Henter du et nyt, holder det gamle op med at virke.',
    'You have a calendar link from {date}. If you get a new one, the old one stops working.',
  ),
  calendarNew: text('Hent et nyt kalenderlink', 'Get a new calendar link'),
  calendarStop: text('Stop kalenderlinket', 'Stop the calendar link'),
  calendarStopped: text('Kalenderlinket virker ikke længere.', 'The calendar link no longer works.'),
  calendarLinkTitle: text('Dit kalenderlink', 'Your calendar link'),
  calendarSubscribe: text('Abonnér i din kalender', 'Subscribe in your calendar'),
  calendarCopy: text(
    'Eller kopiér adressen og tilføj den i din kalender som en kalender fra en URL (i Google Kalender: Andre kalendere → Fra webadresse):',
    'Or copy the address and add it in your calendar as a calendar from a URL (in Google Calendar: Other calendars → From URL):',
  ),
  calendarAddress: text('Kalenderens adresse', "The calendar's address"),
  calendarShownOnce: text(
    'Linket vises kun nu. Det er personligt: alle med linket kan se dine møder, så del det ikke. Mister du det, så hent et nyt.',
    'The link is shown only now. It is personal: anyone with the link can see your meetings, so do not share it. If you lose it, get a new one.',
  ),
} as const satisfies Record<string, LocalizedText>;

export type MemberTextKey = keyof typeof MEMBER_TEXTS;

/** The answers of one 1–5 question: the question, then what 1 and 5 mean. */
export interface EvaluationQuestionText {
  readonly question: LocalizedText;
  readonly low: LocalizedText;
  readonly high: LocalizedText;
}

/**
 * The evaluation's five questions as a member reads them (the seed's prerequisites: benefit,
 * energy, purpose, relations, and the give/get balance of members who "arbejder mere for andre
 * end for sig selv"). For give/get, `low` is −2 and `high` is +2.
 */
export const EVALUATION_QUESTION_TEXTS: Readonly<
  Record<EvaluationDimension | 'giveGet', EvaluationQuestionText>
> = {
  benefit: {
    question: text('Hvor meget fik du ud af mødet?', 'How much did you get out of the meeting?'),
    low: text('Intet', 'Nothing'),
    high: text('Meget', 'A lot'),
  },
  energy: {
    question: text('Hvordan er din energi efter mødet?', 'How is your energy after the meeting?'),
    low: text('Drænet', 'Drained'),
    high: text('Fuld af energi', 'Full of energy'),
  },
  purposeFit: {
    question: text('Passede mødet til vores fælles formål?', 'Did the meeting serve our shared purpose?'),
    low: text('Slet ikke', 'Not at all'),
    high: text('Helt', 'Fully'),
  },
  relations: {
    question: text(
      'Hvordan er tilliden og relationerne i gruppen?',
      'How are trust and relations in the group?',
    ),
    low: text('Svage', 'Weak'),
    high: text('Stærke', 'Strong'),
  },
  giveGet: {
    question: text('Gav eller fik du mest i dag?', 'Did you give or get more today?'),
    low: text('Jeg gav mest', 'I mostly gave'),
    high: text('Jeg fik mest', 'I mostly got'),
  },
};

/** The middle of the give/get scale. */
export const GIVE_GET_BALANCED_TEXT: LocalizedText = text('Lige meget', 'Balanced');

/** A network's status as a member reads it. */
export const LIFECYCLE_STATUS_LABELS: Readonly<Record<LifecycleStatus, LocalizedText>> = {
  forming: text('Under opstart', 'Forming'),
  trial: text('Prøveperiode', 'Trial period'),
  review_due: text('Evaluering af netværket', 'Review due'),
  active: text('Aktivt', 'Active'),
  paused: text('På pause', 'Paused'),
  dissolved: text('Opløst', 'Dissolved'),
};

export const HEALTH_BAND_LABELS: Readonly<Record<HealthBand, LocalizedText>> = {
  thriving: text('Blomstrer', 'Thriving'),
  healthy: text('Sundt', 'Healthy'),
  at_risk: text('I risikozonen', 'At risk'),
  off_track: text('På vildspor', 'Off track'),
  too_early: text('For tidligt at sige', 'Too early to say'),
};

export const TREND_DIRECTION_LABELS: Readonly<Record<TrendDirection, LocalizedText>> = {
  improving: text('Bedre', 'Improving'),
  stable: text('Stabil', 'Stable'),
  declining: text('Faldende', 'Declining'),
  too_early: text('For tidligt at sige', 'Too early to say'),
};

/**
 * The text in one language with its `{name}` placeholders filled; a placeholder without a value
 * stays as written (so a missing value shows, rather than vanishing). Never throws.
 */
export function fillText(
  localized: LocalizedText,
  language: MemberLanguage,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return localized[language].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}
