/**
 * SCIM 2.0 conformance: RFC 7644's own examples (create, read, filter, paging, replace, patch,
 * delete, errors, ETags), the discovery endpoints, and tenant isolation. The identity
 * providers' documented flows are in scim.entra.test.ts and scim.okta.test.ts.
 */

import t from '@sparring/test-workers/tap';
import type { Test } from 'tap';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';
import { patchOp, SCIM, type ScimResponse, scimClient, scimUser } from './helpers/scim.js';

const ctx = await buildTestApp(t, { SPARRING_PUBLIC_URL: 'https://sparring.example' });
const { app } = ctx;

function isScimError(t: Test, res: ScimResponse, status: number, scimType?: string) {
  t.equal(res.status, status, `status ${status}`);
  t.match(res.contentType, /^application\/scim\+json/, 'a SCIM content type');
  t.same(res.body.schemas, [SCIM.error], 'the SCIM Error schema');
  t.equal(res.body.status, String(status), 'status as a string (RFC 7644 §3.12)');
  if (scimType) t.equal(res.body.scimType, scimType, `scimType ${scimType}`);
  else t.notOk('scimType' in res.body, 'no scimType');
  t.type(res.body.detail, 'string');
  t.ok(res.body.detail.length > 0, 'a detail');
}

t.test('RFC 7644 §3.3: create a User; §3.4.1: read it back with meta and ETag', async (t) => {
  const { auth } = await ctx.tenant('Aarhus Kommune');
  const scim = scimClient(app, auth);
  // RFC 7644 §3.3's example, with an email for userName (Sparring's userName is the sign-in address).
  const created = await scim.post('/Users', {
    schemas: [SCIM.user],
    userName: 'BJensen@Example.com',
    externalId: 'bjensen',
    name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
  });
  t.equal(created.status, 201);
  t.match(created.contentType, /^application\/scim\+json/);
  const user = created.body;
  t.match(user.id, /^[0-9a-f-]{36}$/);
  t.equal(created.headers.location, `https://sparring.example/scim/v2/Users/${user.id}`, 'Location header');
  t.equal(user.meta.location, created.headers.location);
  t.equal(user.meta.resourceType, 'User');
  t.equal(user.meta.version, 'W/"1"');
  t.equal(created.headers.etag, 'W/"1"');
  t.equal(user.userName, 'bjensen@example.com', 'the address, lower-cased');
  t.same(user.emails, [{ value: 'bjensen@example.com', type: 'work', primary: true }]);
  t.equal(user.externalId, 'bjensen');
  t.equal(user.displayName, 'Ms. Barbara J Jensen III', 'name.formatted names the leader');
  t.equal(user.active, true);
  t.same(user.schemas, [SCIM.user, SCIM.enterprise, SCIM.leader]);
  t.same(user[SCIM.enterprise], { organization: 'Aarhus Kommune' }, "the tenant's name when no organization");
  t.same(
    user[SCIM.leader],
    {
      sector: 'unspecified',
      level: 'middle',
      yearsOfExperience: 0,
      region: 'unspecified',
      languages: ['da'],
      motivations: [
        'people_leadership',
        'strategy',
        'dilemma_sparring',
        'self_reflection',
        'learning',
        'social',
      ],
      availability: ['weekday_daytime', 'weekday_evening', 'weekend'],
      formats: ['in_person', 'online', 'hybrid'],
    },
    'the documented defaults',
  );

  const read = await scim.get(`/Users/${user.id}`);
  t.equal(read.status, 200);
  t.same(read.body, user, 'GET returns what POST returned');
  t.equal(read.headers.etag, 'W/"1"');

  // The leader is a Sparring leader like any other: REST reads the same person.
  const rest = await api(app, auth).get(`/v1/leaders/${user.id}`);
  t.equal(rest.json().email, 'bjensen@example.com');
  t.equal(rest.json().externalId, 'bjensen');
  t.equal(rest.json().organisation, 'Aarhus Kommune');
});

t.test('create: what the client sends wins over the defaults; bad values are 400 invalidValue', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  const manager = (await scim.post('/Users', scimUser())).body;
  const created = await scim.post('/Users', {
    ...scimUser({ displayName: 'Søren Nielsen', preferredLanguage: 'en-GB' }),
    schemas: [SCIM.user, SCIM.enterprise, SCIM.leader],
    addresses: [{ type: 'work', region: 'Midtjylland', primary: true }],
    [SCIM.enterprise]: {
      organization: 'Region Midtjylland',
      manager: { value: manager.id },
      department: 'IT',
    },
    [SCIM.leader]: { sector: 'public', level: 'senior', yearsOfExperience: 12, motivations: ['strategy'] },
  });
  t.equal(created.status, 201, created.body.detail);
  const u = created.body;
  t.equal(u.displayName, 'Søren Nielsen', 'displayName first');
  t.same(u.name, { formatted: 'Søren Nielsen', givenName: 'Søren', familyName: 'Nielsen' });
  t.same(u[SCIM.enterprise], {
    organization: 'Region Midtjylland',
    manager: { value: manager.id, $ref: `https://sparring.example/scim/v2/Users/${manager.id}` },
  });
  t.match(u[SCIM.leader], {
    sector: 'public',
    level: 'senior',
    yearsOfExperience: 12,
    region: 'Midtjylland',
    languages: ['en'],
    motivations: ['strategy'],
  });

  const badLevel = await scim.post('/Users', { ...scimUser(), [SCIM.leader]: { level: 'boss' } });
  isScimError(t, badLevel, 400, 'invalidValue');
  t.match(badLevel.body.detail, /leader:2\.0:User:level/, 'the detail names the SCIM attribute');
  const notAnEmail = await scim.post('/Users', scimUser({ userName: 'bjensen' }));
  isScimError(t, notAnEmail, 400, 'invalidValue');
  t.match(notAnEmail.body.detail, /userName/);
  isScimError(t, await scim.post('/Users', { ...scimUser(), userName: undefined }), 400, 'invalidValue');
  isScimError(t, await scim.post('/Users', { ...scimUser(), schemas: undefined }), 400, 'invalidSyntax');
  isScimError(
    t,
    await scim.post('/Users', { schemas: [SCIM.user], userName: 'x@example.dk' }),
    400,
    'invalidValue',
  );
  const unknownManager = await scim.post('/Users', {
    ...scimUser(),
    [SCIM.enterprise]: { manager: { value: '0190a5c4-0000-7000-8000-000000000000' } },
  });
  isScimError(t, unknownManager, 400, 'invalidValue');
  t.match(unknownManager.body.detail, /enterprise:2\.0:User:manager/);
  isScimError(t, await scim.post('/Users', '{"schemas": ['), 400, 'invalidSyntax');
  isScimError(t, await scim.post('/Users', scimUser({ active: 'maybe' })), 400, 'invalidValue');
  t.equal(
    (await scim.get('/Users')).body.totalResults,
    2,
    'no refused User was stored (the manager and Søren are)',
  );
});

t.test('RFC 7644 §3.3: a taken userName or externalId is 409 uniqueness', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  const first = await scim.post('/Users', scimUser({ externalId: 'EMP-1' }));
  t.equal(first.status, 201);
  const sameName = await scim.post('/Users', scimUser({ userName: first.body.userName.toUpperCase() }));
  isScimError(t, sameName, 409, 'uniqueness');
  isScimError(t, await scim.post('/Users', scimUser({ externalId: 'EMP-1' })), 409, 'uniqueness');
});

t.test(
  'RFC 7644 §3.4.2.2: filters run in the database; unsupported ones are 400 invalidFilter',
  async (t) => {
    const { auth } = await ctx.tenant();
    const scim = scimClient(app, auth);
    const a = (
      await scim.post(
        '/Users',
        scimUser({ userName: 'anna.berg@example.dk', externalId: 'E-1', displayName: 'Anna Berg' }),
      )
    ).body;
    const b = (
      await scim.post(
        '/Users',
        scimUser({ userName: 'bo.dahl@example.dk', externalId: 'e-1', displayName: 'Bo Dahl' }),
      )
    ).body;
    const c = (await scim.post('/Users', scimUser({ userName: 'carl.eg@other.dk', displayName: 'Carl Eg' })))
      .body;
    const ids = async (filter: string) => {
      const res = await scim.filter(filter);
      t.equal(res.status, 200, `${filter}: ${res.body.detail ?? ''}`);
      t.same(res.body.schemas, [SCIM.list]);
      t.equal(res.body.totalResults, res.body.Resources.length);
      return res.body.Resources.map((r: { id: string }) => r.id);
    };
    t.same(await ids('userName eq "anna.berg@example.dk"'), [a.id]);
    t.same(
      await ids('UserName EQ "ANNA.Berg@Example.DK"'),
      [a.id],
      'names, operators and userName are case-insensitive',
    );
    t.same(await ids(`${SCIM.user}:userName eq "bo.dahl@example.dk"`), [b.id], 'a fully qualified name');
    t.same(await ids('externalId eq "E-1"'), [a.id], 'externalId is case-exact');
    t.same(await ids('emails.value eq "carl.eg@other.dk"'), [c.id]);
    t.same(await ids('emails[value eq "carl.eg@other.dk"]'), [c.id], 'a value path');
    t.same(await ids(`id eq "${b.id}"`), [b.id]);
    t.same(await ids('id eq "not-a-uuid"'), [], 'an id that is no UUID matches nothing');
    t.same(await ids('userName sw "A"'), [a.id], 'RFC 7644 §3.4.2.2: userName sw "J"');
    t.same(await ids('userName ew "@example.dk"'), [a.id, b.id]);
    t.same(await ids('userName co "_"'), [], 'LIKE wildcards are literal');
    t.same(await ids('displayName co "dahl"'), [b.id]);
    t.same(await ids('userName eq "anna.berg@example.dk" or userName eq "bo.dahl@example.dk"'), [a.id, b.id]);
    t.same(await ids('userName ew "example.dk" and not (externalId eq "E-1")'), [b.id]);
    t.same(await ids('externalId pr'), [a.id, b.id]);
    t.same(await ids('userName eq "nobody@example.dk"'), [], 'no match is an empty list, not a 404');

    // meta.lastModified gt (RFC 7644 §3.4.2.2's example): only what changed since.
    t.same(await ids('meta.lastModified gt "2011-05-13T04:42:34Z"'), [a.id, b.id, c.id]);
    await new Promise((r) => setTimeout(r, 20)); // updated_at is the database clock: step past it
    const since = new Date().toISOString();
    t.same(await ids(`meta.lastModified gt "${since}"`), []);
    t.equal(
      (
        await scim.patch(
          `/Users/${c.id}`,
          patchOp({ op: 'replace', path: 'displayName', value: 'Carl Egede' }),
        )
      ).status,
      200,
    );
    t.same(await ids(`meta.lastModified gt "${since}"`), [c.id], 'the changed User shows up');
    t.same(await ids(`meta.lastModified ge "${since}" and userName ew "other.dk"`), [c.id]);

    for (const [filter, why] of [
      ['title pr', 'an attribute Sparring does not store'],
      ['name.familyName co "O\'Malley"', 'a derived attribute'],
      ['userName gt "a"', 'an operator the attribute does not support'],
      ['meta.lastModified gt "yesterday"', 'a date that is not RFC 3339'],
      ['userName eq', 'a syntax error'],
      ['userName eq 42', 'a number for a string attribute'],
      ['emails[type eq "work"]', 'a sub-attribute that is not filterable'],
    ]) {
      const res = await scim.filter(filter!);
      isScimError(t, res, 400, 'invalidFilter');
      t.pass(`${filter}: ${why}`);
    }
    isScimError(
      t,
      await scim.filter(`${'userName eq "x" or '.repeat(200)}userName eq "y"`),
      400,
      'invalidFilter',
    );
  },
);

t.test('RFC 7644 §3.4.2.4: paging by startIndex and count, with totalResults', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  const created = [];
  for (let i = 0; i < 5; i++) created.push((await scim.post('/Users', scimUser())).body.id);
  const page = async (query: string) => (await scim.get(`/Users?${query}`)).body;
  const p1 = await page('startIndex=1&count=2');
  t.match(p1, { schemas: [SCIM.list], totalResults: 5, startIndex: 1, itemsPerPage: 2 });
  const p2 = await page('startIndex=3&count=2');
  const p3 = await page('startIndex=5&count=2');
  t.same(
    [...p1.Resources, ...p2.Resources, ...p3.Resources].map((r: { id: string }) => r.id),
    created,
    'the pages cover every User once, in creation order',
  );
  t.equal(p3.itemsPerPage, 1);
  t.match(await page('startIndex=9&count=2'), {
    totalResults: 5,
    startIndex: 9,
    itemsPerPage: 0,
    Resources: [],
  });
  t.match(
    await page('count=0'),
    { totalResults: 5, itemsPerPage: 0, Resources: [] },
    'count=0: only the total',
  );
  t.match(
    await page('startIndex=0&count=1'),
    { startIndex: 1, itemsPerPage: 1 },
    'startIndex below 1 reads as 1',
  );
  t.match(await page('count=-3'), { itemsPerPage: 0 }, 'a negative count reads as 0');
  t.match(
    await page(''),
    { totalResults: 5, startIndex: 1, itemsPerPage: 5 },
    'no paging: the default count (100)',
  );
  t.match(await page('count=100000'), { itemsPerPage: 5 }, 'a count over 200 is capped');
  t.match(await page(`filter=${encodeURIComponent('userName ew "example.dk"')}&startIndex=2&count=2`), {
    totalResults: 5,
    itemsPerPage: 2,
  });
  isScimError(t, await scim.get('/Users?count=ten'), 400, 'invalidValue');
});

t.test('RFC 7644 §3.5.1: PUT replaces the User', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  const manager = (await scim.post('/Users', scimUser())).body;
  const user = (
    await scim.post('/Users', {
      ...scimUser({ externalId: 'bjensen' }),
      [SCIM.enterprise]: { organization: 'Example', manager: { value: manager.id } },
      [SCIM.leader]: { sector: 'public' },
    })
  ).body;
  const replaced = await scim.put(`/Users/${user.id}`, {
    schemas: [SCIM.user],
    id: user.id,
    userName: 'barbara.jensen@example.com',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    displayName: 'Barbara Jensen',
    emails: [{ value: 'barbara.jensen@example.com', type: 'work', primary: true }],
    active: true,
  });
  t.equal(replaced.status, 200, replaced.body.detail);
  const u = replaced.body;
  t.equal(u.userName, 'barbara.jensen@example.com');
  t.equal(u.displayName, 'Barbara Jensen');
  t.notOk('externalId' in u, 'an absent externalId is cleared');
  t.same(u[SCIM.enterprise], { organization: 'Example' }, 'an absent manager is cleared; organization kept');
  t.equal(u[SCIM.leader].sector, 'public', "Sparring's own fields keep their value when absent");
  t.equal(u.meta.version, 'W/"2"');
  t.equal(replaced.headers.etag, 'W/"2"');

  const same = await scim.put(`/Users/${user.id}`, u);
  t.equal(same.body.meta.version, 'W/"2"', 'a PUT that changes nothing writes nothing');
  isScimError(
    t,
    await scim.put(`/Users/${user.id}`, { ...u, userName: manager.userName }),
    409,
    'uniqueness',
  );
});

t.test('RFC 7644 §3.5.2: PATCH add, replace and remove', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  const user = (await scim.post('/Users', scimUser({ externalId: 'E-7', displayName: 'Babs Jensen' }))).body;
  const path = `/Users/${user.id}`;

  // §3.5.2.3: replace without a path, the value an object of attributes.
  const r1 = await scim.patch(
    path,
    patchOp({ op: 'replace', value: { displayName: 'Barbara Jensen', nickName: 'Babs' } }),
  );
  t.equal(r1.status, 200, r1.body.detail);
  t.equal(r1.body.displayName, 'Barbara Jensen');
  t.notOk('nickName' in r1.body, 'an attribute Sparring does not store is ignored');
  // §3.5.2.1: add a value; the enterprise extension by its full path.
  const r2 = await scim.patch(
    path,
    patchOp(
      { op: 'add', path: `${SCIM.enterprise}:organization`, value: 'Example A/S' },
      { op: 'add', path: 'name.familyName', value: 'Olsen' },
    ),
  );
  t.equal(r2.status, 200, r2.body.detail);
  t.equal(r2.body[SCIM.enterprise].organization, 'Example A/S');
  t.equal(r2.body.displayName, 'Barbara Olsen', 'a changed familyName renames the leader');
  // §3.5.2.2: remove.
  const r3 = await scim.patch(path, patchOp({ op: 'remove', path: 'externalId' }));
  t.equal(r3.status, 200, r3.body.detail);
  t.notOk('externalId' in r3.body);
  // The leader extension through PATCH.
  const r4 = await scim.patch(
    path,
    patchOp({ op: 'replace', path: `${SCIM.leader}:yearsOfExperience`, value: 9 }),
  );
  t.equal(r4.body[SCIM.leader].yearsOfExperience, 9);
  t.equal((await scim.get(path)).body.meta.version, r4.body.meta.version, 'GET reads what PATCH wrote');

  isScimError(
    t,
    await scim.patch(path, { Operations: [{ op: 'replace', path: 'displayName', value: 'X' }] }),
    400,
    'invalidSyntax',
  );
  isScimError(t, await scim.patch(path, patchOp()), 400, 'invalidSyntax');
  isScimError(
    t,
    await scim.patch(path, patchOp({ op: 'move', path: 'displayName', value: 'X' })),
    400,
    'invalidSyntax',
  );
  isScimError(
    t,
    await scim.patch(path, patchOp({ op: 'replace', path: `${SCIM.leader}:level`, value: 'boss' })),
    400,
    'invalidValue',
  );
  isScimError(
    t,
    await scim.patch(path, patchOp({ op: 'replace', path: 'active', value: 'perhaps' })),
    400,
    'invalidValue',
  );
  t.equal((await scim.get(path)).body.meta.version, r4.body.meta.version, 'a refused PATCH changed nothing');
});

t.test('RFC 7644 §3.14: ETags; If-Match with an old version is 412', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  const user = (await scim.post('/Users', scimUser())).body;
  const path = `/Users/${user.id}`;
  const ok = await scim.patch(path, patchOp({ op: 'replace', path: 'displayName', value: 'A B' }), {
    'if-match': 'W/"1"',
  });
  t.equal(ok.status, 200);
  const stale = await scim.patch(path, patchOp({ op: 'replace', path: 'displayName', value: 'C D' }), {
    'if-match': 'W/"1"',
  });
  isScimError(t, stale, 412);
  isScimError(t, await scim.put(path, { ...ok.body, displayName: 'E F' }, { 'if-match': 'W/"1"' }), 412);
  t.equal((await scim.get(path)).body.displayName, 'A B');
});

t.test('concurrent PATCHes without If-Match: each applies to what is there, none is lost', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  const user = (await scim.post('/Users', scimUser())).body;
  const path = `/Users/${user.id}`;
  const results = await Promise.all([
    scim.patch(path, patchOp({ op: 'replace', path: 'displayName', value: 'Concurrent Name' })),
    scim.patch(path, patchOp({ op: 'replace', path: 'externalId', value: 'C-1' })),
    scim.patch(
      path,
      patchOp({ op: 'replace', path: `${SCIM.enterprise}:organization`, value: 'Concurrent Org' }),
    ),
    scim.patch(path, patchOp({ op: 'replace', path: `${SCIM.leader}:sector`, value: 'private' })),
    scim.patch(path, patchOp({ op: 'replace', path: `${SCIM.leader}:region`, value: 'Sjælland' })),
  ]);
  t.same(
    results.map((r) => r.status),
    [200, 200, 200, 200, 200],
    results.map((r) => r.body.detail).join(' '),
  );
  const final = (await scim.get(path)).body;
  t.match(final, {
    displayName: 'Concurrent Name',
    externalId: 'C-1',
    [SCIM.enterprise]: { organization: 'Concurrent Org' },
    [SCIM.leader]: { sector: 'private', region: 'Sjælland' },
    meta: { version: 'W/"6"' },
  });
});

t.test('RFC 7644 §3.6: DELETE erases the User; afterwards it is a 404', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  const user = (await scim.post('/Users', scimUser({ externalId: 'GONE-1' }))).body;
  const res = await scim.delete(`/Users/${user.id}`);
  t.equal(res.status, 204);
  t.equal(res.body, undefined);
  isScimError(t, await scim.get(`/Users/${user.id}`), 404);
  isScimError(t, await scim.delete(`/Users/${user.id}`), 404);
  isScimError(
    t,
    await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: true })),
    404,
  );
  t.equal((await scim.filter('externalId eq "GONE-1"')).body.totalResults, 0);
});

t.test('discovery: ServiceProviderConfig, ResourceTypes, Schemas', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  const spc = await scim.get('/ServiceProviderConfig');
  t.equal(spc.status, 200);
  t.match(spc.body, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    bulk: { supported: false },
    filter: { supported: true, maxResults: 200 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [{ type: 'oauthbearertoken', primary: true }],
  });
  const types = await scim.get('/ResourceTypes');
  t.match(types.body, { schemas: [SCIM.list], totalResults: 1 });
  t.match(types.body.Resources[0], {
    id: 'User',
    endpoint: '/Users',
    schema: SCIM.user,
    schemaExtensions: [
      { schema: SCIM.enterprise, required: false },
      { schema: SCIM.leader, required: false },
    ],
  });
  t.same((await scim.get('/ResourceTypes/User')).body, types.body.Resources[0]);
  isScimError(t, await scim.get('/ResourceTypes/Group'), 404);
  const schemas = await scim.get('/Schemas');
  t.same(
    schemas.body.Resources.map((s: { id: string }) => s.id),
    [SCIM.user, SCIM.enterprise, SCIM.leader],
  );
  const user = (await scim.get(`/Schemas/${SCIM.user}`)).body;
  t.same(
    user.attributes.map((a: { name: string }) => a.name),
    ['userName', 'name', 'displayName', 'emails', 'active'],
  );
  t.match(user.attributes[0], { name: 'userName', required: true, uniqueness: 'server', caseExact: false });
  const leader = (await scim.get(`/Schemas/${SCIM.leader}`)).body;
  t.match(
    leader.attributes.find((a: { name: string }) => a.name === 'level'),
    {
      canonicalValues: ['first_line', 'middle', 'senior', 'executive'],
    },
  );
  isScimError(t, await scim.get('/Schemas/urn:nothing'), 404);
  // SCIM describes itself: its routes are kept out of the OpenAPI document (docs/provisioning.md).
  const openapi = (await api(app).get('/openapi.json')).json();
  t.notOk(
    Object.keys(openapi.paths).some((p) => p.startsWith('/scim')),
    'no /scim path in the OpenAPI document',
  );
});

t.test('errors: every failure under /scim/v2 is a SCIM error body', async (t) => {
  const { auth } = await ctx.tenant();
  const scim = scimClient(app, auth);
  isScimError(t, await scimClient(app, {}).get('/Users'), 401);
  isScimError(t, await scimClient(app, { authorization: 'non-token' }).get('/Users'), 401);
  isScimError(
    t,
    await scimClient(app, { authorization: 'Bearer sk_nope' }).get('/ServiceProviderConfig'),
    401,
  );
  isScimError(t, await scim.get('/Users/00919288221112222'), 404, undefined);
  isScimError(t, await scim.get('/Users/0190a5c4-0000-7000-8000-000000000000'), 404);
  isScimError(t, await scim.get('/Groups'), 404);
  const wrongType = await api(app, auth).post('/scim/v2/Users', '<User/>', {
    headers: { 'content-type': 'text/xml' },
  });
  t.equal(wrongType.statusCode, 415);
  t.same(wrongType.json().schemas, [SCIM.error]);
  // Plain JSON is accepted too (Okta's create sends application/json).
  const plain = await api(app, auth).post('/scim/v2/Users', scimUser());
  t.equal(plain.statusCode, 201);
  t.match(plain.headers['content-type'], /^application\/scim\+json/);
  // A member token is not an admin: 403 in SCIM's shape.
  const leader = await api(app, auth).post('/v1/leaders', leaderBody());
  const token = await api(app, auth).post(`/v1/leaders/${leader.json().id}/member-tokens`, {});
  t.equal(token.statusCode, 201, token.body);
  isScimError(t, await scimClient(app, { authorization: `Bearer ${token.json().token}` }).get('/Users'), 403);
  // /v1 keeps its problem documents.
  const v1 = await api(app, auth).get('/v1/leaders/0190a5c4-0000-7000-8000-000000000000');
  t.match(v1.headers['content-type'], /^application\/problem\+json/);
});

t.test("tenant isolation: another tenant's key never sees, changes or deletes a User", async (t) => {
  const mine = scimClient(app, (await ctx.tenant()).auth);
  const theirs = scimClient(app, (await ctx.tenant()).auth);
  const user = (await mine.post('/Users', scimUser({ externalId: 'SHARED-1' }))).body;
  const path = `/Users/${user.id}`;
  isScimError(t, await theirs.get(path), 404);
  isScimError(t, await theirs.put(path, user), 404);
  isScimError(t, await theirs.patch(path, patchOp({ op: 'replace', path: 'active', value: false })), 404);
  isScimError(t, await theirs.delete(path), 404);
  t.equal((await theirs.get('/Users')).body.totalResults, 0);
  t.equal((await theirs.filter(`userName eq "${user.userName}"`)).body.totalResults, 0);
  t.equal((await theirs.filter(`id eq "${user.id}"`)).body.totalResults, 0);
  // The same userName and externalId in another tenant is another person.
  const twin = await theirs.post('/Users', scimUser({ userName: user.userName, externalId: 'SHARED-1' }));
  t.equal(twin.status, 201);
  t.not(twin.body.id, user.id);
  const mineNow = await mine.get(path);
  t.equal(mineNow.status, 200);
  t.equal(mineNow.body.meta.version, 'W/"1"', 'untouched');
  t.equal(mineNow.body.active, true);
});
