import t from '@sparring/test-workers/tap';
import {
  aggregateEvaluations,
  EVALUATION_COMMENT_MAX,
  type Evaluation,
  type EvaluationContext,
  mean,
  onePerMember,
  parseEvaluation,
  scoreStatistics,
  stddev,
} from './evaluation.js';

const valid = {
  meetingId: 'mt1',
  memberId: 'a',
  benefit: 4,
  energy: 5,
  purposeFit: 3,
  relations: 4,
  giveGet: -1,
};

t.test('parseEvaluation accepts a valid answer and normalises the comment', async (t) => {
  t.same(parseEvaluation(valid), { ok: true, value: { ...valid, comment: null } });
  const withComment = parseEvaluation({ ...valid, comment: '  Godt møde  ' });
  t.ok(withComment.ok && withComment.value.comment === 'Godt møde');
  const empty = parseEvaluation({ ...valid, comment: '   ' });
  t.ok(empty.ok && empty.value.comment === null, 'a blank comment is no comment');
  const longest = parseEvaluation({ ...valid, comment: 'x'.repeat(EVALUATION_COMMENT_MAX) });
  t.ok(longest.ok, 'a comment of exactly the maximum length is accepted');
});

t.test('parseEvaluation rejects every out-of-range or wrong-typed answer', async (t) => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['benefit 0', { benefit: 0 }, 'benefit', 'too_small'],
    ['benefit 6', { benefit: 6 }, 'benefit', 'too_large'],
    ['energy 2.5', { energy: 2.5 }, 'energy', 'wrong_type'],
    ['purpose fit as text', { purposeFit: '3' }, 'purposeFit', 'wrong_type'],
    ['relations missing', { relations: undefined }, 'relations', 'required'],
    ['give/get −3', { giveGet: -3 }, 'giveGet', 'too_small'],
    ['give/get +3', { giveGet: 3 }, 'giveGet', 'too_large'],
    ['give/get 0.5', { giveGet: 0.5 }, 'giveGet', 'wrong_type'],
    ['comment too long', { comment: 'x'.repeat(EVALUATION_COMMENT_MAX + 1) }, 'comment', 'too_long'],
    ['unknown field', { mood: 3 }, 'mood', 'unknown_property'],
    ['no meeting', { meetingId: '' }, 'meetingId', 'required'],
  ];
  for (const [name, patch, path, code] of cases) {
    const r = parseEvaluation({ ...valid, ...patch });
    t.notOk(r.ok, name);
    if (!r.ok && r.error.code === 'validation_failed')
      t.ok(
        r.error.issues.some((i) => i.path === path && i.code === code),
        `${name}: ${path} ${code}`,
      );
    else t.fail(`${name}: expected a validation failure`);
  }
});

t.test('with a context, only attendees of a held meeting may evaluate it', async (t) => {
  const held: EvaluationContext = { meetingId: 'mt1', meetingStatus: 'held', memberAttendance: 'attended' };
  const cases: [string, Partial<EvaluationContext>, string | null][] = [
    ['attended a held meeting', {}, null],
    ['confirmed (attendance not recorded)', { memberAttendance: 'confirmed' }, null],
    ['expected (attendance not recorded)', { memberAttendance: 'expected' }, null],
    ['planned meeting', { meetingStatus: 'planned' }, 'meeting_not_held'],
    ['cancelled meeting', { meetingStatus: 'cancelled' }, 'meeting_not_held'],
    ['member cancelled', { memberAttendance: 'cancelled' }, 'not_an_attendee'],
    ['member did not show', { memberAttendance: 'no_show' }, 'not_an_attendee'],
    ['not expected at all', { memberAttendance: null }, 'not_an_attendee'],
    ['another meeting', { meetingId: 'mt2' }, 'wrong_meeting'],
  ];
  for (const [name, patch, code] of cases) {
    const r = parseEvaluation(valid, { ...held, ...patch });
    if (code === null) t.ok(r.ok, name);
    else {
      t.equal(r.ok ? null : r.error.code, code, name);
      if (!r.ok && 'message' in r.error)
        t.ok(r.error.message.da && r.error.message.en, `${name}: da/en text`);
    }
  }
});

const ev = (memberId: string, scores: Partial<Evaluation> = {}): Evaluation => ({
  meetingId: 'mt1',
  memberId,
  benefit: 3,
  energy: 3,
  purposeFit: 3,
  relations: 3,
  giveGet: 0,
  comment: null,
  ...scores,
});

t.test('statistics: mean, population stddev, distribution', async (t) => {
  t.equal(mean([]), 0);
  t.equal(mean([1, 2, 3, 6]), 3);
  t.equal(stddev([4]), 0);
  t.equal(stddev([2, 4, 4, 4, 5, 5, 7, 9]), 2, 'the textbook population example');
  t.same(scoreStatistics([1, 5, 5], [1, 2, 3, 4, 5]), {
    mean: 11 / 3,
    min: 1,
    max: 5,
    stddev: Math.sqrt(((1 - 11 / 3) ** 2 + 2 * (5 - 11 / 3) ** 2) / 3),
    distribution: { 1: 1, 2: 0, 3: 0, 4: 0, 5: 2 },
  });
  t.same(scoreStatistics([], [1, 2]), { mean: 0, min: 0, max: 0, stddev: 0, distribution: { 1: 0, 2: 0 } });
  t.same(
    scoreStatistics([3], [1, 2]).distribution,
    { 1: 0, 2: 0, 3: 1 },
    'a value outside the scale is still counted, under its own key',
  );
});

t.test('aggregateEvaluations counts one answer per member and no comments', async (t) => {
  const agg = aggregateEvaluations(
    [
      ev('a', { benefit: 1, giveGet: -2, comment: 'private' }),
      ev('b', { benefit: 5 }),
      ev('a', { benefit: 2, giveGet: -2 }), // an edited answer replaces the first
    ],
    4,
  );
  t.equal(agg.responses, 2);
  t.equal(agg.responseRate, 0.5);
  t.equal(agg.benefit.mean, 3.5);
  t.equal(agg.benefit.min, 2);
  t.same(agg.giveGet.distribution, { '-2': 1, '-1': 0, 0: 1, 1: 0, 2: 0 });
  t.notMatch(JSON.stringify(agg), /private|"a"|"b"/, 'no comment and no member id in an aggregate');
  t.equal(aggregateEvaluations([ev('a')]).responseRate, null, 'unknown eligible');
  t.equal(aggregateEvaluations([ev('a')], 0).responseRate, null, 'nobody eligible');
  t.same(
    onePerMember([ev('a'), ev('b'), ev('a', { benefit: 5 })]).map((e) => [e.memberId, e.benefit]),
    [
      ['a', 5],
      ['b', 3],
    ],
  );
});
