/**
 * Microsoft Entra ID's provisioning flow, step by step as its SCIM documentation shows the
 * requests ("Develop and plan provisioning for a SCIM endpoint", user operations; and its SCIM
 * compatibility notes): the match query before a create, the create, reads, PATCHes with
 * capitalised ops, `emails[type eq "work"].value`, string booleans, a bare manager id, the
 * path-less form of the aadOptscim062020 flag, disable, and delete.
 */

import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { patchOp, SCIM, scimClient } from './helpers/scim.js';

const ctx = await buildTestApp(t, { SPARRING_PUBLIC_URL: 'https://sparring.example' });
const { app } = ctx;

t.test('Entra ID: match, create, read, update, disable, delete', async (t) => {
  const { auth } = await ctx.tenant('Contoso');
  const scim = scimClient(app, auth);
  // Entra maps userPrincipalName to userName: an address in Sparring.
  const upn = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.example';

  // 1. Before creating, Entra asks whether the user exists: an empty ListResponse.
  const none = await scim.filter(`userName eq "${upn}"`, '&aadOptscim062020=true');
  t.equal(none.status, 200);
  t.same(none.body, { schemas: [SCIM.list], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  const stranger = await scim.filter('userName eq "non-existent user"');
  t.equal(stranger.body.totalResults, 0, '"Get User by query - Zero results"');

  // 2. Create User, Entra's request body.
  const created = await scim.post('/Users', {
    schemas: [SCIM.user, SCIM.enterprise],
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: upn,
    active: true,
    emails: [
      { primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' },
    ],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
  });
  t.equal(created.status, 201, created.body.detail);
  const id = created.body.id;
  t.match(created.body, {
    schemas: [SCIM.user, SCIM.enterprise, SCIM.leader],
    id,
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: upn.toLowerCase(),
    active: true,
    name: { formatted: 'givenName familyName', givenName: 'givenName', familyName: 'familyName' },
    meta: { resourceType: 'User', location: `https://sparring.example/scim/v2/Users/${id}` },
  });
  t.same(
    created.body.emails,
    [{ value: upn.toLowerCase(), type: 'work', primary: true }],
    'one address: userName',
  );

  // 3. Get User, and Get User by query.
  t.equal((await scim.get(`/Users/${id}`)).body.id, id);
  const found = await scim.filter(`userName eq "${upn}"`);
  t.match(found.body, { totalResults: 1, startIndex: 1, itemsPerPage: 1 });
  t.equal(found.body.Resources[0].id, id);
  // Entra can match on externalId (objectId) instead.
  t.equal(
    (await scim.filter('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')).body.Resources[0].id,
    id,
  );

  // 4. Update User [Multi-valued properties]: "Replace", the work email by a value filter.
  const multi = await scim.patch(
    `/Users/${id}`,
    patchOp(
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@contoso.example' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    ),
  );
  t.equal(multi.status, 200, multi.body.detail);
  t.equal(multi.body.emails[0].value, 'updatedemail@contoso.example');
  t.equal(multi.body.userName, 'updatedemail@contoso.example', 'the one address moved');
  t.equal(multi.body.name.familyName, 'updatedFamilyName');
  t.equal(multi.body.displayName, 'givenName updatedFamilyName');

  // 5. Update User [Single-valued properties].
  const single = await scim.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'userName', value: upn }));
  t.equal(single.status, 200);
  t.equal(single.body.userName, upn.toLowerCase());

  // 6. The manager: Entra sends the manager's id bare, then removes it.
  const boss = (
    await scim.post('/Users', {
      schemas: [SCIM.user],
      userName: 'boss@contoso.example',
      name: { givenName: 'Big', familyName: 'Boss' },
    })
  ).body;
  const withManager = await scim.patch(
    `/Users/${id}`,
    patchOp({ op: 'Add', path: `${SCIM.enterprise}:manager`, value: boss.id }),
  );
  t.equal(withManager.status, 200, withManager.body.detail);
  t.same(withManager.body[SCIM.enterprise].manager, {
    value: boss.id,
    $ref: `https://sparring.example/scim/v2/Users/${boss.id}`,
  });
  const rest = await api(app, auth).get(`/v1/leaders/${id}`);
  t.equal(rest.json().managerId, boss.id, "the leader's manager in Sparring");
  t.equal(
    (await scim.filter(`${SCIM.enterprise}:manager.value eq "${boss.id}"`)).body.Resources[0].id,
    id,
    'filter by manager',
  );
  const asObject = await scim.patch(
    `/Users/${id}`,
    patchOp({ op: 'Replace', path: `${SCIM.enterprise}:manager`, value: { value: boss.id } }),
  );
  t.equal(asObject.body[SCIM.enterprise].manager.value, boss.id, 'the RFC form too');
  const inCapitals = await scim.patch(
    `/Users/${id}`,
    patchOp({ op: 'Replace', path: `${SCIM.enterprise}:manager`, value: boss.id.toUpperCase() }),
  );
  t.equal(inCapitals.status, 200, inCapitals.body.detail);
  t.equal(inCapitals.body[SCIM.enterprise].manager.value, boss.id, 'an id in capitals is the same id');
  const removed = await scim.patch(
    `/Users/${id}`,
    patchOp({ op: 'Remove', path: `${SCIM.enterprise}:manager` }),
  );
  t.notOk('manager' in removed.body[SCIM.enterprise]);
  t.equal((await api(app, auth).get(`/v1/leaders/${id}`)).json().managerId, null);
  const selfManaged = await scim.patch(
    `/Users/${id}`,
    patchOp({ op: 'Add', path: `${SCIM.enterprise}:manager`, value: id }),
  );
  t.equal(selfManaged.status, 400, 'a leader cannot manage themselves');
  t.equal(selfManaged.body.scimType, 'invalidValue');

  // 7. With aadOptscim062020: one path-less replace carrying paths as keys, filter paths included.
  const flagged = await scim.patch(
    `/Users/${id}`,
    patchOp({
      op: 'replace',
      value: {
        displayName: 'Pvlo Ysmwjzmlr',
        'emails[type eq "work"].value': 'TestBcwqnm@contoso.example',
        'name.givenName': 'Ysmwjzmlr',
        [`${SCIM.enterprise}:manager`]: boss.id,
      },
    }),
  );
  t.equal(flagged.status, 200, flagged.body.detail);
  t.equal(flagged.body.displayName, 'Pvlo Ysmwjzmlr');
  t.equal(flagged.body.userName, 'testbcwqnm@contoso.example');
  t.equal(flagged.body[SCIM.enterprise].manager.value, boss.id);
  t.notOk(
    Object.keys(flagged.body).some((k) => k.includes('[')),
    'no attribute named after a path',
  );
  // Older Entra jobs: a bare `manager` path with a one-element list.
  const legacy = await scim.patch(
    `/Users/${id}`,
    patchOp({ op: 'Add', path: 'manager', value: [{ $ref: null, value: id }] }),
  );
  t.equal(legacy.status, 400, 'read as the manager (here: themselves, refused)');

  // 8. Disable User: "False" as a string (Entra without the flag), then false; enable with "True".
  const disabled = await scim.patch(
    `/Users/${id}`,
    patchOp({ op: 'Replace', path: 'active', value: 'False' }),
  );
  t.equal(disabled.status, 200, disabled.body.detail);
  t.equal(disabled.body.active, false);
  t.equal((await scim.get(`/Users/${id}`)).body.active, false);
  t.equal((await api(app, auth).get(`/v1/leaders/${id}`)).json().active, false, 'deactivated in Sparring');
  const again = await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }));
  t.equal(again.body.meta.version, disabled.body.meta.version, 'disabling twice changes nothing');
  const enabled = await scim.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }));
  t.equal(enabled.body.active, true);
  t.equal((await api(app, auth).get(`/v1/leaders/${id}`)).json().active, true, 'reactivated');

  // 9. Delete User: 204, then a 404 SCIM error.
  const deleted = await scim.delete(`/Users/${id}`);
  t.equal(deleted.status, 204);
  const gone = await scim.get(`/Users/${id}`);
  t.equal(gone.status, 404);
  t.same(gone.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
  t.equal(
    (await scim.filter(`userName eq "${upn}"`)).body.totalResults,
    0,
    'the match query finds nobody again',
  );
  // Entra re-provisions the person: a new User with the same userName and externalId.
  const back = await scim.post('/Users', {
    schemas: [SCIM.user],
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: upn,
    name: { formatted: 'givenName familyName' },
  });
  t.equal(back.status, 201, back.body.detail);
  t.not(back.body.id, id);
});
