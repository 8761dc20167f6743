/**
 * The language of the member pages: the `lang` cookie when the member chose one, else Danish when
 * the browser's Accept-Language prefers Danish to English, else English. Every text comes from
 * the domain's `{ da, en }` texts.
 */
import {
  fillText,
  type LocalizedText,
  MEMBER_TEXTS,
  type MemberLanguage,
  type MemberTextKey,
} from '@sparring/domain';
import { languageWeights } from '../http/language.js';

export type Lang = MemberLanguage;

/** The cookie that holds the member's chosen language. */
export const LANG_COOKIE = 'sparring_lang';

/** The page language for a request's `lang` cookie and Accept-Language header. */
export function chooseLanguage(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (cookie === 'da' || cookie === 'en') return cookie;
  const w = languageWeights(acceptLanguage ?? '');
  return w.da > 0 && w.da >= w.en ? 'da' : 'en';
}

/** A page text in the language, placeholders filled. */
export const tr = (lang: Lang, key: MemberTextKey, values?: Record<string, string | number>): string =>
  fillText(MEMBER_TEXTS[key], lang, values);

/** A domain text in the language. */
export const say = (lang: Lang, text: LocalizedText): string => text[lang];

const LOCALES: Record<Lang, string> = { da: 'da-DK', en: 'en-GB' };

/** A date and time as the member reads it, in the network's time zone. */
export function formatDateTime(lang: Lang, instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(instant);
}

/** A date as the member reads it. */
export function formatDate(lang: Lang, instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone,
  }).format(instant);
}

/** A number with the language's decimal mark. */
export const formatNumber = (lang: Lang, value: number, digits = 1): string =>
  new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(
    value,
  );
