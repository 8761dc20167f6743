/**
 * API keys: `sk_` + 32 random bytes (base64url). Only their SHA-256 is stored (auth/secret.ts).
 */
import { randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'sk_';

/** A new random API key. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** The part of a key shown in listings. */
export function keyPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}
