import t from '@sparring/test-workers/tap';
import { DEFAULT_EVALUATION_WINDOW_DAYS } from './confidentiality.js';
import { evaluationClosesAt, isEvaluationOpen } from './evaluation-window.js';

const DAY = 86_400_000;
const startsAt = new Date('2027-03-01T16:00:00Z');
const heldAt = new Date('2027-03-01T19:30:00Z');

t.test('the window: frozen, else held + days, else start + days', async (t) => {
  const frozen = new Date('2027-03-05T10:00:00Z');
  t.same(
    evaluationClosesAt({ startsAt, heldAt, evaluationClosesAt: frozen }, 30),
    frozen,
    'the frozen instant wins',
  );
  t.same(evaluationClosesAt({ startsAt, heldAt }, 7), new Date(heldAt.getTime() + 7 * DAY));
  t.same(
    evaluationClosesAt({ startsAt, heldAt: null, evaluationClosesAt: null }, 7),
    new Date(startsAt.getTime() + 7 * DAY),
  );
  t.same(
    evaluationClosesAt({ startsAt }),
    new Date(startsAt.getTime() + DEFAULT_EVALUATION_WINDOW_DAYS * DAY),
    'the default window (14 days)',
  );
});

t.test('open until the instant it closes', async (t) => {
  const closesAt = new Date('2027-03-15T19:30:00Z');
  t.ok(isEvaluationOpen(closesAt, new Date(closesAt.getTime() - 1)));
  t.notOk(isEvaluationOpen(closesAt, closesAt), 'closed at the instant');
  t.notOk(isEvaluationOpen(closesAt, new Date(closesAt.getTime() + DAY)));
});
