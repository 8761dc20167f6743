/**
 * A formation proposal's leaders are `memberIds` on both surfaces (REST and GraphQL, issue 12);
 * REST's earlier name `members` stays as a deprecated alias (same ids, `deprecated: true` in the
 * document) while /v1 lasts, per the deprecation policy in docs/api-contract.md.
 */

import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { createLeaders } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

t.test(
  'REST and GraphQL name a proposal’s leaders memberIds; REST keeps members as a deprecated alias',
  async (t) => {
    const { auth } = await ctx.tenant();
    const ids = await createLeaders(app, auth, 8, (i) => ({ organisation: `Org ${i}` }));
    const created = await api(app, auth).post('/v1/formation-runs', {
      pool: { leaderIds: ids },
      sizes: { min: 4, max: 4 },
      seed: 3,
      maxIterations: 5,
    });
    t.equal(created.statusCode, 202, created.payload.slice(0, 300));
    const runId = created.json().id as string;
    await app.formationRunner.idle();

    const rest = (await api(app, auth).get(`/v1/formation-runs/${runId}`)).json();
    t.equal(rest.status, 'succeeded');
    const proposals = rest.result.proposals as { memberIds: string[]; members: string[] }[];
    t.ok(proposals.length > 0, 'proposals were made');
    for (const p of proposals) {
      t.equal(p.memberIds.length, 4, 'memberIds lists the leaders');
      t.ok(
        p.memberIds.every((id) => ids.includes(id)),
        'of the pool',
      );
      t.same(p.members, p.memberIds, 'the deprecated alias carries the same ids');
    }

    const graph = await gql(
      app,
      auth,
      `{ formationRun(id: "${runId}") { proposals { index memberIds members { id } } } }`,
    );
    t.same(graph.body.errors, undefined, JSON.stringify(graph.body.errors));
    const graphRun = graph.body.data?.formationRun as {
      proposals: { memberIds: string[]; members: { id: string }[] }[];
    };
    const graphProposals = graphRun.proposals;
    t.same(
      graphProposals.map((p) => p.memberIds),
      proposals.map((p) => p.memberIds),
      'GraphQL gives the same memberIds',
    );
    t.same(
      graphProposals.map((p) => p.members.map((m) => m.id)),
      proposals.map((p) => p.memberIds),
      'and the leaders themselves as members',
    );

    const accepted = await api(app, auth).post(`/v1/formation-runs/${runId}/accept`, { proposals: [0] });
    t.equal(accepted.statusCode, 200, accepted.payload.slice(0, 300));
    t.same(
      accepted.json().result.proposals[0].memberIds,
      proposals[0]!.memberIds,
      'accept answers with memberIds',
    );
  },
);

t.test('the document marks members deprecated and describes memberIds', async (t) => {
  const doc = (await api(app).get('/openapi.json')).json();
  const run = doc.components.schemas.FormationRun;
  const proposal = run.properties.result.anyOf.find((s: { type?: string }) => s.type === 'object').properties
    .proposals.items;
  t.ok(proposal.required.includes('memberIds'), 'memberIds is always there');
  t.equal(proposal.properties.memberIds.type, 'array');
  t.equal(proposal.properties.members.deprecated, true, 'members is deprecated');
});
