/**
 * Screenshots of the member pages on a phone (390 px wide), in Danish and English, into
 * docs/images/. Run from the repository root: `npx -y pnpm@10.34.8 screenshots`.
 *
 * It starts the service on an in-memory database on 127.0.0.1 (a free port), builds the same
 * network the member pages' tests use (test/helpers/browser.ts), gives the people and the network
 * readable names, opens a session for one member and photographs each page in headless Chromium
 * (/usr/bin/chromium, or CHROMIUM_PATH). It also photographs the GraphQL explorer (/graphiql)
 * after a query. Name groups to take only those: `npx -y pnpm@10.34.8 screenshots graphiql`
 * (groups: member-pages, graphiql).
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createMemberSession } from '../src/members/member-session.service.js';
import { createTenant } from '../src/tenants/tenant.repository.js';
import { buildMemberWorld, chromiumPath, launchChromium } from '../test/helpers/browser.js';

const OUT = path.resolve(import.meta.dirname, '../../../docs/images');

const PEOPLE = [
  ['Mette Lund', 'Aarhus Kommune'],
  ['Jonas Holm', 'Region Midtjylland'],
  ['Sara Nielsen', 'Vestas'],
  ['Ahmed Khalil', 'Arla Foods'],
  ['Karen Bech', 'Aarhus Universitet'],
  ['Peter Friis', 'Danske Bank'],
] as const;

/** The groups named on the command line; none named: all. */
const wanted = process.argv.slice(2);
const want = (group: 'member-pages' | 'graphiql') => wanted.length === 0 || wanted.includes(group);

async function main() {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('No Chromium: apt-get install -y chromium, or set CHROMIUM_PATH');
  mkdirSync(OUT, { recursive: true });

  const config = loadConfig({
    ...process.env,
    SPARRING_DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    DATABASE_URL: '',
  });
  const database = await openDatabase({ url: undefined, dataDir: config.dataDir });
  const app = await buildApp(config, { database, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    const { tenant, adminKey } = await createTenant(app.db, { name: 'Demo HR' });
    const auth = { authorization: `Bearer ${adminKey}` };
    const world = await buildMemberWorld(app, tenant.id, auth);

    // Readable names: through the API, as an HR platform would set them.
    for (const [i, id] of world.leaderIds.entries()) {
      const [name, organisation] = PEOPLE[i]!;
      const current = await app.inject({ url: `/v1/leaders/${id}`, headers: auth });
      await app.inject({
        method: 'PATCH',
        url: `/v1/leaders/${id}`,
        headers: { ...auth, 'if-match': String(current.headers.etag) },
        payload: { name, organisation },
      });
    }
    const network = await app.inject({ url: `/v1/networks/${world.networkId}`, headers: auth });
    await app.inject({
      method: 'PATCH',
      url: `/v1/networks/${world.networkId}`,
      headers: { ...auth, 'if-match': String(network.headers.etag) },
      payload: { name: 'Ledernetværk Aarhus' },
    });

    const browser = await launchChromium(executablePath);
    try {
      if (want('graphiql')) {
        const context = await browser.newContext({
          viewport: { width: 1280, height: 720 },
          deviceScaleFactor: 1,
        });
        const page = await context.newPage();
        await page.goto(`${base}/graphiql`);
        const editor = async (selector: string, text: string) => {
          await page.locator(`${selector} .CodeMirror`).click();
          await page.keyboard.press('Control+A');
          await page.keyboard.press('Delete');
          await page.keyboard.type(text);
        };
        await editor(
          '.graphiql-editor-tool .graphiql-editor:not(.hidden)',
          `{"Authorization": "Bearer ${adminKey}"}`,
        );
        await editor('.graphiql-query-editor', '{ leaders(first: 3) { nodes { id name organisation } } }');
        // Prettify lays the query (and the headers) out on lines, as a person would.
        await page.getByRole('button', { name: /Prettify/ }).click();
        await page.getByRole('button', { name: /Execute query/ }).click();
        await page.locator('.graphiql-response').filter({ hasText: PEOPLE[0][0] }).waitFor();
        const file = path.join(OUT, 'graphiql.png');
        await page.screenshot({ path: file });
        console.log(path.relative(process.cwd(), file));
        await context.close();
      }
      for (const lang of want('member-pages') ? (['da', 'en'] as const) : []) {
        const context = await browser.newContext({
          locale: lang === 'da' ? 'da-DK' : 'en-GB',
          viewport: { width: 390, height: 844 },
          deviceScaleFactor: 1,
        });
        const page = await context.newPage();
        const shot = async (name: string, url: string) => {
          await page.goto(`${base}${url}`);
          const file = path.join(OUT, `${name}.${lang}.png`);
          await page.screenshot({ path: file, fullPage: true });
          console.log(path.relative(process.cwd(), file));
        };
        await shot('member-sign-in', '/m/sign-in');
        const { cookieValue } = await createMemberSession(app.db, tenant.id, world.leaderIds[0]!, new Date());
        await context.addCookies([{ name: 'sparring_session', value: cookieValue, url: `${base}/m` }]);
        await shot('member-networks', '/m/');
        await shot('member-network', `/m/networks/${world.networkId}`);
        await shot('member-afbud', `/m/meetings/${world.lateMeetingId}/afbud`);
        await shot('member-evaluation', `/m/meetings/${world.heldMeetingIds[2]}/evaluation`);
        await shot('member-mine', '/m/me');
        await shot('member-health', `/m/networks/${world.networkId}/health`);
        await context.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    await app.close();
  }
}

await main();
