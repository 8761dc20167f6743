/**
 * The principal of a request, as the routes ask for it. The auth plugin (plugins/auth.plugin.ts)
 * resolves the credential and sets `request.principal`; routes read it through these.
 */
import type { FastifyRequest } from 'fastify';
import { problem } from '../errors/problem.js';
import { type AdminPrincipal, type Principal, requireAdmin } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The principal of this request (admin or member), or 401 when there is none. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw problem('unauthorized');
  return request.principal;
}

/** The admin principal of this request, or the problem that explains why not. */
export function adminOf(request: FastifyRequest): AdminPrincipal {
  const p = request.principal;
  if (p === null) throw problem('unauthorized');
  return requireAdmin(p);
}
