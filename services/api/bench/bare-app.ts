/**
 * The bare baseline of `pnpm bench:api`: plain Fastify and `pg`, no plugins (no Kysely, no
 * validation, no helmet, no rate limit, no auth plugin), answering the benchmark's reads with
 * the straightforward queries a hand-written app would send: the API key by its hash, then one
 * query per table (a network's members joined with the leaders' names). The JSON is shaped by the
 * service's own pure mappers, so both apps send the same bytes and the benchmark checks that they
 * do before it measures. What remains between the two is the service's framework, plugins and
 * query strategy — the overhead the benchmark is about.
 *
 * Started by bench/api.ts as a child process: PORT and DATABASE_URL from the environment.
 */
import { assessNetwork, cancellationNoticeHours, type HeldMeeting } from '@sparring/domain';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import pg from 'pg';
import type { AdminPrincipal } from '../src/auth/principal.js';
import { hashSecret } from '../src/auth/secret.js';
import { rowToEvaluation } from '../src/evaluations/evaluation.repository.js';
import { assessmentOptions, toHealthResource } from '../src/evaluations/health.service.js';
import { toPage } from '../src/http/pagination.js';
import { rowToLeader } from '../src/leaders/leader.repository.js';
import { toLeaderResource } from '../src/leaders/leader.service.js';
import { rowToAttendance, rowToMeeting, toDomainAttendance } from '../src/meetings/meeting.repository.js';
import { toAttendanceResource, toMeetingResource } from '../src/meetings/meeting.service.js';
import type { MemberEntry } from '../src/networks/network.service.js';
import { toNetworkResource } from '../src/networks/network.service.js';

// As the service does (db/database.ts): int8 as numbers.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({ logger: false });

async function admin(request: FastifyRequest, reply: FastifyReply): Promise<AdminPrincipal | undefined> {
  const key = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  const found = key
    ? await pool.query('SELECT tenant_id, id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [
        hashSecret(key),
      ])
    : undefined;
  const row = found?.rows[0];
  if (!row) {
    await reply.code(401).send({ code: 'unauthorized' });
    return undefined;
  }
  return { kind: 'admin', tenantId: row.tenant_id, keyId: row.id };
}

async function network(tenantId: string, id: string) {
  const { rows } = await pool.query('SELECT * FROM networks WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    id,
  ]);
  return rows[0];
}

type Params = { Params: { id: string } };

app.get<Params>('/v1/networks/:id', async (request, reply) => {
  const principal = await admin(request, reply);
  if (!principal) return reply;
  const row = await network(principal.tenantId, request.params.id);
  if (!row) return reply.code(404).send({ code: 'not_found' });
  const { rows } = await pool.query(
    `SELECT m.*, l.name, l.organisation FROM network_members m
       JOIN leaders l ON l.tenant_id = m.tenant_id AND l.id = m.leader_id
      WHERE m.tenant_id = $1 AND m.network_id = $2 ORDER BY m.joined_at, m.leader_id`,
    [principal.tenantId, row.id],
  );
  const members: MemberEntry[] = rows.map(({ name, organisation, ...member }) => ({
    row: member,
    name,
    organisation,
  }));
  return reply.header('etag', `"${row.version}"`).send(toNetworkResource(row, members, principal));
});

app.get<{ Querystring: { limit?: string } }>('/v1/leaders', async (request, reply) => {
  const principal = await admin(request, reply);
  if (!principal) return reply;
  const limit = Number(request.query.limit ?? 50);
  const { rows } = await pool.query('SELECT * FROM leaders WHERE tenant_id = $1 ORDER BY id LIMIT $2', [
    principal.tenantId,
    limit + 1,
  ]);
  const page = toPage(rows.map(rowToLeader), limit);
  return { data: page.items.map((l) => toLeaderResource(l, principal)), nextCursor: page.nextCursor };
});

app.get<Params>('/v1/networks/:id/meetings', async (request, reply) => {
  const principal = await admin(request, reply);
  if (!principal) return reply;
  const row = await network(principal.tenantId, request.params.id);
  if (!row) return reply.code(404).send({ code: 'not_found' });
  const { rows } = await pool.query(
    'SELECT * FROM meetings WHERE tenant_id = $1 AND network_id = $2 ORDER BY id LIMIT 51',
    [principal.tenantId, row.id],
  );
  const page = toPage(rows.map(rowToMeeting), 50);
  return { data: page.items.map((m) => toMeetingResource(m, row.time_zone)), nextCursor: page.nextCursor };
});

app.get<Params>('/v1/meetings/:id/attendance', async (request, reply) => {
  const principal = await admin(request, reply);
  if (!principal) return reply;
  const tenantId = principal.tenantId;
  const meeting = (
    await pool.query('SELECT network_id FROM meetings WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      request.params.id,
    ])
  ).rows[0];
  const row = meeting ? await network(tenantId, meeting.network_id) : undefined;
  if (!row) return reply.code(404).send({ code: 'not_found' });
  const { rows } = await pool.query(
    'SELECT * FROM attendance WHERE tenant_id = $1 AND meeting_id = $2 ORDER BY meeting_id, leader_id',
    [tenantId, request.params.id],
  );
  return { data: rows.map((a) => toAttendanceResource(rowToAttendance(a), principal, row)) };
});

app.get<Params>('/v1/networks/:id/health', async (request, reply) => {
  const principal = await admin(request, reply);
  if (!principal) return reply;
  const tenantId = principal.tenantId;
  const row = await network(tenantId, request.params.id);
  if (!row) return reply.code(404).send({ code: 'not_found' });
  const meetings = (
    await pool.query(
      `SELECT id, starts_at, evaluation_k, evaluation_closes_at FROM meetings
        WHERE tenant_id = $1 AND network_id = $2 AND status = 'held' ORDER BY starts_at`,
      [tenantId, row.id],
    )
  ).rows;
  const ids = meetings.map((m) => m.id);
  const attendance = (
    await pool.query('SELECT * FROM attendance WHERE tenant_id = $1 AND meeting_id = ANY($2)', [
      tenantId,
      ids,
    ])
  ).rows.map(rowToAttendance);
  const evaluations = (
    await pool.query('SELECT * FROM evaluations WHERE tenant_id = $1 AND meeting_id = ANY($2)', [
      tenantId,
      ids,
    ])
  ).rows;
  const charter = (
    await pool.query(
      'SELECT charter FROM charter_versions WHERE tenant_id = $1 AND network_id = $2 ORDER BY version DESC LIMIT 1',
      [tenantId, row.id],
    )
  ).rows[0];
  const held: HeldMeeting[] = meetings.map((m) => ({
    meetingId: m.id,
    startsAt: m.starts_at,
    ...(m.evaluation_closes_at ? { evaluationClosesAt: m.evaluation_closes_at } : {}),
    ...(m.evaluation_k !== null ? { minimumResponses: m.evaluation_k } : {}),
    attendance: attendance.filter((a) => a.meetingId === m.id).map(toDomainAttendance),
    evaluations: evaluations
      .filter((e) => e.meeting_id === m.id)
      .map((e) => {
        const { submittedAt: _s, updatedAt: _u, ...evaluation } = rowToEvaluation(e);
        return evaluation;
      }),
  }));
  const notice = charter ? cancellationNoticeHours(charter.charter) : undefined;
  const assessment = assessNetwork(held, new Date(), assessmentOptions(row, notice));
  return toHealthResource(assessment.health, assessment.signals, row.min_responses);
});

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void app.close().then(() => pool.end());
});
