/**
 * The webhook rules as plain functions: the retry schedule with its jitter and Retry-After, the
 * 5-day disabling rule, which addresses may be called, what a URL and a secret look like.
 */

import t from '@sparring/test-workers/tap';
import {
  checkAddress,
  DISABLE_AFTER_FAILING_MS,
  failedTooLong,
  MAX_RETRY_AFTER_MS,
  newWebhookSecret,
  nextAttemptAt,
  parseWebhookUrl,
  RETRY_SCHEDULE_MS,
  SCHEDULED_ATTEMPTS,
} from '../src/webhooks/webhook.policy.js';
import { parseRetryAfter } from '../src/webhooks/webhook.sender.js';

const at = new Date('2026-12-02T10:00:00.000Z');
const SECOND = 1000;

t.test(
  'the schedule: ten attempts, jitter within ±10 %, a Retry-After only lengthens the wait',
  async (t) => {
    t.equal(SCHEDULED_ATTEMPTS, 10);
    t.same(
      RETRY_SCHEDULE_MS.map((ms) => ms / SECOND),
      [0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400],
      'the Standard Webhooks example schedule',
    );
    const after = (attempt: number, random: number, retryAfter: number | null = null) =>
      (nextAttemptAt(attempt, SCHEDULED_ATTEMPTS, at, random, retryAfter)?.getTime() ?? Number.NaN) -
      at.getTime();
    t.equal(after(1, 0.5), 5 * SECOND, 'middle of the jitter: exactly the schedule');
    t.equal(after(1, 0), 4.5 * SECOND, '-10 %');
    t.ok(after(1, 0.999_999) <= 5.5 * SECOND && after(1, 0.999_999) > 5.49 * SECOND, '+10 %');
    t.equal(after(2, 0.5), 300 * SECOND);
    t.equal(after(9, 0.5), 86_400 * SECOND, 'the tenth attempt a day after the ninth');
    t.equal(nextAttemptAt(10, SCHEDULED_ATTEMPTS, at, 0.5), null, 'none after the last');
    t.equal(nextAttemptAt(4, 4, at, 0.5), null, 'a redelivery allowed one attempt: none after it');
    t.equal(after(1, 0.5, 60 * SECOND), 60 * SECOND, 'Retry-After longer than the schedule wins');
    t.equal(after(2, 0.5, 60 * SECOND), 300 * SECOND, 'a shorter Retry-After does not hasten it');
    t.equal(after(1, 0.5, 10 * MAX_RETRY_AFTER_MS), MAX_RETRY_AFTER_MS, 'Retry-After is capped at a day');
    t.equal(parseRetryAfter('120', at), 120 * SECOND);
    t.equal(parseRetryAfter('Wed, 02 Dec 2026 10:01:00 GMT', at), 60 * SECOND);
    t.equal(parseRetryAfter('soon', at), null);
    t.equal(parseRetryAfter(undefined, at), null);
  },
);

t.test('disabled after 5 days of failures, not before', async (t) => {
  t.equal(DISABLE_AFTER_FAILING_MS, 5 * 24 * 3600 * SECOND);
  t.notOk(failedTooLong(at, new Date(at.getTime() + DISABLE_AFTER_FAILING_MS - 1)));
  t.ok(failedTooLong(at, new Date(at.getTime() + DISABLE_AFTER_FAILING_MS)));
});

t.test('addresses: only public unicast', async (t) => {
  for (const [address, range] of [
    ['127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.251', 'multicast'],
    ['192.0.2.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:10.0.0.1', 'private'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['2002:a00:1::1', '6to4'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['not an address', 'invalid'],
  ] as const) {
    t.same(checkAddress(address), { ok: false, range }, address);
  }
  for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])
    t.same(checkAddress(address), { ok: true }, address);
});

t.test('URLs and secrets', async (t) => {
  const ok = parseWebhookUrl('https://hr.example.com/hooks?x=1');
  t.ok(ok.ok);
  t.same(ok.ok && ok.literalAddress, null, 'a host name: checked after DNS');
  const literal = parseWebhookUrl('http://[::1]:8080/');
  t.same(literal.ok && literal.literalAddress, '::1', 'an IPv6 literal without brackets');
  for (const bad of [
    'ftp://x.example/',
    'file:///etc/passwd',
    'https://u:p@x.example/',
    'https://x.example/#f',
    '/relative',
    `https://x.example/${'a'.repeat(2100)}`,
  ]) {
    t.notOk(parseWebhookUrl(bad).ok, bad.slice(0, 40));
  }
  const secret = newWebhookSecret();
  t.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  t.equal(Buffer.from(secret.slice(6), 'base64').length, 32, '32 random bytes (the spec: at least 24)');
  t.not(newWebhookSecret(), secret);
});
