import t from '@sparring/test-workers/tap';
import {
  EVALUATION_QUESTION_TEXTS,
  fillText,
  GIVE_GET_BALANCED_TEXT,
  HEALTH_BAND_LABELS,
  LIFECYCLE_STATUS_LABELS,
  MEMBER_LANGUAGES,
  MEMBER_TEXTS,
  TREND_DIRECTION_LABELS,
} from './member-texts.js';
import type { LocalizedText } from './text.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const all: [string, LocalizedText][] = [
  ...Object.entries(MEMBER_TEXTS),
  ...Object.entries(EVALUATION_QUESTION_TEXTS).flatMap(([k, q]) =>
    Object.entries(q).map(([part, v]): [string, LocalizedText] => [`${k}.${part}`, v]),
  ),
  ['giveGetBalanced', GIVE_GET_BALANCED_TEXT],
  ...Object.entries(LIFECYCLE_STATUS_LABELS),
  ...Object.entries(HEALTH_BAND_LABELS),
  ...Object.entries(TREND_DIRECTION_LABELS),
];

t.test('every member text has non-empty Danish and English with the same placeholders', async (t) => {
  t.same(MEMBER_LANGUAGES, ['da', 'en']);
  for (const [key, value] of all) {
    t.ok(value.da.trim().length > 0 && value.en.trim().length > 0, `${key} has both languages`);
    t.same(placeholders(value.da), placeholders(value.en), `${key}: same placeholders`);
  }
});

t.test('the five evaluation questions', async (t) => {
  t.same(Object.keys(EVALUATION_QUESTION_TEXTS), ['benefit', 'energy', 'purposeFit', 'relations', 'giveGet']);
});

t.test('fillText puts values in and leaves unknown placeholders', async (t) => {
  t.equal(
    fillText(MEMBER_TEXTS.cancellationNoticeRule, 'da', { hours: 48 }),
    'Afbud senest 48 timer før mødet.',
  );
  t.equal(
    fillText(MEMBER_TEXTS.cancellationNoticeRule, 'en', { hours: '24' }),
    'Cancel at least 24 hours before the meeting.',
  );
  t.equal(fillText(MEMBER_TEXTS.charterVersion, 'en'), 'Version {version}', 'a missing value stays visible');
  t.equal(fillText(MEMBER_TEXTS.signOut, 'da'), 'Log ud');
  t.equal(fillText({ da: '{toString}', en: '' }, 'da', {}), '{toString}', 'only own values count');
});
