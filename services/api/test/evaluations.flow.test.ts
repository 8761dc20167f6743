/**
 * The whole path through every slice's own routes (networks, charter, meetings, then ours): a
 * network is formed, accepts its charter, runs a 3-meeting trial marked held by the meetings
 * routes (which apply meeting_held), members evaluate, health is read, the review is due and decided.
 */

import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { charterInput, createLeaders, memberToken, PAST_MODEL } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

t.test(
  'a trial through the real routes ends in a due review with a recommendation and a decision',
  async (t) => {
    const { auth } = await ctx.tenant();
    const leaderIds = await createLeaders(app, auth, 6);
    const tokens = [];
    for (const id of leaderIds) tokens.push(await memberToken(app, auth, id));
    const call = async (
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      headers: { authorization: string },
      payload?: object,
    ) => {
      return api(app, headers).send(method, url, payload);
    };

    const network = (await call('POST', '/v1/networks', auth, { name: 'Flow', minResponses: 5 })).json();
    for (const leaderId of leaderIds) {
      const added = await call('POST', `/v1/networks/${network.id}/members`, auth, { leaderId });
      t.equal(added.statusCode, 201, 'member added');
    }
    const charter = await call('POST', `/v1/networks/${network.id}/charter-versions`, auth, charterInput);
    t.equal(charter.statusCode, 201, 'charter proposed');
    for (const token of tokens) {
      const accepted = await call('POST', `/v1/networks/${network.id}/charter-versions/1/acceptances`, token);
      t.ok([200, 201].includes(accepted.statusCode), 'accepted');
    }
    t.equal(
      (await call('PUT', `/v1/networks/${network.id}/meeting-model`, auth, PAST_MODEL)).statusCode,
      201,
    );
    const generated = await call('POST', `/v1/networks/${network.id}/meetings/generate`, auth, { count: 3 });
    t.equal(generated.statusCode, 201);
    const meetings = generated.json().data as { id: string }[];
    const trial = await call('POST', `/v1/networks/${network.id}/trial`, auth);
    t.equal(trial.statusCode, 200, 'trial started');

    const early = await call('PUT', `/v1/meetings/${meetings[0]!.id}/evaluations/me`, tokens[0]!, {
      benefit: 4,
      energy: 4,
      purposeFit: 4,
      relations: 4,
      giveGet: 0,
    });
    t.equal(early.json().code, 'meeting_not_held', 'not before the meeting is held');

    for (const m of meetings) {
      const held = await call('POST', `/v1/meetings/${m.id}/held`, auth, {
        attendance: leaderIds.map((leaderId, j) => ({ leaderId, status: j === 5 ? 'no_show' : 'attended' })),
      });
      t.equal(held.statusCode, 200, 'marked held');
      for (const [j, token] of tokens.entries()) {
        const res = await call('PUT', `/v1/meetings/${m.id}/evaluations/me`, token, {
          benefit: 3 + (j % 3),
          energy: 4,
          purposeFit: 4,
          relations: 4,
          giveGet: 0,
        });
        t.equal(res.statusCode, j === 5 ? 403 : 201, j === 5 ? 'a no-show cannot evaluate' : 'evaluated');
      }
    }
    const summary = (await call('GET', `/v1/meetings/${meetings[2]!.id}/evaluations/summary`, auth)).json();
    // Everyone who could answer did (the no-show cannot), so each window closed early: released now.
    t.match(summary, { released: true, value: { responses: 5, eligible: 5, minimum: 5 } });
    t.same(summary.value.meetingIds, [meetings[2]!.id], 'the meeting released on its own');
    const health = (await call('GET', `/v1/networks/${network.id}/health`, auth)).json();
    t.equal(health.evaluatedMeetings, 3);
    t.not(health.band, 'too_early');

    const review = await call('GET', `/v1/networks/${network.id}/review`, auth);
    t.equal(review.statusCode, 200, 'the meetings routes made the review due');
    t.ok(['continue', 'adjust', 'dissolve'].includes(review.json().recommendation.recommendation));
    const decided = await call('POST', `/v1/networks/${network.id}/review/decision`, auth, {
      decision: 'continue',
    });
    t.equal(decided.json().networkStatus, 'active');
    const after = (await call('GET', `/v1/networks/${network.id}`, auth)).json();
    t.equal(after.status, 'active');
  },
);
