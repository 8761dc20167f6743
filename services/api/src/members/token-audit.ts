/**
 * "Who acted for me": every member token an admin minted for a leader, and every write done with
 * it, recorded when it succeeds (REST: the route; GraphQL: the mutation field) and shown to the
 * leader in their own session. The HR platform's use of a member's name is visible to the member.
 */
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { SessionMemberPrincipal, TokenMemberPrincipal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';

/** A recorded action's shape: `METHOD /route/:pattern` for REST, `graphql mutation field` for GraphQL. */
export const restAction = (method: string, routeUrl: string) => `${method} ${routeUrl}`;
export const graphqlAction = (field: string) => `graphql ${field}`;

/** What a recorded action was, for the member to read (the page shows the domain's text for it). */
export type TokenActionKind =
  | 'evaluation_answered'
  | 'attendance_answered'
  | 'charter_accepted'
  | 'consent_changed'
  | 'agenda_changed'
  | 'other';

const ACTION_KINDS: Readonly<Record<string, TokenActionKind>> = {
  [restAction('PUT', '/v1/meetings/:id/evaluations/me')]: 'evaluation_answered',
  [graphqlAction('submitEvaluation')]: 'evaluation_answered',
  [restAction('POST', '/v1/meetings/:id/attendance/me')]: 'attendance_answered',
  [graphqlAction('confirmAttendance')]: 'attendance_answered',
  [graphqlAction('cancelAttendance')]: 'attendance_answered',
  [restAction('POST', '/v1/networks/:id/charter-versions/:version/acceptances')]: 'charter_accepted',
  [graphqlAction('acceptCharter')]: 'charter_accepted',
  [restAction('PUT', '/v1/networks/:id/members/me/consent')]: 'consent_changed',
  [graphqlAction('setMySignalConsent')]: 'consent_changed',
  [restAction('POST', '/v1/meetings/:id/agenda-items')]: 'agenda_changed',
  [restAction('DELETE', '/v1/agenda-items/:id')]: 'agenda_changed',
  [graphqlAction('addAgendaItem')]: 'agenda_changed',
  [graphqlAction('removeAgendaItem')]: 'agenda_changed',
};

/** The kind of a recorded action (`other` for one the page has no words for; it shows the raw name too). */
export const tokenActionKind = (action: string): TokenActionKind => ACTION_KINDS[action] ?? 'other';

/** Records what a minted token did (one row per action). */
export async function recordTokenActions(
  db: Kysely<Database>,
  principal: TokenMemberPrincipal,
  actions: readonly string[],
  at: Date,
): Promise<void> {
  if (actions.length === 0) return;
  await db
    .insertInto('member_token_actions')
    .values(
      actions.map((action) => ({
        tenant_id: principal.tenantId,
        id: uuidv7(),
        token_id: principal.tokenId,
        leader_id: principal.leaderId,
        action,
        at,
      })),
    )
    .execute();
}

export interface ActedForMe {
  readonly tokens: readonly {
    readonly id: string;
    readonly mintedAt: Date;
    readonly expiresAt: Date;
    readonly revokedAt: Date | null;
    readonly actions: readonly { readonly at: Date; readonly action: string }[];
  }[];
}

/** Every token minted for the session's leader (newest first) with what was done with it, in two queries. */
export async function actionsForLeader(
  db: Kysely<Database>,
  session: SessionMemberPrincipal,
): Promise<ActedForMe> {
  const tokens = await db
    .selectFrom('member_tokens')
    .select(['id', 'created_at', 'expires_at', 'revoked_at'])
    .where('tenant_id', '=', session.tenantId)
    .where('leader_id', '=', session.leaderId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const actions =
    tokens.length === 0
      ? []
      : await db
          .selectFrom('member_token_actions')
          .select(['token_id', 'action', 'at'])
          .where('tenant_id', '=', session.tenantId)
          .where('leader_id', '=', session.leaderId)
          .orderBy('at')
          .orderBy('id')
          .execute();
  return {
    tokens: tokens.map((t) => ({
      id: t.id,
      mintedAt: t.created_at,
      expiresAt: t.expires_at,
      revokedAt: t.revoked_at,
      actions: actions.filter((a) => a.token_id === t.id).map((a) => ({ at: a.at, action: a.action })),
    })),
  };
}
