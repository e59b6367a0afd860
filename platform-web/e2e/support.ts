import { expect, test as base, type APIRequestContext, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The policy the platform will send for the console, enforced here on every document the browser loads. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = join(process.env.LATCHKEY_E2E_OUTPUT ?? 'target/e2e', 'screenshots');

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

/**
 * A page whose documents carry the strict CSP (added to each HTML response on its way in), that
 * records every violation and console error, and fails the test that caused one.
 */
export const test = base.extend<{ page: Page; browserProblems: string[] }>({
  // eslint-disable-next-line no-empty-pattern
  browserProblems: async ({}, use) => {
    await use([]);
  },
  page: async ({ page, browserProblems: problems }, use) => {
    await page.route('**/*', async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CONTENT_SECURITY_POLICY } });
    });
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.__cspViolations?.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
      });
    });
    page.on('console', (message) => {
      // A failed request is the app's business (it shows the problem); anything else is a defect.
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await use(page);
    const violations = await page.evaluate(() => window.__cspViolations ?? []).catch(() => [] as string[]);
    expect([...violations, ...problems], 'CSP violations and console errors').toEqual([]);
  },
});

export { expect };

/** Runs axe-core on the page as it is now; serious and critical violations fail the test. */
export async function checkAccessibility(page: Page, screen: string) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
  expect(violations, `axe-core on ${screen}`).toEqual([]);
}

/** Saves a full-page screenshot under target/ for people to look at; not compared with anything. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A screen is ready when its heading is there and nothing on it is loading any more. */
export async function screenReady(page: Page, heading: string | RegExp) {
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expect(page.locator('[role="status"]', { hasText: /^Loading/ })).toHaveCount(0);
}

/** The bootstrapped platform admin (ConsoleEndToEndIT names it); the test is skipped without one. */
export function platformAdmin(): { email: string; password: string } {
  const email = process.env.LATCHKEY_E2E_ADMIN_EMAIL;
  const password = process.env.LATCHKEY_E2E_ADMIN_PASSWORD;
  test.skip(!email || !password, 'LATCHKEY_E2E_ADMIN_EMAIL and _PASSWORD name the bootstrapped platform admin');
  return { email: email ?? '', password: password ?? '' };
}

/** Logs in on the login page and opens the platform admin's area (its organizations). */
export async function logInToTheAdminArea(page: Page, admin: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Platform admin' }).click();
  await screenReady(page, 'Organizations');
}

/** Visits a screen: ready, accessible, and photographed. */
export async function visit(page: Page, path: string, heading: string | RegExp, name: string) {
  await page.goto(path);
  await screenReady(page, heading);
  await checkAccessibility(page, name);
  await screenshot(page, name);
}

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** A cookie session of the API, as a browser has it: for set-up and for checking what the API refuses. */
export class ApiSession {
  private constructor(readonly request: APIRequestContext) {}

  static async signUp(playwright: { request: { newContext(options: object): Promise<APIRequestContext> } }, baseURL: string, name: string, orgName: string) {
    const session = new ApiSession(await playwright.request.newContext({ baseURL }));
    const email = uniqueEmail(name.toLowerCase());
    const password = `correct horse battery ${Math.random()}`;
    const created = await session.post('/v1/auth/signup', { email, password, name, organization_name: orgName });
    expect(created.status(), await created.text()).toBe(201);
    const body = (await created.json()) as { organization: { id: string } };
    return { session, email, password, orgId: body.organization.id };
  }

  static async logIn(playwright: { request: { newContext(options: object): Promise<APIRequestContext> } }, baseURL: string, email: string, password: string) {
    const session = new ApiSession(await playwright.request.newContext({ baseURL }));
    const login = await session.post('/v1/auth/login', { email, password });
    expect(login.status(), await login.text()).toBe(200);
    return session;
  }

  async csrf(): Promise<string> {
    const response = await this.request.get('/v1/auth/csrf');
    return ((await response.json()) as { token: string }).token;
  }

  async post(path: string, data: unknown) {
    return this.request.post(path, { data, headers: { 'X-XSRF-TOKEN': await this.csrf() } });
  }
}

/** Mints a LiveKit token the way an app's backend would: over HTTP with the platform key. */
export async function mintLiveKitToken(request: APIRequestContext, apiKey: string) {
  return request.post('/v1/tokens', {
    headers: { Authorization: `Bearer ${apiKey}` },
    data: { provider: 'livekit', room: 'e2e-lobby', identity: 'e2e-user' },
  });
}

export const LIVEKIT = { apiKey: 'APIe2eConsole', apiSecret: 'livekit-e2e-secret-0123456789abcdefghij', url: 'wss://acme.livekit.cloud' };

/**
 * Makes an existing account a member of the owner's organization, the one way anyone joins: the
 * owner invites their email (the answer carries the single-use token, shown once), and the member,
 * signed in as themselves, accepts it with POST /v1/invitations/accept.
 */
export async function addMember(owner: ApiSession, orgId: string, member: { session: ApiSession; email: string }, role: string) {
  const invited = await owner.post(`/v1/orgs/${orgId}/members`, { email: member.email, role });
  expect(invited.status(), await invited.text()).toBe(201);
  const { token } = (await invited.json()) as { token: string };
  const accepted = await member.session.post('/v1/invitations/accept', { token });
  expect(accepted.status(), await accepted.text()).toBe(200);
}

/** The code an authenticator app shows for a base32 secret now (RFC 6238: HMAC-SHA1, 30 s, 6 digits). */
export function totp(base32Secret: string, stepOffset = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of base32Secret) {
    buffer = (buffer << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + stepOffset));
  const hash = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const offset = (hash[19] ?? 0) & 0xf;
  const value = (((hash[offset] ?? 0) & 0x7f) << 24) | ((hash[offset + 1] ?? 0) << 16) | ((hash[offset + 2] ?? 0) << 8) | (hash[offset + 3] ?? 0);
  return String(value % 1_000_000).padStart(6, '0');
}
