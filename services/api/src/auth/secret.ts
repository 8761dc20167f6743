/**
 * The stored form of a secret credential (API keys, member tokens, sign-in links, feed tokens):
 * its SHA-256. A plain hash (no salt, no slow KDF) is right for secrets of this entropy, as GitHub
 * and Stripe do for tokens: a slow hash protects guessable passwords, and 256 random bits are not
 * guessable.
 */
import { createHash } from 'node:crypto';

/** The stored form of a secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
