import t from '@sparring/test-workers/tap';
import { ConfigError, loadConfig } from '../src/config.js';

t.test('defaults: embedded database on disk, port 3000, non-zero timeout', async (t) => {
  const config = loadConfig({});
  t.equal(config.port, 3000);
  t.equal(config.databaseUrl, undefined);
  t.match(config.dataDir, /\.data\/pglite$/);
  t.ok(config.requestTimeoutMs > 0);
  t.equal(config.bootstrapAdminKey, undefined);
});

t.test('bad values stop start-up with a message naming the variable', async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ SPARRING_BOOTSTRAP_ADMIN_KEY: 'short' }, /at least 16/],
    [{ SPARRING_REQUEST_TIMEOUT_MS: '0' }, /SPARRING_REQUEST_TIMEOUT_MS/],
    [{ SPARRING_BOOTSTRAP_ADMIN_KEY: 'local_development_key' }, /must start with "sk_"/],
    [{ HOST: 'not a host!' }, /HOST must be an IP address or a host name/],
    [{ HOST: 'http://127.0.0.1' }, /HOST/],
  ];
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), { name: 'ConfigError', message }, JSON.stringify(env));
  }
  t.type(new ConfigError('x'), Error);
  for (const host of ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'api.example.dk'])
    t.equal(loadConfig({ HOST: host }).host, host, `HOST=${host} is accepted`);
});

t.test('values are read', async (t) => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgres://localhost/x',
    LOG_LEVEL: 'debug',
    SPARRING_BOOTSTRAP_ADMIN_KEY: 'sk_local_development_key',
    SPARRING_DATA_DIR: '/tmp/x',
  });
  t.match(config, {
    port: 8080,
    host: '0.0.0.0',
    databaseUrl: 'postgres://localhost/x',
    logLevel: 'debug',
    bootstrapAdminKey: 'sk_local_development_key',
    dataDir: '/tmp/x',
  });
});
