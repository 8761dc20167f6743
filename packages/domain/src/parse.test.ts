import t from '@sparring/test-workers/tap';
import { FieldReader, isRecord, issue, unstorableTextIssue } from './parse.js';
import { isStorableText } from './text.js';
import type { ValidationIssueCode } from './validation.js';
import { isOneOf } from './vocabulary.js';

/** Runs one read on `{ [key]: value }` and returns the value and the issues as "path:code". */
const read = (value: unknown, fn: (r: FieldReader) => unknown) => {
  const r = new FieldReader(value === undefined ? {} : { f: value });
  const out = fn(r);
  return { out, issues: r.issues.map((i) => `${i.path}:${i.code}`) };
};

type Row = [name: string, value: unknown, fn: (r: FieldReader) => unknown, out: unknown, issues: string[]];

const rows: Row[] = [
  // string
  ['string: trimmed', '  a ', (r) => r.string('f'), 'a', []],
  ['string: missing', undefined, (r) => r.string('f'), undefined, ['f:required']],
  ['string: null is missing', null, (r) => r.string('f'), undefined, ['f:required']],
  ['string: optional missing', undefined, (r) => r.string('f', { optional: true }), undefined, []],
  ['string: optional empty is allowed', '', (r) => r.string('f', { optional: true }), '', []],
  ['string: not a string', 3, (r) => r.string('f'), undefined, ['f:wrong_type']],
  ['string: blank is missing', '  ', (r) => r.string('f'), undefined, ['f:required']],
  ['string: shorter than min', 'ab', (r) => r.string('f', { min: 3 }), undefined, ['f:too_short']],
  ['string: longer than max', 'abcd', (r) => r.string('f', { max: 3 }), undefined, ['f:too_long']],
  [
    'string: pattern',
    'x',
    (r) => r.string('f', { pattern: [/^\d+$/, 'digits'] }),
    undefined,
    ['f:invalid_format'],
  ],
  ['string: pattern ok', '42', (r) => r.string('f', { pattern: [/^\d+$/, 'digits'] }), '42', []],
  ['string: a NUL character', 'a\u0000b', (r) => r.string('f'), undefined, ['f:invalid_format']],
  ['string: a lone surrogate', 'a\ud800', (r) => r.string('f'), undefined, ['f:invalid_format']],
  ['string: a surrogate pair is a character', ' 😀 ', (r) => r.string('f'), '😀', []],
  // number
  ['number: ok', 5, (r) => r.number('f', { min: 0, max: 10, integer: true }), 5, []],
  ['number: missing', undefined, (r) => r.number('f'), undefined, ['f:required']],
  ['number: optional missing', undefined, (r) => r.number('f', { optional: true }), undefined, []],
  ['number: a string', '5', (r) => r.number('f'), undefined, ['f:wrong_type']],
  ['number: NaN', Number.NaN, (r) => r.number('f'), undefined, ['f:wrong_type']],
  ['number: Infinity', Number.POSITIVE_INFINITY, (r) => r.number('f'), undefined, ['f:wrong_type']],
  ['number: not an integer', 1.5, (r) => r.number('f', { integer: true }), undefined, ['f:wrong_type']],
  ['number: below min', -1, (r) => r.number('f', { min: 0 }), undefined, ['f:too_small']],
  ['number: above max', 11, (r) => r.number('f', { max: 10 }), undefined, ['f:too_large']],
  // boolean
  ['boolean: ok', false, (r) => r.boolean('f'), false, []],
  ['boolean: missing', undefined, (r) => r.boolean('f'), undefined, ['f:required']],
  ['boolean: optional missing', undefined, (r) => r.boolean('f', { optional: true }), undefined, []],
  ['boolean: a string', 'true', (r) => r.boolean('f'), undefined, ['f:wrong_type']],
  // oneOf
  ['oneOf: ok', 'b', (r) => r.oneOf('f', ['a', 'b'] as const), 'b', []],
  ['oneOf: number option', 2, (r) => r.oneOf('f', [1, 2] as const), 2, []],
  ['oneOf: missing', undefined, (r) => r.oneOf('f', ['a']), undefined, ['f:required']],
  ['oneOf: optional missing', undefined, (r) => r.oneOf('f', ['a'], { optional: true }), undefined, []],
  ['oneOf: not allowed', 'c', (r) => r.oneOf('f', ['a', 'b']), undefined, ['f:not_allowed']],
  // setOf
  ['setOf: ok', ['a', 'b'], (r) => r.setOf('f', ['a', 'b', 'c']), ['a', 'b'], []],
  ['setOf: not allowed item', ['a', 'z'], (r) => r.setOf('f', ['a']), undefined, ['f[1]:not_allowed']],
  ['setOf: duplicate', ['a', 'a'], (r) => r.setOf('f', ['a']), undefined, ['f[1]:duplicate']],
  ['setOf: too few', [], (r) => r.setOf('f', ['a'], { min: 1 }), undefined, ['f:too_short']],
  // stringSet
  ['stringSet: trimmed', [' da ', 'en'], (r) => r.stringSet('f'), ['da', 'en'], []],
  ['stringSet: blank item', ['da', ' '], (r) => r.stringSet('f'), undefined, ['f[1]:wrong_type']],
  ['stringSet: not a string', [1], (r) => r.stringSet('f'), undefined, ['f[0]:wrong_type']],
  ['stringSet: a NUL item', ['da', '\u0000'], (r) => r.stringSet('f'), undefined, ['f[1]:invalid_format']],
  [
    'stringSet: item too long',
    ['abcd'],
    (r) => r.stringSet('f', { itemMax: 3 }),
    undefined,
    ['f[0]:too_long'],
  ],
  ['stringSet: too many', ['a', 'b'], (r) => r.stringSet('f', { max: 1 }), undefined, ['f:too_long']],
  ['stringSet: optional missing', undefined, (r) => r.stringSet('f', { optional: true }), undefined, []],
  // array
  ['array: missing', undefined, (r) => r.array('f', {}, (x) => x), undefined, ['f:required']],
  ['array: not an array', 'x', (r) => r.array('f', {}, (x) => x), undefined, ['f:wrong_type']],
  ['array: duplicates allowed', [1, 1], (r) => r.array('f', { allowDuplicates: true }, (x) => x), [1, 1], []],
  [
    'array: duplicate objects by value',
    [{ a: 1 }, { a: 1 }],
    (r) => r.array('f', {}, (x) => x),
    undefined,
    ['f[1]:duplicate'],
  ],
  [
    'array: a skipped item without issue keeps the rest',
    [1, 2],
    (r) => r.array('f', {}, (x) => (x === 1 ? undefined : x)),
    [2],
    [],
  ],
];

t.test('FieldReader reads each kind of field', async (t) => {
  for (const [name, value, fn, out, issues] of rows) {
    const got = read(value, fn);
    t.same(got.out, out, `${name}: value`);
    t.same(got.issues, issues, `${name}: issues`);
  }
});

t.test(
  'a non-object input is one wrong_type issue at its path, and reads then fail as missing',
  async (t) => {
    for (const input of [null, 'x', 3, [1]]) {
      const r = new FieldReader(input, 'body');
      t.equal(r.string('name'), undefined);
      t.same(
        r.issues.map((i) => `${i.path}:${i.code}`),
        ['body:wrong_type', 'body.name:required'],
        JSON.stringify(input),
      );
    }
  },
);

t.test('paths: nested readers share issues and join keys and indexes', async (t) => {
  const r = new FieldReader({ a: { b: [{ c: 1 }] } });
  const a = new FieldReader(r.raw('a'), r.childPath('a'), r.issues);
  a.array('b', {}, (item, path) => {
    const c = new FieldReader(item, path, r.issues);
    c.fail('c', 'too_large');
    return item;
  });
  t.same(
    r.issues.map((i) => i.path),
    ['a.b[0].c'],
  );
  t.equal(new FieldReader({}, '').childPath(0), '0');
  t.equal(new FieldReader({}, 'list').childPath(2), 'list[2]');
});

t.test('has, raw and rejectUnknown', async (t) => {
  const r = new FieldReader({ a: 1, b: undefined, c: null, extra: 2 });
  t.ok(r.has('a'));
  t.notOk(r.has('b'));
  t.ok(r.has('c'), 'null is present (a PATCH clears with it)');
  t.equal(r.raw('extra'), 2);
  r.rejectUnknown(['a', 'b', 'c']);
  t.same(
    r.issues.map((i) => `${i.path}:${i.code}`),
    ['extra:unknown_property'],
  );
});

t.test('every issue code has a message in both languages that carries the detail', async (t) => {
  const codes: ValidationIssueCode[] = [
    'required',
    'wrong_type',
    'not_allowed',
    'too_short',
    'too_long',
    'too_small',
    'too_large',
    'duplicate',
    'invalid_format',
    'invalid_reference',
    'unknown_property',
  ];
  for (const code of codes) {
    const i = issue('p', code, 'DETAIL');
    t.equal(i.path, 'p');
    t.equal(i.code, code);
    t.ok(i.message.da.length > 0 && i.message.en.length > 0, code);
    if (code !== 'required' && code !== 'unknown_property') {
      t.match(i.message.da, /DETAIL/, `${code}: da`);
      t.match(i.message.en, /DETAIL/, `${code}: en`);
    }
  }
});

t.test('isRecord and isOneOf', async (t) => {
  const rows: [unknown, boolean][] = [
    [{}, true],
    [null, false],
    [[], false],
    ['x', false],
  ];
  for (const [value, expected] of rows) t.equal(isRecord(value), expected, JSON.stringify(value));
  t.ok(isOneOf(['a', 'b'], 'a'));
  t.notOk(isOneOf(['a', 'b'], 'c'));
});

t.test('isStorableText: no NUL, no lone surrogate', async (t) => {
  const rows: [string, boolean][] = [
    ['Mette Jensen, Aarhus Kommune', true],
    ['', true],
    ['æøå 😀 \t\n', true],
    ['a\u0000b', false],
    ['\ud800', false],
    ['a\ud83d', false],
    ['\ude00a', false],
    ['\ud83d\ude00', true],
  ];
  for (const [value, expected] of rows) t.equal(isStorableText(value), expected, JSON.stringify(value));
  const i = unstorableTextIssue('goals[0].description');
  t.same([i.path, i.code], ['goals[0].description', 'invalid_format']);
  t.match(i.message.en, /NUL/);
});
