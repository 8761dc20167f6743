/**
 * Sends one webhook request, safely: a deadline for the whole exchange, no redirects followed (a
 * 3xx is a failure), the response body read up to a cap, and the connection made only to an
 * address the policy allows. The address check runs inside the socket's DNS lookup, so the
 * address checked is the address connected to (no window for DNS rebinding between a check and
 * the connection). node:http(s) is used rather than `fetch`: its `lookup` option is the hook for
 * that check (fetch takes one only through a separate undici dispatcher).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkAddress } from './webhook.policy.js';

/** Most of a response body ever read (the rest is dropped and the socket closed). */
export const RESPONSE_READ_LIMIT_BYTES = 64 * 1024;
/** How much of the response body the delivery log keeps. */
export const RESPONSE_LOG_BYTES = 1024;

export interface SendOptions {
  readonly timeoutMs: number;
  /** Loopback, private, link-local … addresses allowed (SPARRING_WEBHOOK_ALLOW_PRIVATE). */
  readonly allowPrivate: boolean;
}

export type SendResult =
  | {
      readonly kind: 'response';
      readonly status: number;
      /** The first RESPONSE_LOG_BYTES of the body, as text. */
      readonly body: string;
      /** The body was longer than RESPONSE_READ_LIMIT_BYTES (reading stopped there). */
      readonly truncated: boolean;
      readonly retryAfterMs: number | null;
      readonly durationMs: number;
    }
  | { readonly kind: 'error'; readonly error: string; readonly durationMs: number };

/** The error a refused address fails the lookup with (never retried into a connection). */
export class AddressNotAllowedError extends Error {
  override readonly name = 'AddressNotAllowedError';
  readonly code = 'EADDRNOTALLOWED';
}

/**
 * A `lookup` for sockets that resolves as usual, then refuses the connection when any address the
 * name resolves to is not allowed (one bad address is enough: which one the socket would pick is
 * not ours to guess).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      if (!allowPrivate) {
        for (const a of addresses) {
          const verdict = checkAddress(a.address);
          if (!verdict.ok) {
            return callback(
              new AddressNotAllowedError(
                `${hostname} resolves to ${a.address} (${verdict.range}), which is not allowed`,
              ),
              '',
              0,
            );
          }
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/** Seconds or an HTTP date, as `Retry-After` allows (RFC 9110 §10.2.3); null when absent or bad. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}

const describe = (error: unknown): string => {
  const e = error as { name?: string; code?: string; message?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'ABORT_ERR') return 'timeout';
  const message = e?.message ?? String(error);
  return e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
};

/** POSTs `body` with `headers` to `url`; never throws (a failure is a result). */
export async function sendWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // An IP literal is connected to without a lookup: check it here.
  const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!options.allowPrivate && isIP(literal) !== 0) {
    const verdict = checkAddress(literal);
    if (!verdict.ok) {
      return { kind: 'error', error: `${literal} (${verdict.range}) is not allowed`, durationMs: elapsed() };
    }
  }
  const signal = AbortSignal.timeout(options.timeoutMs);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const fail = (error: unknown) => finish({ kind: 'error', error: describe(error), durationMs: elapsed() });
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Sparring-Webhooks/1',
        },
        signal,
        // A fresh connection per attempt: the lookup (and its address check) runs every time.
        agent: false,
        lookup: guardedLookup(options.allowPrivate),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let read = 0;
        let truncated = false;
        const done = () =>
          finish({
            kind: 'response',
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, RESPONSE_LOG_BYTES).toString('utf8'),
            truncated,
            retryAfterMs: parseRetryAfter(response.headers['retry-after'], new Date()),
            durationMs: elapsed(),
          });
        response.on('data', (chunk: Buffer) => {
          if (read < RESPONSE_LOG_BYTES) chunks.push(chunk.subarray(0, RESPONSE_LOG_BYTES - read));
          read += chunk.length;
          if (read > RESPONSE_READ_LIMIT_BYTES) {
            truncated = true;
            done();
            request.destroy();
          }
        });
        response.on('end', done);
        response.on('error', (error) => (settled ? undefined : fail(error)));
        response.on('aborted', () => fail(new Error('the response was cut off')));
      },
    );
    request.on('error', fail);
    request.end(body);
  });
}
