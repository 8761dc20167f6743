/**
 * Who is calling, and the checks use cases make on it. Shared by REST, GraphQL and the member
 * pages; the auth plugin only resolves credentials into a `Principal`.
 *
 * A member acts in one of two ways (docs/confidentiality.md):
 * - `via: 'token'`: a member token an admin minted. It may ACT for the leader (answer, afbud,
 *   accept the charter, consent), never READ their private data: whoever minted it could.
 * - `via: 'session'`: a session the leader opened themselves from a sign-in link the service
 *   emailed to them. Only such a session reads private data (own answers, comment, private
 *   signals, exclusions, consents).
 */
import { problem } from '../errors/problem.js';

export type AdminPrincipal = { readonly kind: 'admin'; readonly tenantId: string; readonly keyId: string };

export type TokenMemberPrincipal = {
  readonly kind: 'member';
  readonly via: 'token';
  readonly tenantId: string;
  readonly leaderId: string;
  readonly tokenId: string;
};

export type SessionMemberPrincipal = {
  readonly kind: 'member';
  readonly via: 'session';
  readonly tenantId: string;
  readonly leaderId: string;
  readonly sessionId: string;
};

export type MemberPrincipal = TokenMemberPrincipal | SessionMemberPrincipal;

/** Who is calling. Every query is scoped by `tenantId`. */
export type Principal = AdminPrincipal | MemberPrincipal;

/** The principal as an admin, or a 403 problem. */
export function requireAdmin(principal: Principal): AdminPrincipal {
  if (principal.kind !== 'admin') throw problem('forbidden', 'This needs an admin API key');
  return principal;
}

/** The principal as a member acting as themselves (token or session), or a 403 problem. */
export function requireMember(
  principal: Principal,
  detail = 'This is done by the member themselves, with a member token',
): MemberPrincipal {
  if (principal.kind !== 'member') throw problem('forbidden', detail);
  return principal;
}

/**
 * The principal as a member reading their OWN private data: only in a session they hold. An admin
 * key and an admin-minted member token get the `private_data` problem (403) that says why.
 */
export function requireOwnSession(principal: Principal): SessionMemberPrincipal {
  if (principal.kind === 'member' && principal.via === 'session') return principal;
  throw problem(
    'private_data',
    principal.kind === 'admin'
      ? "A member's private data is never readable with an admin key"
      : 'A member token acts for the member but never reads their private data: the member reads it ' +
          'in their own session (the sign-in link the service emails them, on the member pages under /m/)',
  );
}
