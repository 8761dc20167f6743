/**
 * The rules of webhook delivery as plain functions (time and randomness are arguments): the retry
 * schedule, when an endpoint is disabled, which addresses may be called, what a secret looks like.
 * docs/webhooks.md explains each with its source.
 */
import { randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Delay before each attempt, counted from the failure of the one before: the example schedule of
 * the Standard Webhooks specification ("Deliverability and reliability": immediately, 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h; the last attempt 75 h 35 min after the first, about
 * three days). Attempt n (1-based) waits `RETRY_SCHEDULE_MS[n - 1]`.
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
];

/** Attempts a delivery gets from the schedule (a manual redelivery adds one more). */
export const SCHEDULED_ATTEMPTS = RETRY_SCHEDULE_MS.length;

/**
 * Random jitter of ±10 % on every retry delay (the spec recommends "some level of random jitter"
 * so retries of many deliveries do not arrive together).
 */
export const RETRY_JITTER = 0.1;

/** A `Retry-After` from the receiver is honoured up to this long (the schedule's longest step). */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

/**
 * When attempt `attempt + 1` is due after attempt `attempt` failed at `failedAt`, or null when
 * `attempt` was the last one. `random` is in [0, 1) (jitter); `retryAfterMs` is the receiver's
 * `Retry-After` (the spec: "should be taken into consideration"), which can only lengthen the wait.
 */
export function nextAttemptAt(
  attempt: number,
  finalAttempt: number,
  failedAt: Date,
  random: number,
  retryAfterMs: number | null = null,
): Date | null {
  if (attempt >= finalAttempt) return null;
  const base = RETRY_SCHEDULE_MS[Math.min(attempt, RETRY_SCHEDULE_MS.length - 1)] ?? 0;
  const jittered = Math.round(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random));
  const wait = Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
  return new Date(failedAt.getTime() + wait);
}

/**
 * An endpoint whose deliveries have failed without a single success for this long is disabled
 * (Svix's rule: "If all attempts to a specific endpoint fail for a period of 5 days, the endpoint
 * will be disabled"; the spec recommends disabling an endpoint that fails consistently).
 */
export const DISABLE_AFTER_FAILING_MS = 5 * DAY;

/** Whether an endpoint failing since `failingSince` is disabled after a failure at `now`. */
export const failedTooLong = (failingSince: Date, now: Date): boolean =>
  now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS;

/** How long the previous secret still signs after a rotation (both are sent meanwhile). */
export const SECRET_OVERLAP_MS = DAY;

/**
 * A new signing secret: `whsec_` and 32 random bytes in base64 (the spec: "Random. At least 24
 * bytes … base64 encoded, prefixed with `whsec_`").
 */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** The response status codes that count as delivered (the spec: 2xx, and nothing else). */
export const isSuccessStatus = (status: number): boolean => status >= 200 && status <= 299;

/** `410 Gone`: the receiver wants no more webhooks; the spec says to disable the endpoint. */
export const GONE = 410;

export type AddressVerdict = { readonly ok: true } | { readonly ok: false; readonly range: string };

/**
 * Whether the service may call this IP address: only ordinary public unicast. Refused: loopback,
 * private (RFC 1918), carrier-grade NAT, link-local (incl. 169.254.169.254, cloud metadata),
 * unique-local (fc00::/7), multicast, unspecified, broadcast, reserved and the IPv6 transition
 * ranges that can embed any IPv4 address (6to4, Teredo, NAT64); IPv4-mapped IPv6 is judged as IPv4.
 */
export function checkAddress(address: string): AddressVerdict {
  if (!ipaddr.isValid(address)) return { ok: false, range: 'invalid' };
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? { ok: true } : { ok: false, range };
}

export type WebhookUrlVerdict =
  | { readonly ok: true; readonly url: URL; readonly literalAddress: string | null }
  | { readonly ok: false; readonly reason: string };

/** Longest accepted endpoint URL. */
export const MAX_URL_LENGTH = 2048;

/**
 * The shape rules of an endpoint URL: absolute http(s), no credentials in it, no fragment. The
 * host's addresses are checked apart (`checkAddress`, after DNS). `literalAddress` is the host when
 * it is an IP literal (brackets removed).
 */
export function parseWebhookUrl(raw: string): WebhookUrlVerdict {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'the scheme must be https or http' };
  if (url.username !== '' || url.password !== '')
    return { ok: false, reason: 'credentials in the URL are not allowed (verify the signature instead)' };
  if (url.hash !== '') return { ok: false, reason: 'a fragment (#…) is never sent; remove it' };
  if (url.hostname === '') return { ok: false, reason: 'the URL has no host' };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { ok: true, url, literalAddress: ipaddr.isValid(host) ? host : null };
}
