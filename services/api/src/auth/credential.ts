/**
 * The credential a request carries (`Authorization: Bearer <credential>`) and its stored form,
 * computed once per request: the rate limiter keys its count by it (it runs first) and the API
 * key lookup finds the key by it.
 */
import type { FastifyRequest } from 'fastify';
import { hashSecret } from './secret.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The credential of an Authorization header (`Bearer <credential>`), or undefined. */
export function bearerCredential(header: string | undefined): string | undefined {
  return BEARER.exec(header ?? '')?.[1];
}

/** The stored form (`hashSecret`) of an Authorization header's bearer credential, or undefined. */
export function bearerHash(header: string | undefined): string | undefined {
  const credential = bearerCredential(header);
  return credential === undefined ? undefined : hashSecret(credential);
}

const hashes = new WeakMap<FastifyRequest, string | null>();

/** `bearerHash` of the request's Authorization header, computed once per request. */
export function credentialHash(request: FastifyRequest): string | undefined {
  let hash = hashes.get(request);
  if (hash === undefined) {
    hash = bearerHash(request.headers.authorization) ?? null;
    hashes.set(request, hash);
  }
  return hash ?? undefined;
}
