/**
 * The checks of what an admin sends for a webhook endpoint (URL with its addresses, event types,
 * description), the limits they apply, and the validation problem they raise.
 */
import { lookup } from 'node:dns/promises';
import { isStorableText } from '@sparring/domain';
import { problem } from '../errors/problem.js';
import { EVENT_TYPES, isEventType } from '../events/event-types.js';
import { checkAddress, parseWebhookUrl } from './webhook.policy.js';

/** What the use cases need from the configuration. */
export interface WebhookPolicyOptions {
  /** SPARRING_WEBHOOK_ALLOW_PRIVATE. */
  readonly allowPrivate: boolean;
}

export const WEBHOOK_LIMITS = { descriptionMax: 500, eventTypesMax: EVENT_TYPES.length } as const;

/** A 400 `validation_failed` with one issue at `path`. */
export function invalid(path: string, en: string, da: string) {
  return problem('validation_failed', `${path}: ${en}`, {
    issues: [{ path, code: 'invalid_format', message: { da, en } }],
  });
}

/**
 * The URL's shape, then its addresses: an IP literal is checked as it is, a host name after DNS
 * (every address it resolves to). The delivery checks again at connect time (DNS can change).
 */
export async function checkWebhookUrl(raw: unknown, options: WebhookPolicyOptions): Promise<string> {
  if (typeof raw !== 'string') throw invalid('url', 'must be a string', 'skal være en tekst');
  const parsed = parseWebhookUrl(raw);
  if (!parsed.ok) throw problem('webhook_url_invalid', `The URL is not valid: ${parsed.reason}`);
  if (options.allowPrivate) return parsed.url.toString();
  const host = parsed.url.hostname;
  const addresses = parsed.literalAddress
    ? [parsed.literalAddress]
    : await lookup(host, { all: true, verbatim: true }).then(
        (found) => found.map((a) => a.address),
        (error: { code?: string }) => {
          if (error?.code === 'ENOTFOUND' || error?.code === 'ENODATA') {
            throw problem('webhook_url_unresolvable', `The host ${host} does not resolve`);
          }
          // A DNS failure of ours (timeout, no server) is not the admin's: delivery checks again.
          return [] as string[];
        },
      );
  for (const address of addresses) {
    const verdict = checkAddress(address);
    if (!verdict.ok) {
      throw problem(
        'webhook_url_not_allowed',
        `${host} is (or resolves to) ${address}, a ${verdict.range} address; webhooks go to public addresses only`,
        { address, range: verdict.range },
      );
    }
  }
  return parsed.url.toString();
}

/** null/absent: every type. Otherwise a non-empty list of catalogue types (unknown ones refused). */
export function checkEventTypes(raw: unknown): string[] | null {
  if (raw === null || raw === undefined) return null;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > WEBHOOK_LIMITS.eventTypesMax) {
    throw invalid(
      'eventTypes',
      `must be null (every type) or a list of 1 to ${WEBHOOK_LIMITS.eventTypesMax} event types`,
      `skal være null (alle typer) eller en liste med 1 til ${WEBHOOK_LIMITS.eventTypesMax} hændelsestyper`,
    );
  }
  const unknown = raw.filter((t) => typeof t !== 'string' || !isEventType(t));
  if (unknown.length > 0) {
    throw problem(
      'unknown_event_type',
      `Unknown event type(s): ${unknown.map((t) => JSON.stringify(t).slice(0, 80)).join(', ')}. Known: ${EVENT_TYPES.join(', ')}`,
      { unknown: unknown.map((t) => String(t).slice(0, 80)) },
    );
  }
  return [...new Set(raw as string[])];
}

export function checkDescription(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') throw invalid('description', 'must be a string', 'skal være en tekst');
  if (raw.length > WEBHOOK_LIMITS.descriptionMax) {
    throw invalid(
      'description',
      `must be at most ${WEBHOOK_LIMITS.descriptionMax} characters`,
      `må højst være ${WEBHOOK_LIMITS.descriptionMax} tegn`,
    );
  }
  if (!isStorableText(raw))
    throw invalid(
      'description',
      'contains characters that cannot be stored',
      'indeholder tegn, der ikke kan gemmes',
    );
  return raw;
}
