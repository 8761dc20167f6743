/**
 * The member pages in a real browser: headless Chromium (playwright-core) against the app
 * listening on 127.0.0.1, with a real SMTP server in the process. A leader on a phone (390 px)
 * signs in through the link read from the mail, accepts the charter, gives an afbud (late and on
 * time) and takes one back, answers an evaluation, reads their own answers and signals, switches
 * language, and finds nothing of another member; axe-core checks every page. PGlite or
 * DATABASE_URL. Skipped, saying why, only when no Chromium binary exists.
 */
import type { AddressInfo } from 'node:net';
import t from '@sparring/test-workers/tap';
import type { Page } from 'playwright-core';
import type { Test } from 'tap';
import {
  axeViolations,
  buildMemberWorld,
  chromiumPath,
  launchChromium,
  SECRET_COMMENT,
  seriousOnes,
  signInPathIn,
  startSmtp,
} from './helpers/browser.js';
import { buildTestApp } from './helpers/build.js';

const executablePath = chromiumPath();
if (executablePath === undefined) {
  t.plan(0, 'no Chromium binary (/usr/bin/chromium or CHROMIUM_PATH): apt-get install -y chromium');
} else {
  const smtp = await startSmtp(t);
  const ctx = await buildTestApp(t, { SMTP_URL: smtp.url, SPARRING_PUBLIC_URL: 'http://127.0.0.1:3000' });
  const { app } = ctx;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const { tenantId, auth } = await ctx.tenant('Acme HR');
  const world = await buildMemberWorld(app, tenantId, auth);

  const browser = await launchChromium(executablePath);
  t.teardown(() => browser.close());
  const context = await browser.newContext({ locale: 'da-DK', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });

  /** axe on the page as it is now: no serious or critical violation. */
  const checked: string[] = [];
  async function accessible(t: Test, p: Page, name: string) {
    const serious = seriousOnes(await axeViolations(p));
    t.same(
      serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html).join(' | ')})`),
      [],
      `axe: no serious or critical violation on ${name}`,
    );
    checked.push(name);
  }

  t.test('sign in through the link in the mail', async (t) => {
    await page.goto(`${base}/m/`);
    t.equal(new URL(page.url()).pathname, '/m/sign-in', 'not signed in: the sign-in page');
    t.equal(await page.getAttribute('html', 'lang'), 'da', 'Danish for a Danish browser');
    await accessible(t, page, 'sign-in');
    // Keyboard: the first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    t.equal(await page.evaluate('document.activeElement.getAttribute("href")'), '#main', 'skip link first');

    await page.getByLabel('E-mail').fill('not an address');
    await page.getByRole('button', { name: 'Send mig et link' }).click();
    // The browser's own check (type=email) stops it first; without it the server answers the same.
    t.equal(new URL(page.url()).pathname, '/m/sign-in');

    const arrived = smtp.next();
    await page.getByLabel('E-mail').fill(world.email);
    await page.getByRole('button', { name: 'Send mig et link' }).click();
    await page.getByRole('heading', { name: 'Tjek din e-mail' }).waitFor();
    await accessible(t, page, 'link sent');
    const path = signInPathIn(await arrived);
    // The mail's link, on the port this test listens on.
    await page.goto(`${base}${path}`);
    await accessible(t, page, 'sign-in link');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${base}/m/`);
    t.equal(new URL(page.url()).pathname, '/m/', 'signed in, and the token left the address bar');
    t.notMatch(page.url(), path);
    await page.getByRole('heading', { name: 'Mine netværk' }).waitFor();
    t.match(await page.textContent('main'), 'Kontrakten venter på din accept');
    t.match(await page.textContent('main'), 'En evaluering venter på dig');
    await accessible(t, page, 'my networks');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'sparring_session');
    t.ok(session?.httpOnly, 'the session cookie is httpOnly');
    t.equal(session?.sameSite, 'Lax');
  });

  t.test('accept the charter', async (t) => {
    await page.getByRole('link', { name: 'Seeded network' }).click();
    await page.getByRole('heading', { name: 'Kontrakt' }).waitFor();
    await accessible(t, page, 'a network');
    t.match(await page.textContent('#charter'), 'Afbud senest 48 timer før mødet.');
    await page.getByRole('button', { name: 'Jeg accepterer kontrakten' }).click();
    await page.getByText('Tak. Du har accepteret kontrakten.').waitFor();
    t.equal(await page.getByRole('button', { name: 'Jeg accepterer kontrakten' }).count(), 0);
  });

  t.test('afbud: late, then on time and taken back', async (t) => {
    await page.locator(`#meeting-${world.lateMeetingId}`).getByRole('link', { name: 'Meld afbud' }).click();
    await page.getByRole('heading', { name: 'Meld afbud' }).waitFor();
    t.match(await page.textContent('main'), 'Dit afbud er sent', 'says it is late BEFORE confirming');
    await accessible(t, page, 'afbud (late)');
    await page.getByRole('button', { name: 'Ja, meld afbud' }).click();
    await page.getByText('Dit afbud er registreret.').waitFor();
    t.match(await page.textContent(`#meeting-${world.lateMeetingId}`), 'Du har meldt afbud (sent)');

    await page.locator(`#meeting-${world.onTimeMeetingId}`).getByRole('link', { name: 'Meld afbud' }).click();
    t.match(await page.textContent('main'), 'Dit afbud er rettidigt');
    await accessible(t, page, 'afbud (on time)');
    await page.getByRole('button', { name: 'Ja, meld afbud' }).click();
    await page.getByText('Dit afbud er registreret.').waitFor();
    const meeting = page.locator(`#meeting-${world.onTimeMeetingId}`);
    t.match(await meeting.textContent(), 'Du har meldt afbud');
    await meeting.getByRole('button', { name: 'Jeg kommer alligevel' }).click();
    await page.getByText('Din tilmelding er gemt.').waitFor();
    t.match(await page.locator(`#meeting-${world.onTimeMeetingId}`).textContent(), 'Du kommer');
  });

  t.test('answer the evaluation', async (t) => {
    await page.getByRole('link', { name: 'Mine netværk' }).click();
    await page.getByRole('link', { name: /Svar nu/ }).click();
    await page.getByRole('heading', { name: 'Evaluering af mødet' }).waitFor();
    await accessible(t, page, 'evaluation');
    // Click the visible answer (the label); the end answers also carry their meaning for screen readers.
    const answer = async (question: string, value: string) =>
      page
        .getByRole('group', { name: question })
        .locator('label')
        .filter({ hasText: new RegExp(`^${value.replace('+', '\\+')}(\\s|$)`) })
        .click();
    await answer('Hvor meget fik du ud af mødet?', '4');
    await answer('Hvordan er din energi efter mødet?', '5');
    await answer('Passede mødet til vores fælles formål?', '4');
    await answer('Hvordan er tilliden og relationerne i gruppen?', '5');
    await answer('Gav eller fik du mest i dag?', '+1');
    await page.getByLabel('Din private kommentar (valgfri)').fill('Godt møde om forandringsledelse');
    await page.getByRole('button', { name: 'Gem mine svar' }).click();
    await page.getByText('Tak. Dine svar er gemt.').waitFor();
    t.ok(
      await page.getByRole('radio', { name: '4' }).first().isChecked(),
      'the answers are shown again to edit',
    );
    await accessible(t, page, 'evaluation saved');
  });

  t.test('read my own answers and signals; nothing of another member', async (t) => {
    await page.getByRole('link', { name: 'Mit' }).click();
    await page.getByRole('heading', { name: 'Mine svar' }).waitFor();
    const main = (await page.textContent('main')) ?? '';
    t.match(main, 'Godt møde om forandringsledelse', 'my own comment');
    t.match(main, 'My own note');
    t.match(main, 'Mine signaler');
    t.notMatch(main, SECRET_COMMENT, "no other member's comment");
    t.notMatch(main, world.otherEmail);
    await accessible(t, page, 'mine');
    await page
      .getByRole('group', { name: /Må facilitatoren se mine signaler/ })
      .getByLabel('Ja, del mine signaler')
      .check();
    await page.getByRole('button', { name: 'Gem valget' }).click();
    await page.getByText('Dit valg er gemt.').waitFor();
    t.ok(await page.getByLabel('Ja, del mine signaler').isChecked(), 'the consent is saved');

    await page.goto(`${base}/m/networks/${world.foreignNetworkId}`);
    t.match(await page.textContent('main'), 'Siden findes ikke', 'a network I am not in: not found');
    await accessible(t, page, 'not found');
  });

  t.test('network health', async (t) => {
    await page.goto(`${base}/m/networks/${world.networkId}`);
    await page.getByRole('link', { name: 'Netværkets sundhed' }).click();
    await page.getByRole('heading', { name: 'Netværkets sundhed' }).waitFor();
    t.match(await page.textContent('main'), 'Resultaterne vises, når mindst 3 medlemmer har svaret');
    t.equal(await page.locator('svg.chart').count(), 1, 'the trend chart');
    await accessible(t, page, 'health');
  });

  t.test('switch language, and sign out', async (t) => {
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Network health' }).waitFor();
    t.equal(await page.getAttribute('html', 'lang'), 'en');
    t.notMatch(page.url(), /lang=/, 'no language in the URL');
    await page.getByRole('link', { name: 'Mine' }).click();
    await page.getByRole('heading', { name: 'Who acted for me' }).waitFor();
    await accessible(t, page, 'mine (en)');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await page.goto(`${base}/m/me`);
    t.equal(new URL(page.url()).pathname, '/m/sign-in', 'signed out: private pages are closed');
  });

  t.test('no script ran and the CSP blocked nothing the pages need', async (t) => {
    // The one 404 is the not-found page this test opens on purpose.
    t.same(
      errors.filter((e) => !e.includes('status of 404')),
      [],
      'no console errors (a CSP violation would be one)',
    );
    t.ok(checked.length >= 12, `axe ran on ${checked.length} pages`);
  });
}
