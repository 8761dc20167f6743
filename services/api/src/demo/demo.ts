/**
 * `pnpm demo`: loads a demo tenant (demo-data.ts) into the database the server uses — the same
 * configuration (embedded PGlite in SPARRING_DATA_DIR, default .data/pglite, or DATABASE_URL) —
 * and prints its admin key, the network and ready-to-paste curl commands. Each run makes a NEW
 * demo tenant with a new key, so running it again never fails and never touches earlier data.
 * With the embedded database, run it while the service is stopped (one process at a time).
 */
import { buildApp } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
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

const app = await buildApp(config, { logger: false });
try {
  await app.ready();
  const demo = await loadDemo(app);
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const auth = `-H 'Authorization: Bearer ${demo.adminKey}'`;
  const newStart = localDate(new Date(Date.now() + 45 * 86_400_000));
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
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

${demo.atRiskMember.name}'s member token (24 h) shows the signal only he sees:

  curl -s ${base}/v1/networks/${demo.networkId}/signals/me -H 'Authorization: Bearer ${demo.atRiskMember.token}'

Decide the review (REST or GraphQL decideReview), e.g.:

  curl -s ${base}/v1/networks/${demo.networkId}/review/decision ${auth} -H 'Content-Type: application/json' \\
    -d '{"decision":"adjust","changes":["time_slot"],"meetingModel":{"cadenceMonths":1,"timeSlot":"weekday_evening","localStartTime":"18:30","venue":{"kind":"in_person","place":"Dokk1, Aarhus"},"startDate":"${newStart}"}}'
`);
} catch (error) {
  console.error(`sparring demo: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await app.close();
}
