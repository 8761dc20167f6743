import t from '@sparring/test-workers/tap';
import { leaderInput } from '../test/helpers/leaders.js';
import { parseLeaderProfile } from './leader.js';
import {
  assessReadiness,
  FOCUS_GUIDANCE,
  parseReadinessAnswers,
  profileFieldsFromReadiness,
  READINESS_QUESTIONS,
  type ReadinessAnswers,
} from './readiness.js';
import { FOCUS_AREAS } from './vocabulary.js';

const answers: ReadinessAnswers = {
  motivations: ['dilemma_sparring', 'social', 'strategy'],
  expectation: 'Sparring på svære personalesager',
  sameSector: 'different',
  sameExperience: 'same',
  sameOrganisation: 'no_preference',
  timeCommitment: 'every_second_month',
  availability: ['weekday_evening'],
  formats: ['in_person', 'hybrid'],
  readyToShare: 'yes',
};

t.test('the questionnaire is data: every answer field has one question, in both languages', async (t) => {
  t.same(READINESS_QUESTIONS.map((q) => q.id).sort(), Object.keys(answers).sort());
  for (const q of READINESS_QUESTIONS) {
    t.ok(q.prompt.da && q.prompt.en, q.id);
    t.equal(q.options.length === 0, q.kind === 'free_text', `${q.id}: options iff a choice`);
    for (const o of q.options) t.ok(o.label.da && o.label.en, `${q.id}.${o.value}`);
  }
  const motivations = READINESS_QUESTIONS.find((q) => q.id === 'motivations')!;
  t.same(
    motivations.options.map((o) => o.value),
    [...FOCUS_AREAS],
  );
});

t.test('every option a question offers is accepted by the parser', async (t) => {
  for (const q of READINESS_QUESTIONS)
    for (const o of q.options) {
      const value = q.kind === 'multiple_choice' ? [o.value] : o.value;
      t.ok(parseReadinessAnswers({ ...answers, [q.id]: value }).ok, `${q.id}=${o.value}`);
    }
});

t.test('parseReadinessAnswers', async (t) => {
  const minimal = {
    motivations: ['strategy'],
    timeCommitment: 'every_month',
    availability: ['weekend'],
    formats: ['online'],
    readyToShare: 'unsure',
  };
  t.same(parseReadinessAnswers(minimal), {
    ok: true,
    value: {
      ...minimal,
      expectation: null,
      sameSector: 'no_preference',
      sameExperience: 'no_preference',
      sameOrganisation: 'no_preference',
    },
  });
  const rows: [unknown, string[]][] = [
    [
      {},
      [
        'motivations:required',
        'timeCommitment:required',
        'availability:required',
        'formats:required',
        'readyToShare:required',
      ],
    ],
    [{ ...minimal, motivations: [] }, ['motivations:too_short']],
    [{ ...minimal, motivations: ['golf'] }, ['motivations[0]:not_allowed']],
    [{ ...minimal, sameSector: 'maybe' }, ['sameSector:not_allowed']],
    [{ ...minimal, timeCommitment: 'weekly' }, ['timeCommitment:not_allowed']],
    [{ ...minimal, age: 40 }, ['age:unknown_property']],
  ];
  for (const [input, expected] of rows) {
    const r = parseReadinessAnswers(input);
    t.same(r.ok ? [] : r.error.issues.map((i) => `${i.path}:${i.code}`), expected, JSON.stringify(input));
  }
});

t.test('assessReadiness: profile and suggested network', async (t) => {
  const a = assessReadiness(answers);
  t.equal(a.verdict, 'good_fit');
  t.same(a.motivationProfile, {
    primary: 'dilemma_sparring',
    motivations: answers.motivations,
    socialOnly: false,
  });
  t.same(a.suggestedNetwork, {
    focus: ['dilemma_sparring', 'strategy'],
    cadenceMonths: 2,
    timeSlots: ['weekday_evening'],
    formats: ['in_person', 'hybrid'],
    composition: { sector: 'diverse', experience: 'similar', organisation: 'ignore' },
  });
  t.same(
    a.guidance.map((g) => g.code),
    ['focus_dilemma_sparring', 'focus_social', 'focus_strategy'],
  );
  t.equal(a.guidance[0]!.text, FOCUS_GUIDANCE.dilemma_sparring);
});

t.test('assessReadiness: verdicts and warnings', async (t) => {
  const rows: [string, Partial<ReadinessAnswers>, string, string[]][] = [
    ['ready', {}, 'good_fit', []],
    ['not ready to share', { readyToShare: 'no' }, 'not_now', ['not_ready_to_share']],
    ['unsure about sharing', { readyToShare: 'unsure' }, 'fit_with_caveats', ['unsure_about_sharing']],
    ['social only', { motivations: ['social'] }, 'fit_with_caveats', ['social_only']],
    [
      'social only and not ready',
      { motivations: ['social'], readyToShare: 'no' },
      'not_now',
      ['social_only', 'not_ready_to_share'],
    ],
    ['no expectation', { expectation: null }, 'good_fit', ['no_expectation']],
    [
      'the same on every dimension',
      { sameSector: 'same', sameExperience: 'same', sameOrganisation: 'same' },
      'good_fit',
      ['all_same', 'same_organisation'],
    ],
    ['same organisation only', { sameOrganisation: 'same' }, 'good_fit', ['same_organisation']],
  ];
  for (const [name, over, verdict, warnings] of rows) {
    const a = assessReadiness({ ...answers, motivations: ['strategy'], ...over });
    t.equal(a.verdict, verdict, name);
    t.same(
      a.guidance.map((g) => g.code).filter((c) => !c.startsWith('focus_')),
      warnings,
      name,
    );
    for (const g of a.guidance) t.ok(g.text.da && g.text.en, `${name}: ${g.code}`);
  }
  const social = assessReadiness({ ...answers, motivations: ['social'] });
  t.same(social.suggestedNetwork.focus, ['social']);
  t.ok(social.motivationProfile.socialOnly);
  t.match(social.guidance.find((g) => g.code === 'social_only')!.text.da, /mere end socialt/);
});

t.test('cadence follows the time the leader can give', async (t) => {
  const rows = [
    ['every_month', 1],
    ['every_second_month', 2],
    ['every_third_month', 3],
  ] as const;
  for (const [timeCommitment, months] of rows)
    t.equal(assessReadiness({ ...answers, timeCommitment }).suggestedNetwork.cadenceMonths, months);
});

t.test('profileFieldsFromReadiness prefills a valid leader profile', async (t) => {
  const fields = profileFieldsFromReadiness(answers);
  t.same(fields.sameness, { sector: 'different', experience: 'same', organisation: 'no_preference' });
  // Without the fields readiness asks about: the prefill must supply them.
  const { motivations: _m, availability: _a, formats: _f, ...personal } = leaderInput();
  const profile = parseLeaderProfile({ ...personal, ...fields });
  t.ok(profile.ok);
  if (profile.ok) t.equal(profile.value.preferredCadenceMonths, 2);
});
