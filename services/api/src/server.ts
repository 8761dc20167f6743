/**
 * The process: configuration, logging, listen, graceful shutdown. Everything else is app.ts.
 */
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`sparring: configuration error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

// A person at a terminal gets readable lines; anything else (a container, a log shipper) gets JSON.
const app = await buildApp(config, { prettyLogs: process.stdout.isTTY === true });

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close(); // stops accepting, lets requests finish, closes the database
});

await app.listen({ port: config.port, host: config.host });
app.log.info(
  { database: app.database.engine, docs: `http://${config.host}:${config.port}/docs` },
  'sparring is ready',
);
