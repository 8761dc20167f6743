import t from '@sparring/test-workers/tap';
import { type NetworkSettingsContext, parseNetworkSettings, reviewEveryIssue } from './network-settings.js';
import { DEFAULT_ROLES_POLICY } from './roles.js';

const members = ['ane', 'bo', 'cai', 'dea', 'eva', 'finn'];
const ctx: NetworkSettingsContext = { memberIds: members, leaderExists: (id) => id !== 'ghost' };
const atCreation: NetworkSettingsContext = { leaderExists: () => true };

const issuesOf = (input: Parameters<typeof parseNetworkSettings>[0], context = ctx) => {
  const r = parseNetworkSettings(input, context);
  return r.ok ? [] : r.error.issues.map((i) => `${i.path}:${i.code}`);
};

t.test('an empty change is valid and changes nothing', async (t) => {
  t.same(parseNetworkSettings({}, ctx), { ok: true, value: {} });
});

t.test('every field, valid', async (t) => {
  const r = parseNetworkSettings(
    {
      size: { min: 5, max: 8 },
      trialLength: 4,
      reviewEvery: 6,
      timeZone: 'Europe/Copenhagen',
      rolesPolicy: DEFAULT_ROLES_POLICY,
      minResponses: 4,
      evaluationWindowDays: 21,
      facilitator: { kind: 'member', leaderId: 'bo' },
    },
    ctx,
  );
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(r.value.size, { min: 5, max: 8 });
  t.equal(r.value.trialLength, 4);
  t.equal(r.value.reviewEvery, 6);
  t.equal(r.value.timeZone, 'Europe/Copenhagen');
  t.same(r.value.rolesPolicy, DEFAULT_ROLES_POLICY);
  t.equal(r.value.minResponses, 4);
  t.equal(r.value.evaluationWindowDays, 21);
  t.same(r.value.facilitator, { kind: 'member', leaderId: 'bo' });
});

t.test('every field wrong: every issue at once, with its path', async (t) => {
  t.same(
    issuesOf({
      size: { min: 9, max: 5 },
      trialLength: 5,
      reviewEvery: 0,
      timeZone: 'Mars/Olympus',
      rolesPolicy: { host: { kind: 'fixed', memberId: 'stranger' } },
      minResponses: 2,
      evaluationWindowDays: 0,
      facilitator: { kind: 'robot' },
    }).map((x) => x.split(':')[0]!.split('.')[0]),
    [
      'size',
      'trialLength',
      'reviewEvery',
      'timeZone',
      'rolesPolicy',
      'minResponses',
      'evaluationWindowDays',
      'facilitator',
    ],
  );
  t.same(issuesOf({ trialLength: '3' }), ['trialLength:not_allowed'], 'the trial is 3 or 4 (a number)');
  t.same(issuesOf({ reviewEvery: '6' }), ['reviewEvery:not_allowed']);
  t.same(issuesOf({ timeZone: 42 }), ['timeZone:invalid_format']);
  t.same(issuesOf({ evaluationWindowDays: 2.5 }), ['evaluationWindowDays:not_allowed']);
  t.same(issuesOf({ evaluationWindowDays: '7' }), ['evaluationWindowDays:not_allowed']);
  t.same(issuesOf({ evaluationWindowDays: 91 }), ['evaluationWindowDays:not_allowed'], 'at most 90 days');
  t.same(issuesOf({ minResponses: 2 }), ['minResponses:too_small'], 'k is never silently raised');
  t.same(reviewEveryIssue().path, 'reviewEvery');
});

t.test('size and roles policy issues are nested under their field', async (t) => {
  t.ok(issuesOf({ size: 'big' }).every((i) => i.startsWith('size')));
  t.ok(issuesOf({ size: { min: 2 } }).some((i) => i.startsWith('size.')));
  const policy = issuesOf({ rolesPolicy: 'rotate' });
  t.ok(policy.length > 0 && policy.every((i) => i.startsWith('rolesPolicy')));
  t.ok(
    issuesOf({ rolesPolicy: { host: { kind: 'fixed', memberId: 'stranger' } } })[0]!.startsWith(
      'rolesPolicy.',
    ),
  );
});

t.test('the facilitator: a member, an outsider, or none', async (t) => {
  const value = (facilitator: unknown, context = ctx) => {
    const r = parseNetworkSettings({ facilitator }, context);
    return r.ok ? r.value.facilitator : r.error.issues.map((i) => `${i.path}:${i.code}`);
  };
  t.equal(value(null), null, 'null removes the facilitator');
  t.same(
    value({ kind: 'member', leaderId: 'ghost' }),
    ['facilitator.leaderId:invalid_reference'],
    'no such leader',
  );
  t.same(
    value({ kind: 'member', leaderId: 'stranger' }),
    ['facilitator.leaderId:invalid_reference'],
    'a leader, not a member',
  );
  t.same(value({ kind: 'member', leaderId: 'stranger' }, atCreation), {
    kind: 'member',
    leaderId: 'stranger',
  });
  t.same(value({ kind: 'external', name: '  Ida Holm ', email: ' ida@example.dk ' }), {
    kind: 'external',
    name: 'Ida Holm',
    email: 'ida@example.dk',
  });
  t.same(value({ kind: 'external', name: 'Ida Holm' }), { kind: 'external', name: 'Ida Holm', email: null });
  t.same(value({ kind: 'external', name: 'Ida Holm', email: 'not-an-email' }), [
    'facilitator.email:invalid_format',
  ]);
  t.same(value({ kind: 'external', name: 'Ida Holm', email: 'ida@example.dk\u0000' }), [
    'facilitator.email:invalid_format',
  ]);
  t.same(value({ kind: 'external', name: 'Ida\u0000' }), ['facilitator.name:invalid_format']);
  t.same(value({ kind: 'external', name: '   ' }), ['facilitator:not_allowed'], 'an outsider needs a name');
  t.same(value({ kind: 'member' }), ['facilitator:not_allowed']);
  t.same(value('Ida'), ['facilitator:not_allowed']);
});
