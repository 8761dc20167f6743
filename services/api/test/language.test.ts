/**
 * Which language a client gets the `{ da, en }` texts in (src/http/language.ts): Accept-Language,
 * else a member's preferred language; REST adds `text`, GraphQL has `text(lang)`. Both `da` and
 * `en` stay.
 */

import t from '@sparring/test-workers/tap';
import { languageOfHeader } from '../src/http/language.js';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { createLeaders, memberToken } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

interface Question {
  prompt: { da: string; en: string; text?: string };
}
const questions = async (headers: Record<string, string>) => {
  const res = await api(app, headers).get('/v1/readiness/questions');
  t.equal(res.statusCode, 200);
  return { res, first: (res.json().data as Question[])[0]! };
};

t.test('Accept-Language chooses the text, both languages stay', async (t) => {
  const { auth } = await ctx.tenant();
  const en = await questions({ ...auth, 'accept-language': 'en-GB,en;q=0.9,da;q=0.5' });
  t.equal(en.first.prompt.text, en.first.prompt.en, 'English chosen');
  t.ok(en.first.prompt.da && en.first.prompt.en, 'da and en still there');
  t.equal(en.res.headers['content-language'], 'en');
  t.match(String(en.res.headers.vary), /Accept-Language/);

  const da = await questions({ ...auth, 'accept-language': 'da-DK' });
  t.equal(da.first.prompt.text, da.first.prompt.da, 'Danish chosen');
  t.equal(da.res.headers['content-language'], 'da');

  const none = await questions(auth);
  t.equal(none.first.prompt.text, undefined, 'an admin naming no language gets no `text`');
  t.equal(none.res.headers['content-language'], undefined);
  t.match(String(none.res.headers.vary), /Accept-Language/, 'the response still varies by it');

  const other = await questions({ ...auth, 'accept-language': 'de-DE' });
  t.equal(other.first.prompt.text, undefined, 'a language the service does not write: none chosen');
});

t.test('a member without Accept-Language reads their own language; the header wins', async (t) => {
  const { auth } = await ctx.tenant();
  const [english, danish] = await createLeaders(app, auth, 2, (i) => ({
    languages: i === 0 ? ['en'] : ['da', 'en'],
  }));
  const englishToken = await memberToken(app, auth, english!);
  const danishToken = await memberToken(app, auth, danish!);
  t.equal((await questions(englishToken)).first.prompt.text, (await questions(englishToken)).first.prompt.en);
  t.equal((await questions(danishToken)).first.prompt.text, (await questions(danishToken)).first.prompt.da);
  const asked = await questions({ ...englishToken, 'accept-language': 'da' });
  t.equal(asked.first.prompt.text, asked.first.prompt.da, 'Accept-Language over the preferred language');
});

t.test('problem documents: the issues in the chosen language too', async (t) => {
  const { auth } = await ctx.tenant();
  const res = await api(app, auth).post(
    '/v1/leaders',
    { name: 'No more' },
    { headers: { 'accept-language': 'en' } },
  );
  t.equal(res.statusCode, 400);
  const issues = res.json().issues as { message: { da: string; en: string; text: string } }[];
  t.ok(issues.length > 0);
  for (const issue of issues) t.equal(issue.message.text, issue.message.en);
});

t.test('GraphQL: text(lang), else Accept-Language, else the member’s language, else Danish', async (t) => {
  const { auth } = await ctx.tenant();
  const [english] = await createLeaders(app, auth, 1, () => ({ languages: ['en'] }));
  const token = await memberToken(app, auth, english!);
  const query = `{ readinessQuestions { prompt { da en text named: text(lang: en) } } }`;
  const prompt = async (headers: { authorization: string } & Record<string, string>) => {
    const res = (await gql(app, headers, query)).body;
    t.same(res.errors, undefined);
    return (res.data as { readinessQuestions: { prompt: Record<string, string> }[] }).readinessQuestions[0]!
      .prompt;
  };
  const admin = await prompt(auth);
  t.equal(admin.text, admin.da, 'an admin naming no language: Danish');
  t.equal(admin.named, admin.en, 'lang names it');
  const header = await prompt({ ...auth, 'accept-language': 'en' });
  t.equal(header.text, header.en, 'Accept-Language');
  const member = await prompt(token);
  t.equal(member.text, member.en, "the member's preferred language");
});

t.test('Accept-Language is read by weight', async (t) => {
  t.equal(languageOfHeader(undefined), null);
  t.equal(languageOfHeader(''), null);
  t.equal(languageOfHeader('fr, de;q=0.8'), null);
  t.equal(languageOfHeader('da'), 'da');
  t.equal(languageOfHeader('en-US'), 'en');
  t.equal(languageOfHeader('da;q=0.4, en;q=0.6'), 'en');
  t.equal(languageOfHeader('en;q=0.5, da-DK;q=0.5'), 'da', 'a tie goes to Danish');
  t.equal(languageOfHeader('en;q=0.., da;q=0.1'), 'da', 'a broken weight is skipped');
});

t.test('texts are looked for only in answers whose schema can hold one', async (t) => {
  const { mayHoldTexts } = await import('../src/http/language.plugin.js');
  const { LocalizedTextSchema } = await import('../src/http/schemas.js');
  const { LeaderPage } = await import('../src/leaders/leader.schema.js');
  const { HealthSchema } = await import('../src/evaluations/evaluation.schema.js');
  const { Type } = await import('typebox');
  t.equal(mayHoldTexts(LeaderPage), false, 'a leader page names every field, none a text');
  t.equal(mayHoldTexts(HealthSchema), true, 'health holds guidance texts');
  t.equal(mayHoldTexts(Type.Union([LocalizedTextSchema, Type.Null()])), true, 'a text or null');
  t.equal(mayHoldTexts(Type.Array(Type.Object({ a: Type.String() }))), false);
  t.equal(
    mayHoldTexts(Type.Object({}, { additionalProperties: LocalizedTextSchema })),
    true,
    'a map of texts',
  );
  t.equal(mayHoldTexts(Type.Object({}, { additionalProperties: false })), false, 'an empty object');
  t.equal(mayHoldTexts(Type.Object({})), false, 'no properties named: the serializer writes none');
  for (const open of [{}, Type.Any(), Type.Array(Type.Any()), { $ref: 'X#' }, true])
    t.equal(mayHoldTexts(open), true, `anything may be in ${JSON.stringify(open)}`);
  t.equal(mayHoldTexts({ type: 'object', patternProperties: { '^x': { type: 'string' } } }), true);
  t.equal(mayHoldTexts(Type.Enum({ a: 'a' })), false, 'an enum of strings');

  // The leader list, whose answer holds no text, still answers problems in the chosen language.
  const { auth } = await ctx.tenant();
  const res = await api(app, { ...auth, 'accept-language': 'en' }).get('/v1/leaders?limit=0');
  t.equal(res.statusCode, 400);
  const issue = res.json().issues?.[0];
  t.ok(issue, 'a validation issue');
  t.equal(issue?.message.text, issue?.message.en, 'a problem on that route is still walked');
  t.equal(res.headers['content-language'], 'en');
});
