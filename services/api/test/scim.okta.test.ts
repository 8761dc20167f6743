/**
 * Okta's provisioning, step by step: the required tests of Okta's SCIM 2.0 spec test (its
 * Runscope suite, in its order), then what Okta's provisioning does afterwards as its SCIM
 * reference documents it: import by paging, profile push by PUT, deactivate and reactivate by
 * PATCH of `active` (Okta never deletes).
 */

import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { patchOp, SCIM, scimClient } from './helpers/scim.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

t.test("Okta's SCIM 2.0 spec test (required tests)", async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  // The suite expects at least one user to exist.
  const existing = await scim.post('/Users', {
    schemas: [SCIM.user],
    userName: 'existing.user@atko.example',
    name: { givenName: 'Existing', familyName: 'User' },
    emails: [{ primary: true, value: 'existing.user@atko.example', type: 'work' }],
  });
  t.equal(existing.status, 201);

  // Test Users endpoint.
  const first = await scim.get('/Users?count=1&startIndex=1');
  t.equal(first.status, 200);
  t.ok(first.body.schemas.includes(SCIM.list));
  for (const field of ['itemsPerPage', 'startIndex', 'totalResults'])
    t.type(first.body[field], 'number', field);
  const r0 = first.body.Resources[0];
  t.ok(
    r0.id && r0.name.familyName && r0.name.givenName && r0.userName && r0.emails[0].value,
    'the fields Okta reads',
  );
  t.equal(r0.active, true);

  // Get Users/{{id}}.
  const one = await scim.get(`/Users/${r0.id}`);
  t.equal(one.status, 200);
  t.equal(one.body.id, r0.id);
  t.equal(one.body.name.familyName, 'User');
  t.equal(one.body.name.givenName, 'Existing');

  // Test invalid User by username; invalid User by ID; make sure a random user does not exist.
  const invalidName = await scim.filter('userName eq "invalid-user@atko.example"');
  t.equal(invalidName.status, 200);
  t.equal(invalidName.body.totalResults, 0);
  const invalidId = await scim.get('/Users/010101001010101010');
  t.equal(invalidId.status, 404);
  t.ok(invalidId.body.detail);
  t.ok(invalidId.body.schemas.includes(ERROR));
  const randomEmail = 'runscope3941tester@atko.example';
  t.equal((await scim.filter(`userName eq "${randomEmail}"`)).body.totalResults, 0);

  // Create Okta user with realistic values (Okta sends application/json here).
  const userName = 'runscope3941tester@atko.example';
  const body = {
    schemas: [SCIM.user],
    userName,
    name: { givenName: 'Bob', familyName: 'Smith' },
    emails: [{ primary: true, value: randomEmail, type: 'work' }],
    displayName: 'Bob Smith',
    active: true,
  };
  const created = await api(app, auth).post('/scim/v2/Users', body, {
    headers: { 'content-type': 'application/json', accept: 'application/scim+json; charset=utf-8' },
  });
  t.equal(created.statusCode, 201);
  const user = created.json();
  t.equal(user.active, true);
  t.ok(user.id);
  t.equal(user.name.familyName, 'Smith');
  t.equal(user.name.givenName, 'Bob');
  t.ok(user.schemas.includes(SCIM.user));
  t.equal(user.userName, userName);

  // Verify that user was created.
  const verified = await scim.get(`/Users/${user.id}`);
  t.match(verified.body, { userName, name: { familyName: 'Smith', givenName: 'Bob' } });

  // Expect failure when recreating user with same values.
  const again = await scim.post('/Users', {
    ...body,
    emails: [{ primary: true, value: userName, type: 'work' }],
  });
  t.equal(again.status, 409);
  t.equal(again.body.scimType, 'uniqueness');

  // Username Case Sensitivity Check.
  const caps = await scim.filter(`userName eq "${userName.toUpperCase()}"`);
  t.equal(caps.status, 200);
  t.equal(caps.body.totalResults, 1, 'userName matches case-insensitively');

  // Check status 401 (Authorization: "non-token").
  const unauthorized = await scimClient(app, { authorization: 'non-token' }).filter(
    `userName eq "${userName}"`,
  );
  t.equal(unauthorized.status, 401);
  t.ok(unauthorized.body.detail);
  t.equal(unauthorized.body.status, '401');
  t.ok(unauthorized.body.schemas.includes(ERROR));

  // Check status 404.
  const notFound = await scim.get('/Users/00919288221112222');
  t.equal(notFound.status, 404);
  t.ok(notFound.body.detail);
  t.equal(notFound.body.status, '404');
  t.ok(notFound.body.schemas.includes(ERROR));
});

t.test(
  'Okta provisioning: import by pages, push a profile by PUT, deactivate and reactivate by PATCH',
  async (t) => {
    const { auth } = await ctx.tenant();
    const scim = scimClient(app, auth);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await scim.post('/Users', {
        schemas: [SCIM.user],
        userName: `person${i}@atko.example`,
        name: { givenName: `Person${i}`, familyName: 'Okta' },
        emails: [{ primary: true, value: `person${i}@atko.example`, type: 'work' }],
        displayName: `Person${i} Okta`,
        locale: 'en-US',
        password: 'never-stored-1!',
        groups: [],
        active: true,
      });
      t.equal(res.status, 201);
      ids.push(res.body.id);
    }
    // Import: startIndex/count until totalResults (Okta pages by 100; 3 here).
    const seen: string[] = [];
    let startIndex = 1;
    for (;;) {
      const page = (await scim.get(`/Users?startIndex=${startIndex}&count=3`)).body;
      t.equal(page.totalResults, 7);
      seen.push(...page.Resources.map((r: { id: string }) => r.id));
      startIndex += page.itemsPerPage;
      if (page.itemsPerPage === 0 || startIndex > page.totalResults) break;
    }
    t.same(seen, ids, 'every user once, in order');
    t.notOk(
      JSON.stringify(await scim.get(`/Users/${ids[0]}`)).includes('never-stored'),
      'the password is not kept',
    );

    // Profile push: Okta GETs the user, then PUTs the whole user.
    const current = (await scim.get(`/Users/${ids[0]}`)).body;
    const pushed = await scim.put(`/Users/${ids[0]}`, {
      ...current,
      name: { givenName: 'Robert', familyName: 'Okta' },
      displayName: 'Robert Okta',
      userName: 'robert@atko.example',
      emails: [{ primary: true, value: 'robert@atko.example', type: 'work' }],
    });
    t.equal(pushed.status, 200, pushed.body.detail);
    t.match(pushed.body, {
      userName: 'robert@atko.example',
      displayName: 'Robert Okta',
      name: { givenName: 'Robert' },
    });

    // Deactivate: PATCH replace with a path-less value (Okta's documented body).
    const off = await scim.patch(`/Users/${ids[0]}`, patchOp({ op: 'replace', value: { active: false } }));
    t.equal(off.status, 200);
    t.equal(off.body.active, false);
    t.equal((await scim.get(`/Users/${ids[0]}`)).body.active, false);
    t.equal((await api(app, auth).get(`/v1/leaders/${ids[0]}`)).json().active, false);
    // A PUT with active false (apps that deactivate by PUT) is the same.
    const offByPut = await scim.put(`/Users/${ids[1]}`, {
      ...(await scim.get(`/Users/${ids[1]}`)).body,
      active: false,
    });
    t.equal(offByPut.body.active, false);
    // Reactivate.
    const on = await scim.patch(`/Users/${ids[0]}`, patchOp({ op: 'replace', value: { active: true } }));
    t.equal(on.body.active, true);
    t.equal((await api(app, auth).get(`/v1/leaders/${ids[0]}`)).json().active, true);
    // A leaving date ahead set over /v1, then the identity provider says the person has left now.
    const ahead = await api(app, auth).post(`/v1/leaders/${ids[2]}/deactivate`, {
      from: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    t.equal(ahead.statusCode, 200, ahead.body);
    t.equal((await scim.get(`/Users/${ids[2]}`)).body.active, true, 'active until the date');
    const leftNow = await scim.patch(
      `/Users/${ids[2]}`,
      patchOp({ op: 'replace', value: { active: false } }),
    );
    t.equal(leftNow.body.active, false, 'the date moves to now');
    const leader = (await api(app, auth).get(`/v1/leaders/${ids[2]}`)).json();
    t.ok(Date.parse(leader.deactivatedAt) <= Date.now(), 'deactivated from now');
    t.equal(
      (await scim.patch(`/Users/${ids[2]}`, patchOp({ op: 'replace', value: { active: true } }))).body.active,
      true,
    );
    // Deactivated users are still listed (Okta reads them on import), with active false.
    const all = (await scim.get('/Users?count=100')).body;
    t.equal(all.totalResults, 7);
    t.same(
      all.Resources.filter((r: { active: boolean }) => !r.active).map((r: { id: string }) => r.id),
      [ids[1]],
    );
  },
);

t.test('Okta sends userName in any case: it is answered lower-cased (one address per leader)', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  const created = await scim.post('/Users', {
    schemas: [SCIM.user],
    userName: 'Runscope3941Tester@Atko.example',
    name: { givenName: 'Run', familyName: 'Scope' },
  });
  t.equal(created.body.userName, 'runscope3941tester@atko.example');
  t.equal((await scim.filter('userName eq "Runscope3941Tester@Atko.example"')).body.totalResults, 1);
});
