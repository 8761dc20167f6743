/**
 * `pnpm demo`: loads a demo tenant (demo-data.ts) into the database the server uses — the same
 * configuration (embedded PGlite in SPARRING_DATA_DIR, default .data/pglite, or DATABASE_URL) —
 * and prints its admin key, the network and ready-to-paste curl commands. Each run makes a NEW
 * demo tenant with a new key, so running it again never fails and never touches earlier data.
 * With the embedded database, run it while the service is stopped (one process at a time).
 */
import { buildApp } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { DataDirInUseError } from '../db/data-dir-lock.js';
import { findLeader } from '../leaders/leader.repository.js';
import { createSignInLink, SIGN_IN_LINK_TTL_MINUTES, signInUrl } from '../members/member-session.service.js';
import { loadDemo, localDate } from './demo-data.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`sparring demo: configuration error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

let app: Awaited<ReturnType<typeof buildApp>>;
try {
  app = await buildApp(config, { logger: false });
} catch (error) {
  if (error instanceof DataDirInUseError) {
    // The server has the embedded database open: the demo's data would be lost (exit 75, EX_TEMPFAIL).
    console.error(`sparring demo: ${error.message}`);
    process.exit(75);
  }
  throw error;
}
try {
  await app.ready();
  const demo = await loadDemo(app);
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const auth = `-H 'Authorization: Bearer ${demo.adminKey}'`;
  const newStart = localDate(new Date(Date.now() + 45 * 86_400_000));
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  // The at-risk member's own sign-in link, made directly (the service would mail it to them).
  const now = new Date();
  const leader = await findLeader(app.db, demo.tenantId, demo.atRiskMember.leaderId);
  if (!leader) throw new Error('the demo member is missing');
  const link = await createSignInLink(
    app.db,
    { tenantId: demo.tenantId, leaderId: demo.atRiskMember.leaderId, email: leader.email },
    now,
    'demo',
  );
  console.log(`Demo tenant "${demo.tenantName}" loaded into ${where}.

  admin key:  ${demo.adminKey}   (shown once; stored hashed)
  network:    ${demo.networkId}  ${demo.networkName}
  status:     ${demo.status} — 3 of 3 trial meetings held, the 4th planned for ${demo.nextMeetingLocal} (Copenhagen)
  health:     ${demo.health.band}, index ${demo.health.index}; signals: ${demo.health.signals.join(', ') || 'none'}
  review:     ${demo.review.recommendation}${demo.review.changes.length ? ` (${demo.review.changes.join(', ')})` : ''} — reasons: ${demo.review.reasons.join(', ')}

Start the service (npx -y pnpm@10.34.8 start), then:

  curl -s ${base}/v1/networks/${demo.networkId}/health ${auth}
  curl -s ${base}/v1/networks/${demo.networkId}/review ${auth}
  curl -s ${base}/v1/networks/${demo.networkId}/meetings ${auth}
  curl -s ${base}/graphql ${auth} -H 'Content-Type: application/json' \\
    -d '{"query":"{ network(id: \\"${demo.networkId}\\") { name status health { band index } currentReview { recommendation { recommendation changes reasons { code } } } } }"}'

Decide the review (REST or GraphQL decideReview), e.g.:

  curl -s ${base}/v1/networks/${demo.networkId}/review/decision ${auth} -H 'Content-Type: application/json' \\
    -d '{"decision":"adjust","changes":["time_slot"],"meetingModel":{"cadenceMonths":1,"timeSlot":"weekday_evening","localStartTime":"18:30","venue":{"kind":"in_person","place":"Dokk1, Aarhus"},"startDate":"${newStart}"}}'

${demo.atRiskMember.name} has a signal only he sees. He reads it, and his own answers, only in a session of his own
(a member token the admin mints acts for him but never reads them), opened
from a sign-in link the service mails to him (docs/member-sessions.md). Here is one, made directly
instead of mailed: single use, valid ${SIGN_IN_LINK_TTL_MINUTES} minutes (until ${link.expiresAt.toISOString()}). It works while
the service is started on this same database:

  ${signInUrl(config.publicUrl, link.token)}
`);
} catch (error) {
  console.error(`sparring demo: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await app.close();
}
