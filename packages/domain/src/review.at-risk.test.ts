/**
 * The review's reasons for issue #14 items 6 and 7: members at risk of withdrawing (only at ≥ k)
 * and k_unreachable (fewer active members than k).
 */
import t from '@sparring/test-workers/tap';
import { healthReport } from '../test/helpers/health.js';
import { REVIEW_REASON_MESSAGES, recommendReview } from './review.js';

const health = healthReport;
const codes = (r: ReturnType<typeof recommendReview>) => r.reasons.map((x) => x.code);

t.test('members at risk: a reason only when the count may be shown', async (t) => {
  const shown = recommendReview(health(), [], {
    minimumResponses: 5,
    membersAtRisk: { atRisk: 6, byAnswersOnly: 6, releasedUnder: 5 },
  });
  t.equal(shown.recommendation, 'adjust', 'a healthy network with six at risk is advised to change');
  t.same(shown.reasons.at(-1), {
    code: 'members_at_risk_of_withdrawing',
    message: REVIEW_REASON_MESSAGES.members_at_risk_of_withdrawing,
    evidence: { atRisk: 6, minimum: 5 },
    suggests: ['agenda_format'],
  });
  if (shown.recommendation === 'adjust')
    t.same(
      shown.advised.map((c) => [c.area, c.direction, c.reason, c.strength]),
      [['agenda_format', 'everyone_gets_a_turn', 'members_at_risk_of_withdrawing', 6]],
      'strength: what benefit costs the index, 0.3 × (100 − 80)',
    );
  const stricter = recommendReview(health(), [], {
    minimumResponses: 3,
    membersAtRisk: { atRisk: 4, byAnswersOnly: 4, releasedUnder: 5 },
  });
  t.same(codes(stricter), ['health_good'], 'released under 5: four are not shown at k = 3');
  t.equal(stricter.recommendation, 'continue');
  t.same(codes(recommendReview(health(), [], {})), ['health_good'], 'no count given: no reason');
});

t.test('k_unreachable: beside the other reasons when numbers were released before', async (t) => {
  const r = recommendReview(health(), [], { minimumResponses: 5, activeMembers: 4 });
  t.equal(r.recommendation, 'continue');
  t.same(codes(r), ['health_good', 'k_unreachable']);
  t.same(r.reasons.at(-1)?.evidence, { activeMembers: 4, minimum: 5, floor: 3 });
  t.same(codes(recommendReview(health(), [], { minimumResponses: 5, activeMembers: 5 })), ['health_good']);
  const early = recommendReview(
    health({ band: 'too_early', index: null, components: null, measures: null, evaluatedMeetings: 0 }),
    [],
    { activeMembers: 6 },
  );
  t.same(codes(early), ['too_early', 'evaluate_first'], 'default k 5, six members: evaluate first');
  const stuck = recommendReview(
    health({ band: 'too_early', index: null, components: null, measures: null, evaluatedMeetings: 0 }),
    [],
    { activeMembers: 2, minimumResponses: 3 },
  );
  t.same(codes(stuck), ['too_early', 'k_unreachable'], 'below the floor too: the reason says add members');
  t.match(stuck.reasons.at(-1)?.message.en, /or add members/);
});
