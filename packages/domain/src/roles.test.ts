import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import {
  assignRoles,
  DEFAULT_ROLES_POLICY,
  MEETING_ROLES,
  type MeetingRole,
  parseRolesPolicy,
  type RoleAssignment,
  type RolesPolicy,
  type RoleTurn,
  turnsOf,
} from './roles.js';

const members = ['ane', 'bo', 'cai', 'dea', 'eva', 'finn'];
const holderOf = (assignments: RoleAssignment[], role: MeetingRole) => {
  const a = assignments.find((x) => x.role === role)!;
  return a.holder?.kind === 'member'
    ? a.holder.memberId
    : a.holder?.kind === 'external'
      ? `ext:${a.holder.name}`
      : null;
};
const holders = (assignments: RoleAssignment[]) => MEETING_ROLES.map((r) => holderOf(assignments, r));

/** Plans `meetings` meetings in a row, cancelling `cancelled(seq)` at each, and returns the history. */
function run(
  policy: RolesPolicy,
  memberIds: string[],
  meetings: number,
  cancelled: (seq: number) => string[] = () => [],
): { history: RoleTurn[]; plans: RoleAssignment[][] } {
  const history: RoleTurn[] = [];
  const plans: RoleAssignment[][] = [];
  for (let seq = 1; seq <= meetings; seq++) {
    const plan = assignRoles({
      policy,
      memberIds,
      unavailable: cancelled(seq),
      history,
      meetingSequence: seq,
    });
    plans.push(plan);
    history.push(...turnsOf(seq, plan));
  }
  return { history, plans };
}

t.test('parseRolesPolicy', async (t) => {
  const rows: [unknown, string[] | undefined, RolesPolicy | string[]][] = [
    [{}, undefined, DEFAULT_ROLES_POLICY],
    [
      { host: { kind: 'fixed', memberId: 'bo' }, facilitator: { kind: 'external', name: 'Karen Coach' } },
      members,
      {
        ...DEFAULT_ROLES_POLICY,
        host: { kind: 'fixed', memberId: 'bo' },
        facilitator: { kind: 'external', name: 'Karen Coach' },
      },
    ],
    [{ coordinator: { kind: 'rotating' } }, undefined, DEFAULT_ROLES_POLICY],
    [{ host: { kind: 'external', name: 'Hotel' } }, undefined, ['host.kind:not_allowed']],
    [{ host: { kind: 'fixed', memberId: 'zed' } }, members, ['host.memberId:invalid_reference']],
    [{ host: { kind: 'fixed' } }, members, ['host.memberId:required']],
    [{ facilitator: { kind: 'external' } }, undefined, ['facilitator.name:required']],
    [{ facilitator: { kind: 'rotating', name: 'x' } }, undefined, ['facilitator.name:unknown_property']],
    [{ chair: { kind: 'rotating' } }, undefined, ['chair:unknown_property']],
    [{ host: 'bo' }, undefined, ['host:wrong_type', 'host.kind:required']],
  ];
  for (const [input, ids, expected] of rows) {
    const r = parseRolesPolicy(input, ids);
    t.same(
      r.ok ? r.value : r.error.issues.map((i) => `${i.path}:${i.code}`),
      expected,
      JSON.stringify(input),
    );
  }
});

t.test('golden rotation: six members, four rotating roles, one full cycle', async (t) => {
  const { plans } = run(DEFAULT_ROLES_POLICY, members, 7);
  t.same(plans.map(holders), [
    ['ane', 'bo', 'cai', 'dea'],
    ['eva', 'finn', 'ane', 'bo'],
    ['cai', 'dea', 'eva', 'finn'],
    ['bo', 'ane', 'dea', 'cai'],
    ['finn', 'eva', 'bo', 'ane'],
    ['dea', 'cai', 'finn', 'eva'],
    ['ane', 'bo', 'cai', 'dea'],
  ]);
  for (const plan of plans) t.equal(new Set(holders(plan)).size, 4, 'one role each when possible');
});

t.test('each assignment explains itself', async (t) => {
  const { plans } = run(DEFAULT_ROLES_POLICY, members, 2);
  const first = plans[0]![0]!;
  t.match(first, { role: 'coordinator', basis: 'rotation', turnsBefore: 0, lastTurn: null });
  t.match(
    first.explanation.en,
    /Fewest past turns in the role \(0\) among the 6 members.*has not held it before/,
  );
  t.match(first.explanation.da, /Færrest tidligere ture/);
  const ane = plans[1]!.find((a) => a.role === 'agenda_owner')!;
  t.match(ane, { turnsBefore: 0, lastTurn: null });
  const third = run(DEFAULT_ROLES_POLICY, members, 3).plans[2]![0]!;
  t.match(third, { holder: { memberId: 'cai' }, turnsBefore: 0 });
  t.match(third.explanation.en, /earlier turns in any role: 1\./);
  const seventh = run(DEFAULT_ROLES_POLICY, members, 7).plans[6]![0]!;
  t.match(seventh, { turnsBefore: 1, lastTurn: 1, holder: { memberId: 'ane' } });
  t.match(seventh.explanation.en, /last held it at meeting 1/);
});

t.test('members who cancelled are skipped', async (t) => {
  const plan = assignRoles({
    policy: DEFAULT_ROLES_POLICY,
    memberIds: members,
    unavailable: ['ane', 'cai'],
    history: [],
    meetingSequence: 1,
  });
  t.same(holders(plan), ['bo', 'dea', 'eva', 'finn']);
  t.match(plan[0]!.explanation.en, /among the 4 members who can attend/);
});

t.test('a member holds two roles only when fewer members than roles can attend', async (t) => {
  const plan = assignRoles({
    policy: DEFAULT_ROLES_POLICY,
    memberIds: ['ane', 'bo', 'cai'],
    unavailable: [],
    history: [],
    meetingSequence: 1,
  });
  t.same(holders(plan), ['ane', 'bo', 'cai', 'ane']);
});

t.test(
  'fairness wins over one-role-each: the member due a turn gets it even with another role',
  async (t) => {
    // bo is the only member who has never been facilitator; bo is also fixed host.
    const history: RoleTurn[] = ['ane', 'cai', 'dea'].map((memberId, i) => ({
      meetingSequence: i + 1,
      role: 'facilitator',
      memberId,
    }));
    const policy: RolesPolicy = { ...DEFAULT_ROLES_POLICY, host: { kind: 'fixed', memberId: 'bo' } };
    const plan = assignRoles({
      policy,
      memberIds: ['ane', 'bo', 'cai', 'dea'],
      unavailable: [],
      history,
      meetingSequence: 4,
    });
    t.equal(holderOf(plan, 'host'), 'bo');
    t.equal(holderOf(plan, 'facilitator'), 'bo');
  },
);

t.test('fixed and external roles', async (t) => {
  const policy: RolesPolicy = {
    ...DEFAULT_ROLES_POLICY,
    host: { kind: 'fixed', memberId: 'bo' },
    facilitator: { kind: 'external', name: 'Karen Coach' },
  };
  const plan = assignRoles({ policy, memberIds: members, unavailable: [], history: [], meetingSequence: 1 });
  t.same(holders(plan), ['ane', 'bo', 'cai', 'ext:Karen Coach']);
  t.match(plan[1], { basis: 'fixed', turnsBefore: null });
  t.match(plan[3], { basis: 'external' });
  t.match(plan[3]!.explanation.en, /external facilitator: Karen Coach/);
  t.same(turnsOf(1, plan), [
    { meetingSequence: 1, role: 'coordinator', memberId: 'ane' },
    { meetingSequence: 1, role: 'host', memberId: 'bo' },
    { meetingSequence: 1, role: 'agenda_owner', memberId: 'cai' },
  ]);

  const away = assignRoles({
    policy,
    memberIds: members,
    unavailable: ['bo'],
    history: [],
    meetingSequence: 2,
  });
  t.match(away[1], { basis: 'fixed_unavailable_rotation', holder: { memberId: 'cai' } });
  t.match(away[1]!.explanation.en, /^The agreed member cannot attend, so the role rotates\./);
  t.match(away[1]!.explanation.da, /^Det aftalte medlem kan ikke deltage/);
  const left = assignRoles({
    policy,
    memberIds: ['ane', 'cai'],
    unavailable: [],
    history: [],
    meetingSequence: 2,
  });
  t.match(left[1], { basis: 'fixed_unavailable_rotation' });
});

t.test('nobody available: roles are unfilled, with a reason', async (t) => {
  const plan = assignRoles({
    policy: DEFAULT_ROLES_POLICY,
    memberIds: ['ane'],
    unavailable: ['ane'],
    history: [],
    meetingSequence: 1,
  });
  t.same(
    plan.map((a) => [a.basis, a.holder]),
    MEETING_ROLES.map(() => ['unfilled', null]),
  );
  t.match(plan[0]!.explanation.en, /No member is available/);
});

t.test('turns already recorded for this meeting do not count (re-planning is stable)', async (t) => {
  const first = assignRoles({
    policy: DEFAULT_ROLES_POLICY,
    memberIds: members,
    unavailable: [],
    history: [],
    meetingSequence: 1,
  });
  const again = assignRoles({
    policy: DEFAULT_ROLES_POLICY,
    memberIds: members,
    unavailable: [],
    history: turnsOf(1, first),
    meetingSequence: 1,
  });
  t.same(again, first);
});

t.test('property: turn counts among always-available members never differ by more than 1', async (t) => {
  const memberIdArb = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), { minLength: 1, maxLength: 9 });
  fc.assert(
    fc.property(
      memberIdArb,
      fc.integer({ min: 0, max: 8 }),
      fc.integer({ min: 1, max: 24 }),
      fc.array(fc.array(fc.nat(20), { maxLength: 4 }), { minLength: 24, maxLength: 24 }),
      fc.constantFrom<MeetingRole | null>(null, ...MEETING_ROLES),
      (ids, sometimesCount, meetings, cancellations, fixedRole) => {
        // The first `sometimesCount` members may cancel; the rest never do.
        const sometimes = ids.slice(0, Math.min(sometimesCount, ids.length - 1));
        const always = ids.filter((id) => !sometimes.includes(id));
        const policy: RolesPolicy =
          fixedRole === null
            ? DEFAULT_ROLES_POLICY
            : { ...DEFAULT_ROLES_POLICY, [fixedRole]: { kind: 'fixed', memberId: ids[0]! } };
        const { history } = run(policy, ids, meetings, (seq) =>
          sometimes.length === 0 ? [] : cancellations[seq - 1]!.map((i) => sometimes[i % sometimes.length]!),
        );
        return MEETING_ROLES.filter((role) => policy[role].kind === 'rotating').every((role) => {
          const counts = always.map(
            (id) => history.filter((h) => h.role === role && h.memberId === id).length,
          );
          return Math.max(...counts) - Math.min(...counts) <= 1;
        });
      },
    ),
    { numRuns: 300 },
  );
  t.pass('the property held');
});

t.test('property: a member holds two roles only when fewer than four members can attend', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 12 }), (n, meetings) => {
      const ids = Array.from({ length: n }, (_, i) => `m${i}`);
      const { plans } = run(DEFAULT_ROLES_POLICY, ids, meetings);
      return plans.every((plan) => new Set(holders(plan)).size === Math.min(4, n));
    }),
  );
  t.pass('the property held');
});
