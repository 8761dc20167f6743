/**
 * API keys: `sk_` + 32 random bytes (base64url). Only their SHA-256 is stored. A plain hash (no
 * salt, no slow KDF) is right for keys of this entropy, as GitHub and Stripe do for tokens: a
 * slow hash protects guessable passwords, and 256 random bits are not guessable.
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'sk_';

/** A new random API key. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a key. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The part of a key shown in listings. */
export function keyPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}
