import { READINESS_QUESTIONS } from '@sparring/domain';
import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';
import { createLeaders, memberToken } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const ready = {
  motivations: ['dilemma_sparring', 'strategy'],
  expectation: 'Sparring on leading leaders through a merger',
  sameSector: 'different',
  sameExperience: 'same',
  sameOrganisation: 'different',
  timeCommitment: 'every_second_month',
  availability: ['weekday_daytime', 'weekend'],
  formats: ['in_person'],
  readyToShare: 'yes',
};

const assess = (auth: { authorization: string }, payload: unknown) =>
  api(app, auth).post('/v1/readiness/assessments', payload as object);

t.test('the questionnaire is the domain’s, in order, for an admin key and a member token', async (t) => {
  const { auth } = await ctx.tenant();
  const [leaderId] = await createLeaders(app, auth, 1);
  const member = await memberToken(app, auth, leaderId!);
  for (const caller of [auth, member]) {
    const res = await api(app, caller).get('/v1/readiness/questions');
    t.equal(res.statusCode, 200);
    const data = res.json().data as { id: string; prompt: { da: string; en: string } }[];
    t.same(
      data.map((q) => q.id),
      READINESS_QUESTIONS.map((q) => q.id),
    );
    t.match(data[0]!.prompt, { da: /ledernetværk/, en: /leader network/ });
  }
  const anonymous = await api(app).get('/v1/readiness/questions');
  t.equal(anonymous.statusCode, 401);
  t.match(anonymous.headers['content-type'], /application\/problem\+json/);
});

t.test(
  'an assessment: verdict, profile, the network that fits, guidance; profileFields prefill a leader',
  async (t) => {
    const { auth } = await ctx.tenant();
    const res = await assess(auth, ready);
    t.equal(res.statusCode, 200);
    const body = res.json();
    t.equal(body.assessment.verdict, 'good_fit');
    t.same(body.assessment.motivationProfile, {
      primary: 'dilemma_sparring',
      motivations: ['dilemma_sparring', 'strategy'],
      socialOnly: false,
    });
    t.same(body.assessment.suggestedNetwork, {
      focus: ['dilemma_sparring', 'strategy'],
      cadenceMonths: 2,
      timeSlots: ['weekday_daytime', 'weekend'],
      formats: ['in_person'],
      composition: { sector: 'diverse', experience: 'similar', organisation: 'diverse' },
    });
    t.same(
      body.assessment.guidance.map((g: { code: string }) => g.code),
      ['focus_dilemma_sparring', 'focus_strategy'],
    );
    t.same(body.profileFields, {
      motivations: ['dilemma_sparring', 'strategy'],
      availability: ['weekday_daytime', 'weekend'],
      formats: ['in_person'],
      preferredCadenceMonths: 2,
      sameness: { sector: 'different', experience: 'same', organisation: 'different' },
    });
    const leader = await api(app, auth).post('/v1/leaders', { ...leaderBody(), ...body.profileFields });
    t.equal(leader.statusCode, 201, 'the prefilled profile is a valid leader');
    t.same(leader.json().sameness, body.profileFields.sameness);

    // Only social, unsure about sharing, no expectation, the same everywhere: caveats with reasons.
    const caveats = (
      await assess(auth, {
        motivations: ['social'],
        sameSector: 'same',
        sameExperience: 'same',
        sameOrganisation: 'same',
        timeCommitment: 'every_month',
        availability: ['weekday_evening'],
        formats: ['online'],
        readyToShare: 'unsure',
      })
    ).json();
    t.equal(caveats.assessment.verdict, 'fit_with_caveats');
    t.equal(caveats.assessment.motivationProfile.socialOnly, true);
    t.same(caveats.assessment.guidance.map((g: { code: string }) => g.code).sort(), [
      'all_same',
      'focus_social',
      'no_expectation',
      'same_organisation',
      'social_only',
      'unsure_about_sharing',
    ]);
    const notNow = (await assess(auth, { ...ready, readyToShare: 'no' })).json();
    t.equal(notNow.assessment.verdict, 'not_now');
  },
);

t.test('bad answers are 400 problems; nothing else is needed to ask', async (t) => {
  const { auth } = await ctx.tenant();
  const cases: unknown[] = [
    { ...ready, motivations: [] },
    { ...ready, motivations: ['golf'] },
    { ...ready, readyToShare: 'maybe' },
    { ...ready, favouriteColour: 'blue' },
    { ...ready, expectation: 'x'.repeat(1001) },
    { ...ready, motivations: ['strategy', 'strategy'] },
    [],
  ];
  for (const payload of cases) {
    const res = await assess(auth, payload);
    t.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 80));
    t.match(res.headers['content-type'], /application\/problem\+json/);
    t.equal(res.json().code, 'validation_failed');
  }
  const { timeCommitment: _, ...missing } = ready;
  t.equal((await assess(auth, missing)).statusCode, 400, 'a required answer is missing');
});

t.test('GraphQL: the same questionnaire and assessment, the same validation code', async (t) => {
  const { auth } = await ctx.tenant();
  const questions = await gql(app, auth, '{ readinessQuestions { id kind required options { value } } }');
  t.same(
    (questions.body.data!.readinessQuestions as { id: string }[]).map((q) => q.id),
    READINESS_QUESTIONS.map((q) => q.id),
  );
  const query = `query($answers: ReadinessAnswersInput!) {
    assessReadiness(answers: $answers) {
      verdict
      motivationProfile { primary socialOnly }
      suggestedNetwork { focus cadenceMonths composition { sector experience organisation } }
      guidance { code text { da en } }
      profileFields { preferredCadenceMonths sameness { sector } }
    }
  }`;
  const good = await gql(app, auth, query, { answers: ready });
  t.same(good.body.data!.assessReadiness, {
    verdict: 'good_fit',
    motivationProfile: { primary: 'dilemma_sparring', socialOnly: false },
    suggestedNetwork: {
      focus: ['dilemma_sparring', 'strategy'],
      cadenceMonths: 2,
      composition: { sector: 'diverse', experience: 'similar', organisation: 'diverse' },
    },
    guidance: (await assess(auth, ready)).json().assessment.guidance,
    profileFields: { preferredCadenceMonths: 2, sameness: { sector: 'different' } },
  });
  const bad = await gql(app, auth, query, { answers: { ...ready, motivations: [] } });
  t.equal(bad.body.errors![0]!.extensions.code, 'validation_failed');
  t.same(
    bad.body.errors![0]!.extensions.issues!.map((i) => i.path),
    ['motivations'],
  );
});
