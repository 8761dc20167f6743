/**
 * The programme view for HR (docs/programme.md): loads every network of the tenant with what the
 * domain's `programmeOverview` reads — lifecycle status, the assessment (`assessNetworks`, as
 * health and reviews use it), members' regions and sectors, held meetings with attendance, the
 * review due now with its recommendation, decided reviews, formation runs — in a fixed number of
 * queries, and returns the domain's overview. The filter and every rule of what is shown are the
 * domain's; nothing here computes a figure.
 */
import {
  type Month,
  type ProgrammeFormationRun,
  type ProgrammeNetwork,
  type ProgrammeOverview,
  parseProgrammeFilter,
  programmeOverview,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { AdminPrincipal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { validationProblem } from '../errors/problem.js';
import { heldMeetingsOf } from '../evaluations/health.repository.js';
import { assessNetworks } from '../evaluations/health.service.js';
import { noticeHoursOf } from '../networks/network.repository.js';
import { currentReviews } from '../reviews/review.service.js';

/** The query of `GET /v1/programme` (and GraphQL's `ProgrammeFilter`), before the domain validates it. */
export interface ProgrammeQuery {
  readonly region?: string;
  readonly sector?: string;
  readonly cohort?: string;
  readonly from?: Month;
  readonly to?: Month;
}

/** The programme overview for the tenant's admin; a bad filter is a 400 `validation_failed`. */
export async function programme(
  db: Kysely<Database>,
  principal: AdminPrincipal,
  query: ProgrammeQuery,
  now: Date,
): Promise<ProgrammeOverview> {
  const input = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null));
  const filter = parseProgrammeFilter(input, now);
  if (!filter.ok) throw validationProblem(filter.error.issues);
  const tenantId = principal.tenantId;

  const networks = await db
    .selectFrom('networks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('id')
    .execute();
  const ids = networks.map((n) => n.id);
  const [members, assessments, held, notice, due, decided, runs] = [
    await membersWithAttributes(db, tenantId),
    await assessNetworks(db, tenantId, networks, now),
    await heldMeetingsOf(db, tenantId, ids),
    await noticeHoursOf(db, tenantId, ids),
    await currentReviews(db, tenantId, networks, now),
    await db
      .selectFrom('reviews')
      .select(['network_id', 'decision', 'decided_at'])
      .where('tenant_id', '=', tenantId)
      .where('decided_at', 'is not', null)
      .where('decision', 'is not', null)
      .execute(),
    await db
      .selectFrom('formation_runs')
      .select(['id', 'status', 'created_at', 'accepted'])
      .where('tenant_id', '=', tenantId)
      .execute(),
  ];

  const formationRuns: ProgrammeFormationRun[] = runs.map((r) => ({
    id: r.id,
    status: r.status,
    createdAt: r.created_at,
    acceptedNetworkIds: Object.values(r.accepted ?? {}),
  }));
  const cohortsOf = new Map<string, string[]>();
  for (const run of formationRuns)
    for (const id of run.acceptedNetworkIds) cohortsOf.set(id, [...(cohortsOf.get(id) ?? []), run.id]);

  const inputs: ProgrammeNetwork[] = networks.map((n) => {
    const all = members.filter((m) => m.network_id === n.id);
    const current = all.filter((m) => m.left_at === null || m.left_at > now);
    // A network's region and sector are its current members' (all members once none is left).
    const described = current.length > 0 ? current : all;
    const review = due.get(n.id);
    const recommendation = review?.recommendation;
    const noticeHours = notice.get(n.id);
    return {
      id: n.id,
      status: n.status,
      minResponses: n.min_responses,
      timeZone: n.time_zone,
      ...(noticeHours !== undefined ? { noticeHours } : {}),
      attributes: {
        region: [...new Set(described.map((m) => m.region))],
        sector: [...new Set(described.map((m) => m.sector))],
        cohort: cohortsOf.get(n.id) ?? [],
      },
      memberIds: current.map((m) => m.leader_id),
      assessment: assessments.get(n.id)!,
      heldMeetings: held.get(n.id) ?? [],
      reviewDue:
        review && recommendation
          ? {
              kind: review.kind,
              recommendation: recommendation.recommendation,
              reasons: recommendation.reasons.map((r) => r.code),
            }
          : null,
      decidedReviews: decided
        .filter((r) => r.network_id === n.id)
        .map((r) => ({ decision: r.decision!, decidedAt: r.decided_at! })),
    };
  });
  return programmeOverview(inputs, formationRuns, filter.value);
}

/** Every membership of the tenant's networks with the leader's region and sector, in one query. */
function membersWithAttributes(db: Kysely<Database>, tenantId: string) {
  return db
    .selectFrom('network_members as nm')
    .innerJoin('leaders as l', (join) =>
      join.onRef('l.tenant_id', '=', 'nm.tenant_id').onRef('l.id', '=', 'nm.leader_id'),
    )
    .select(['nm.network_id', 'nm.leader_id', 'nm.left_at', 'l.region', 'l.sector'])
    .where('nm.tenant_id', '=', tenantId)
    .execute();
}
