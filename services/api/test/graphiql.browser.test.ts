/**
 * The GraphQL explorer (/graphiql), the API documentation (/docs) and CORS in a real browser:
 * headless Chromium (playwright-core) against the app listening on 127.0.0.1. Every request a
 * page makes is recorded, and any to another origin is aborted: the pages must work from the
 * service's own files alone. A page of another origin (a second server on another port) calls
 * the API with fetch: refused until the tenant lists that origin, then readable with its own
 * key and not with another tenant's. PGlite or DATABASE_URL. The browser tests are skipped, saying
 * why, only when no Chromium binary exists; the page's headers and files are checked without one.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from '@sparring/test-workers/tap';
import type { BrowserContext, Page } from 'playwright-core';
import { GRAPHIQL_CSP_DIRECTIVES } from '../src/plugins/graphiql.plugin.js';
import { api } from './helpers/api.js';
import { chromiumPath, launchChromium } from './helpers/browser.js';
import { buildTestApp } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const { key, auth } = await ctx.tenant('Acme HR');
const other = await ctx.tenant('Other HR');
const leader = await api(app, auth).post('/v1/leaders', leaderBody());
const leaderId = leader.json().id as string;

const executablePath = chromiumPath();
const browser = executablePath === undefined ? undefined : await launchChromium(executablePath);
if (browser) t.teardown(() => browser.close());

t.test("the explorer's page and files, without a browser", async (t) => {
  const page = await api(app).get('/graphiql');
  t.equal(page.statusCode, 200);
  t.match(String(page.headers['content-type']), 'text/html');
  const csp = String(page.headers['content-security-policy']);
  t.match(csp, "default-src 'none'");
  t.match(csp, "style-src 'self' 'unsafe-inline'", 'inline styles allowed on this page');
  t.notMatch(csp, /https?:/, 'nothing from another origin');
  for (const src of page.body.matchAll(/(?:src|href)="([^"]+)"/g)) {
    const file = await api(app).get(src[1]!);
    t.equal(file.statusCode, 200, `${src[1]} is served`);
    t.match(String(file.headers['content-type']), /^text\/(javascript|css); charset=utf-8$/);
    const again = await api(app).get(src[1]!, { headers: { 'if-none-match': String(file.headers.etag) } });
    t.equal(again.statusCode, 304, 'revalidated by its ETag');
  }
  const elsewhere = String((await api(app).get('/health/live')).headers['content-security-policy']);
  t.not(elsewhere, csp, "the explorer's policy is its page's alone");
  t.match(elsewhere, "default-src 'self'", "helmet's policy everywhere else");
  for (const name of [
    'package.json',
    '..%2F..%2Fpackage.json',
    'graphiql.min.js.map',
    'constructor',
    '__proto__',
  ]) {
    const res = await api(app).get(`/graphiql/assets/${name}`);
    t.equal(res.statusCode, 404, `${name}: only the page's own files`);
    t.match(String(res.headers['content-type']), 'application/problem+json');
  }
});

if (browser === undefined) {
  t.test(
    'in a browser',
    { skip: 'no Chromium binary (/usr/bin/chromium or CHROMIUM_PATH): apt-get install -y chromium' },
    async () => {},
  );
} else {
  /** A context whose every request is recorded; any request off `allowedOrigin` is aborted. */
  const recordingContext = async (allowedOrigin: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Generous: the machine the tests run on may be busy (Swagger UI's bundle alone is 1.4 MB).
    context.setDefaultTimeout(120_000);
    const requests: string[] = [];
    const elsewhere: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (new URL(url).origin === allowedOrigin) await route.continue();
      else {
        elsewhere.push(url);
        await route.abort('internetdisconnected');
      }
    });
    return { context, requests, elsewhere };
  };

  function watchErrors(page: Page) {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    return errors;
  }

  /** The text of the CodeMirror editor inside `selector`. */
  const editorText = (page: Page, selector: string) =>
    page.evaluate(
      `document.querySelector(${JSON.stringify(`${selector} .CodeMirror`)}).CodeMirror.getValue()`,
    ) as Promise<string>;

  /** Replaces an editor's text by typing, as a person does (Ctrl+A, then the keys). */
  async function typeInto(page: Page, selector: string, text: string) {
    await page.locator(`${selector} .CodeMirror`).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(text);
  }

  let context: BrowserContext | undefined;
  t.afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  t.test('GraphiQL from the service alone: the key in the headers editor, a query, its result', async (t) => {
    const recorded = await recordingContext(base);
    context = recorded.context;
    const page = await context.newPage();
    const errors = watchErrors(page);
    const graphqlCalls: { status: number; authorization: string | undefined }[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/graphql')
        graphqlCalls.push({
          status: response.status(),
          authorization: response.request().headers().authorization,
        });
    });

    const response = await page.goto(`${base}/graphiql`);
    t.equal(response?.status(), 200);
    const csp = String(response?.headers()['content-security-policy']);
    t.match(csp, "script-src 'self'", 'scripts from this origin only');
    t.match(csp, "connect-src 'self'", 'fetches to this origin only');
    t.notMatch(csp, 'unsafe-eval');
    t.equal(GRAPHIQL_CSP_DIRECTIVES.scriptSrc.join(' '), "'self'");
    await page.locator('.graphiql-container').waitFor({ timeout: 120_000 });
    // The headers editor is open beside the query (the variables editor next to it is hidden).
    const headers = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
    await page.locator(`${headers} .CodeMirror`).waitFor({ timeout: 120_000 });

    await typeInto(page, headers, `{"Authorization": "Bearer ${key}"}`);
    t.same(
      JSON.parse(await editorText(page, headers)),
      { Authorization: `Bearer ${key}` },
      'the key is in the headers editor',
    );
    await typeInto(page, '.graphiql-query-editor', '{ leaders(first: 1) { nodes { id } } }');
    t.equal(
      (await editorText(page, '.graphiql-query-editor')).replace(/\s+/g, ' ').trim(),
      '{ leaders(first: 1) { nodes { id } } }',
      'the query as typed',
    );
    await page.getByRole('button', { name: /Execute query/ }).click();
    await page.locator('.graphiql-response').filter({ hasText: leaderId }).waitFor();
    const result = JSON.parse(await editorText(page, '.graphiql-response'));
    t.same(result, { data: { leaders: { nodes: [{ id: leaderId }] } } }, 'the result is shown');
    const last = graphqlCalls.at(-1);
    t.equal(last?.status, 200);
    t.equal(last?.authorization, `Bearer ${key}`, 'sent with the key from the headers editor');
    // GraphiQL writes its history a moment after the result (debounced): wait for it, then look
    // at everything it stored.
    await page.waitForFunction(
      `(localStorage.getItem('graphiql:queries') ?? '').includes('leaders(first: 1)')`,
      null,
      {
        timeout: 15_000,
      },
    );
    t.same(
      await page.evaluate(
        `Object.keys(localStorage).filter((k) => localStorage.getItem(k).includes(${JSON.stringify(key)}))`,
      ),
      [],
      'the key is not stored in the browser',
    );
    t.match(
      await page.evaluate('localStorage.getItem("graphiql:queries")'),
      /leaders\(first: 1\)/,
      'while the query history is kept',
    );

    t.same(recorded.elsewhere, [], 'no request left the service');
    t.ok(
      ['/graphiql/assets/graphiql.min.js', '/graphiql/assets/react.production.min.js', '/graphql'].every(
        (p) => recorded.requests.includes(`${base}${p}`),
      ),
      'the explorer loaded its files and called /graphql here',
    );
    t.same(
      errors.filter((e) => /Content Security Policy|Refused to/i.test(e)),
      [],
      'nothing refused by the page policy',
    );
  });

  t.test('/docs lists the operations, from the service alone', async (t) => {
    const recorded = await recordingContext(base);
    context = recorded.context;
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${base}/docs`);
    await page
      .locator('.opblock')
      .first()
      .waitFor({ timeout: 120_000 })
      .catch((e) => t.fail(`no operations: ${e} ${errors.join(' | ')} ${recorded.requests.join(' ')}`));
    const operations = await page.locator('.opblock-summary-path').allTextContents();
    t.ok(operations.length > 20, `many operations listed (${operations.length})`);
    t.ok(
      operations.some((p) => p.replace(/\u200b/g, '') === '/v1/leaders'),
      '/v1/leaders is among them',
    );
    t.ok(
      await page.getByRole('link', { name: '/graphiql' }).count(),
      'the description links the GraphQL explorer',
    );
    t.same(recorded.elsewhere, [], 'no request left the service');
  });

  t.test('CORS: a page of another origin calls the API once its tenant lists the origin', async (t) => {
    // The other origin: a blank page on another port of this machine (http is allowed on loopback).
    const site = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>HR platform</title><p>HR platform</p>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => site.close(() => resolve())));
    const siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

    context = await browser.newContext();
    context.setDefaultTimeout(120_000);
    const page = await context.newPage();
    await page.goto(`${siteOrigin}/`);
    const call = (authorization: string) =>
      page.evaluate(
        async ({ url, authorization }) => {
          try {
            const r = await fetch(url, { headers: { authorization } });
            const body = (await r.json()) as { data: { id: string }[] };
            return {
              status: r.status,
              requestId: r.headers.get('x-request-id'),
              ids: body.data.map((l) => l.id),
            };
          } catch (e) {
            return { failed: String(e) };
          }
        },
        { url: `${base}/v1/leaders`, authorization },
      );

    const before = await call(`Bearer ${key}`);
    t.match(before, { failed: /TypeError/ }, 'refused while no tenant lists the origin');
    const set = await api(app, auth).patch('/v1/tenant', { corsOrigins: [siteOrigin] });
    t.equal(set.statusCode, 200);
    const after = await call(`Bearer ${key}`);
    t.same((after as { ids?: string[] }).ids, [leaderId], "the tenant's data, read by the page");
    t.match(after, { status: 200, requestId: /^[0-9a-f-]{36}$/ }, 'an exposed header is readable');
    const foreign = await call(`Bearer ${other.key}`);
    t.match(foreign, { failed: /TypeError/ }, "another tenant's key from this origin: the browser refuses");
  });
}
