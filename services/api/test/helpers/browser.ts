/**
 * For the member pages' tests: a real SMTP server in the process (smtp-server; each mail parsed
 * as a mail client would, with mailparser), a headless Chromium driven by playwright-core, and
 * axe-core run inside a page.
 */
import { existsSync } from 'node:fs';
import axe from 'axe-core';
import type { ParsedMail } from 'mailparser';
import { type Browser, chromium, type Page } from 'playwright-core';
import { api } from './api.js';
import type { Auth, TestApp } from './build.js';
import { moveTo, seedNetwork } from './network-fixtures.js';

export { startSmtp } from './smtp.js';

/** The sign-in link's path in a mail (`/m/sign-in/<token>`). */
export function signInPathIn(mail: ParsedMail): string {
  const match = /https?:\/\/[^\s/]+(\/m\/sign-in\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (!match) throw new Error(`no sign-in link in the mail: ${mail.text}`);
  return match[1]!;
}

/** The Chromium binary to drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium; undefined if none. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
}

/**
 * Headless Chromium with the flags that keep it off the network (this machine refuses outside
 * hosts). Playwright gives every launch a fresh, temporary profile (user-data-dir).
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string }[];
}

/**
 * axe-core's violations of the current page. axe runs through the DevTools protocol (not as a
 * page script), so the page's CSP, which forbids every script, stays as it is.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  // A string, so the page's globals (window.axe, document) need no DOM types here.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })) })))`)) as AxeViolation[];
  return violations;
}

/** Violations axe rates serious or critical. */
export const seriousOnes = (violations: readonly AxeViolation[]) =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

// ---------------------------------------------------------------------------------------------
// The world the member pages' tests (inject and browser) and the screenshots run in
// ---------------------------------------------------------------------------------------------

/** A REST call that must succeed; returns the JSON body. */
async function call(app: TestApp, auth: Auth, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  const res = await api(app, auth).send(method, url, payload);
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.body ? res.json() : undefined;
}

export const SECRET_COMMENT = 'SECRET comment of another member';

export interface MemberWorld {
  tenantId: string;
  auth: Auth;
  networkId: string;
  /** Member 0 signs in; member 1 is "another member" whose data must never show. */
  leaderIds: string[];
  email: string;
  otherEmail: string;
  /** Held meetings oldest first; the last one's evaluation window is open and member 0 has not answered it. */
  heldMeetingIds: string[];
  /** Planned: one in 20 days (an afbud on time), one in 10 hours (late under the 48-hour notice). */
  onTimeMeetingId: string;
  lateMeetingId: string;
  /** A network of the same tenant member 0 is not in. */
  foreignNetworkId: string;
}

/**
 * A network part-way through its life, seen by member 0: three held meetings (the first two
 * answered by everyone, the last one open and not yet answered by member 0, whose answers carry a
 * signal about them), a new charter version with a 48-hour notice waiting for acceptance, two
 * planned meetings (one late to cancel, one on time), and a network member 0 is not in.
 */
export async function buildMemberWorld(
  app: TestApp,
  tenantId: string,
  auth: Auth,
  k = 3,
): Promise<MemberWorld> {
  const seeded = await seedNetwork(app, tenantId, auth, {
    members: 6,
    minResponses: k,
    held: 3,
    lastHeldDaysAgo: 2,
    planned: true,
    // The last meeting's window is still open (it closes 14 days after it was held).
    windowsOpen: true,
    answers: (i, j) => {
      // Member 5 leaves the last meeting unanswered, so member 0's answer does not close its round.
      if (j === 5 && i === 2) return null;
      if (j === 0)
        return i < 2
          ? { benefit: 1, energy: 2, purposeFit: 3, relations: 3, giveGet: -2, comment: 'My own note' }
          : null;
      return {
        benefit: 4,
        energy: 4,
        purposeFit: 4 - (i % 2),
        relations: 5,
        giveGet: 0,
        comment: j === 1 ? SECRET_COMMENT : null,
      };
    },
  });
  const networkId = seeded.networkId;
  await call(app, auth, 'POST', `/v1/networks/${networkId}/charter-versions`, {
    purpose: 'Sparring on our own leadership dilemmas, in confidence',
    goals: [
      { category: 'dilemma_sparring', description: 'Bring one real dilemma each meeting' },
      { category: 'people_leadership', description: 'Grow as leaders of people' },
    ],
    groundRules: [{ kind: 'confidentiality' }, { kind: 'cancellation_notice', hours: 48 }],
  });
  // A second planned meeting (the model's next), moved to 10 hours from now: an afbud is late.
  const generated = (
    await call(app, auth, 'POST', `/v1/networks/${networkId}/meetings/generate`, { count: 1 })
  ).data as { id: string }[];
  const late = generated.at(-1)!;
  await moveTo(app, auth, late, new Date(Date.now() + 10 * 3_600_000));
  const leader = async (id: string) => (await call(app, auth, 'GET', `/v1/leaders/${id}`)).email as string;
  const foreign = await seedNetwork(app, tenantId, auth, { members: 3, held: 1, minResponses: 3 });
  return {
    tenantId,
    auth,
    networkId,
    leaderIds: seeded.leaderIds,
    email: await leader(seeded.leaderIds[0]!),
    otherEmail: await leader(seeded.leaderIds[1]!),
    heldMeetingIds: seeded.meetingIds.slice(0, 3),
    onTimeMeetingId: seeded.plannedMeetingId!,
    lateMeetingId: late.id,
    foreignNetworkId: foreign.networkId,
  };
}
