/**
 * A body the schema refuses gets each issue in Danish and English (src/errors/problem.ts): the
 * Danish is written from Ajv's keyword and parameters, not Ajv's English with a Danish prefix.
 */

import t from '@sparring/test-workers/tap';
import { danishSchemaMessage } from '../src/errors/problem.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);

t.test('a refused leader body: every issue in real Danish', async (t) => {
  const { auth } = await ctx.tenant();
  const { name: _name, ...withoutName } = leaderBody();
  const res = await api(ctx.app, auth).post('/v1/leaders', {
    ...withoutName,
    yearsOfExperience: 'many',
    languages: 'da',
    nickname: 'Bo',
  });
  t.equal(res.statusCode, 400);
  const issues = (
    res.json() as { issues: { path: string; code: string; message: { da: string; en: string } }[] }
  ).issues;
  const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
  t.equal(byPath.name?.message.da, 'Feltet name skal udfyldes.');
  t.equal(byPath.yearsOfExperience?.message.da, 'Skal være et helt tal.');
  t.equal(byPath.languages?.message.da, 'Skal være en liste.');
  t.equal(byPath.nickname?.message.da, 'Feltet nickname kendes ikke.');
  for (const issue of issues) {
    t.notMatch(issue.message.da, /\bmust\b/, `${issue.path}: no English in the Danish text`);
    t.match(issue.message.en, /must/, `${issue.path}: the English text is Ajv's`);
  }
});

t.test('each keyword the schemas use has its Danish sentence', async (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['required', { missingProperty: 'email' }, 'Feltet email skal udfyldes.'],
    ['additionalProperties', { additionalProperty: 'x' }, 'Feltet x kendes ikke.'],
    ['type', { type: 'string' }, 'Skal være en tekst.'],
    ['type', { type: 'integer,null' }, 'Skal være et helt tal eller null.'],
    ['type', { type: 'boolean' }, 'Skal være sand eller falsk (true/false).'],
    ['minLength', { limit: 1 }, 'Mindst 1 tegn.'],
    ['maxLength', { limit: 200 }, 'Højst 200 tegn.'],
    ['minItems', { limit: 1 }, 'Mindst 1 element.'],
    ['maxItems', { limit: 10 }, 'Højst 10 elementer.'],
    ['minimum', { limit: 0 }, 'Mindst 0.'],
    ['maximum', { limit: 60 }, 'Højst 60.'],
    ['exclusiveMinimum', { limit: 0 }, 'Større end 0.'],
    ['exclusiveMaximum', { limit: 1 }, 'Mindre end 1.'],
    ['enum', { allowedValues: ['da', 'en'] }, 'Skal være en af: "da", "en".'],
    ['const', { allowedValue: true }, 'Skal være true.'],
    ['format', { format: 'email' }, 'Ikke et gyldigt format (email).'],
    ['pattern', { pattern: '^x$' }, 'Har ikke det tilladte format.'],
    ['uniqueItems', { i: 1, j: 0 }, 'Den samme værdi står der flere gange.'],
    ['anyOf', {}, 'Ikke en af de tilladte former.'],
    ['oneOf', {}, 'Ikke en af de tilladte former.'],
    ['if', {}, 'Ugyldig værdi.'],
  ];
  for (const [keyword, params, expected] of cases)
    t.equal(danishSchemaMessage({ keyword, params }), expected, keyword);
});
