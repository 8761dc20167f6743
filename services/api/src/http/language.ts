/**
 * Which language a client reads the service's `{ da, en }` texts in. REST: the request's
 * Accept-Language (Danish or English, by weight; a `da-DK` or `en-GB` tag counts for its
 * language), else, for a member, their preferred language (the domain's `mailLanguage` of the
 * languages they speak); an admin who names no language gets none chosen. Every text keeps both
 * `da` and `en`; the chosen one is added as `text` (docs/api-contract.md, "Language").
 */
import { type LocalizedText, mailLanguage } from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';

export type TextLanguage = 'da' | 'en';

/** The weight Accept-Language gives each of our languages. */
export function languageWeights(acceptLanguage: string): Record<TextLanguage, number> {
  const out: Record<TextLanguage, number> = { da: 0, en: 0 };
  for (const item of acceptLanguage.split(',')) {
    const [tag = '', ...params] = item.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    if (!Number.isFinite(weight)) continue;
    const primary = tag.trim().split('-')[0];
    if (primary === 'da' || primary === 'en') out[primary] = Math.max(out[primary], weight);
  }
  return out;
}

/** The language Accept-Language asks for, or null when it names neither Danish nor English. */
export function languageOfHeader(acceptLanguage: string | undefined): TextLanguage | null {
  if (!acceptLanguage) return null;
  const w = languageWeights(acceptLanguage);
  if (w.da <= 0 && w.en <= 0) return null;
  return w.da >= w.en ? 'da' : 'en';
}

/**
 * A member's preferred language, the domain's choice among the languages they speak (one read
 * of their row); null for an admin or no caller.
 */
export async function memberLanguage(
  db: Kysely<Database>,
  principal: Principal | null,
): Promise<TextLanguage | null> {
  if (principal?.kind !== 'member') return null;
  const leader = await db
    .selectFrom('leaders')
    .select('languages')
    .where('tenant_id', '=', principal.tenantId)
    .where('id', '=', principal.leaderId)
    .executeTakeFirst();
  return leader ? mailLanguage(leader.languages) : null;
}

const isLocalizedText = (value: object): value is LocalizedText & { text?: string } =>
  typeof (value as { da?: unknown }).da === 'string' && typeof (value as { en?: unknown }).en === 'string';

/** The `{ da, en }` texts in a response payload (at most `depth` levels down). */
export function textsIn(payload: unknown, depth = 12): (LocalizedText & { text?: string })[] {
  const found: (LocalizedText & { text?: string })[] = [];
  const walk = (value: unknown, level: number) => {
    if (value === null || typeof value !== 'object' || level > depth) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, level + 1);
      return;
    }
    if (isLocalizedText(value)) found.push(value);
    for (const child of Object.values(value)) walk(child, level + 1);
  };
  walk(payload, 0);
  return found;
}
