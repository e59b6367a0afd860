import { CONTENT_SECURITY_POLICY, ApiSession, LIVEKIT, addMember, checkAccessibility, expect, logInToTheAdminArea, mintLiveKitToken, platformAdmin, screenReady, screenshot, test, totp, uniqueEmail, visit } from './support';

test.describe.configure({ mode: 'serial' });

test('the strict content security policy is in force, so a violation would be seen', async ({ page, browserProblems }) => {
  const response = await page.goto('/login');
  expect(await response?.headerValue('content-security-policy')).toContain("style-src 'self'");
  await screenReady(page, 'Log in');
  // An inline style attribute, as a chart library might write one: the browser must refuse it.
  const refused = await page.evaluate(async () => {
    const seen = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
    const host = document.createElement('div');
    host.innerHTML = '<span style="color: red">styled</span>';
    document.body.append(host);
    const directive = await seen;
    host.remove();
    window.__cspViolations = [];
    return directive;
  });
  expect(refused).toMatch(/^style-src/);
  expect(browserProblems.join()).toContain('Content Security Policy');
  browserProblems.length = 0;
  expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
});

test('a new team signs up, stores a LiveKit key, mints with a copied API key, sees it billed and audited, and revokes the key', async ({ page, context, request, browser, playwright, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const email = uniqueEmail('owner');

  // Sign up.
  await page.goto('/signup');
  await screenReady(page, 'Create your account');
  await checkAccessibility(page, 'sign up');
  await screenshot(page, '01-signup');
  await page.getByLabel('Your name').fill('Olivia Owner');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill('a long and unique passphrase');
  await page.getByLabel('Organization name').fill('Acme Realtime');
  await page.getByRole('button', { name: 'Create account' }).click();
  await screenReady(page, 'Usage');
  const orgId = new URL(page.url()).pathname.split('/')[2] ?? '';
  expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
  await checkAccessibility(page, 'usage (empty)');

  // A real URL survives a reload (the platform answers it with the console).
  await page.reload();
  await screenReady(page, 'Usage');

  // Store a LiveKit credential from the provider's declared fields; a bad one is refused field by field.
  await page.getByRole('navigation', { name: /sections/ }).getByRole('link', { name: 'Credentials' }).click();
  await screenReady(page, 'Provider credentials');
  await page.getByLabel('Provider').selectOption({ label: 'LiveKit' });
  await page.getByRole('button', { name: 'Save LiveKit credential' }).click();
  await expect(page.getByRole('alert')).toContainText('Invalid input');
  await expect(page.getByLabel('API secret')).toHaveAttribute('aria-invalid', 'true');
  await checkAccessibility(page, 'credentials with errors');
  await page.getByLabel('Label').fill('production');
  await page.getByLabel('API secret').fill(LIVEKIT.apiSecret);
  await page.getByLabel('API key', { exact: true }).fill(LIVEKIT.apiKey);
  await page.getByLabel('Server URL').fill(LIVEKIT.url);
  await page.getByRole('button', { name: 'Save LiveKit credential' }).click();
  const credentials = page.getByRole('region', { name: 'Provider credentials' });
  await expect(credentials.getByRole('row', { name: /production/ })).toContainText(LIVEKIT.url);
  await expect(credentials).toContainText(`…${LIVEKIT.apiSecret.slice(-4)}`);
  await expect(page.locator('body')).not.toContainText(LIVEKIT.apiSecret);
  await checkAccessibility(page, 'credentials');
  await screenshot(page, '02-credentials');
  // Verify asks the provider (the tests' fake LiveKit); the answer is shown either way.
  await page.getByRole('button', { name: 'Verify production' }).click();
  await expect(page.getByText(/“production” (works|was refused)/).first()).toBeVisible();
  // Rotating the secret replaces it without ever showing the old or the new one.
  await page.getByRole('button', { name: 'Rotate secret of production' }).click();
  const rotate = page.getByRole('dialog', { name: 'Rotate the secret of “production”' });
  await checkAccessibility(page, 'rotate credential secret');
  await rotate.getByLabel('API secret').fill(`${LIVEKIT.apiSecret}-v2`);
  await rotate.getByRole('button', { name: 'Replace secret' }).click();
  await expect(page.getByText('The secret of “production” was replaced.').first()).toBeVisible();
  await expect(credentials).toContainText('…j-v2');
  await expect(page.locator('body')).not.toContainText(`${LIVEKIT.apiSecret}-v2`);

  // Create an API key, copy it from the shown-once panel, and read it back from the clipboard.
  await page.getByRole('link', { name: 'API keys' }).click();
  await screenReady(page, 'API keys');
  await page.getByLabel('Name', { exact: true }).fill('backend');
  await page.getByRole('checkbox', { name: /usage:read/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  const panel = page.getByRole('region', { name: 'API key “backend” created' });
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'Copy' }).click();
  await expect(panel.getByRole('status')).toHaveText('Copied to clipboard.');
  const apiKey = await page.evaluate(() => navigator.clipboard.readText());
  expect(apiKey).toMatch(/^platform_[0-9A-Za-z]{49}$/);
  await expect(panel.getByLabel('Secret of API key backend')).toHaveValue(apiKey);
  await checkAccessibility(page, 'api keys with the new key');
  await screenshot(page, '03-api-key-shown-once');
  await panel.getByRole('button', { name: 'I have stored the key' }).click();
  await expect(page.locator('body')).not.toContainText(apiKey);

  // The app's backend mints with it.
  const minted = await mintLiveKitToken(request, apiKey);
  expect(minted.status(), await minted.text()).toBe(200);

  // The mint is in the usage chart and the ledger.
  await page.getByRole('link', { name: 'Usage' }).click();
  await screenReady(page, 'Usage');
  await expect(page.getByText(/: 1 event,/)).toBeVisible();
  const byProvider = page.getByRole('figure', { name: 'Events by provider' });
  await expect(byProvider.locator('canvas')).toHaveCount(1);
  await byProvider.getByText('Show the figures').click();
  await expect(byProvider.getByRole('row', { name: 'livekit 1' })).toBeVisible();
  await checkAccessibility(page, 'usage');
  await screenshot(page, '04-usage');

  await page.getByRole('link', { name: 'Ledger' }).click();
  await screenReady(page, 'Usage ledger');
  await expect(page.getByRole('region', { name: 'Ledger entries' }).getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Ledger entries' })).toContainText('livekit');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await download;
  const csvText = (await (await csv.createReadStream()).toArray()).join('');
  expect(csvText).toContain('livekit');
  await checkAccessibility(page, 'ledger');
  await screenshot(page, '05-ledger');

  // The audit log shows what happened, and filters by action.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await screenReady(page, 'Audit log');
  const events = page.getByRole('region', { name: 'Audit events' });
  await expect(events).toContainText('credential.created');
  await expect(events).toContainText('api_key.created');
  await page.getByLabel('Action').fill('api_key.*');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(events).not.toContainText('credential.created');
  await expect(events).toContainText('api_key.created');
  await checkAccessibility(page, 'audit log');
  await screenshot(page, '06-audit');

  // Revoke the key, after a confirmation, and the API refuses it.
  await page.getByRole('link', { name: 'API keys' }).click();
  await screenReady(page, 'API keys');
  await page.getByRole('button', { name: 'Revoke backend' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke “backend”?' });
  await expect(dialog).toBeVisible();
  await checkAccessibility(page, 'revoke confirmation');
  await dialog.getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByRole('region', { name: 'API keys' }).getByRole('row', { name: /backend/ })).toContainText('Revoked');
  await expect.poll(async () => (await mintLiveKitToken(request, apiKey)).status(), { timeout: 5_000 }).toBe(401);

  // The other screens of the organization.
  await visit(page, `/orgs/${orgId}/policies`, 'Session policies', '07-policies');
  await page.getByLabel('Allowed client overrides').fill('can_publish\ncan_subscribe');
  await page.getByLabel('Maximum TTL (s)').fill('600');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('The OpenAI policy was saved.')).toBeVisible();
  await visit(page, `/orgs/${orgId}/invoice`, 'Invoice preview', '08-invoice');
  await expect(page.getByRole('region', { name: 'Invoice lines' })).toContainText('livekit');
  await visit(page, `/orgs/${orgId}/webhooks`, 'Webhooks', '09-webhooks');
  // The tests' platform lets webhooks point at loopback over http (support/application.yml).
  await page.getByLabel('URL').fill('http://127.0.0.1:9/latchkey-events');
  await page.getByLabel('Description (optional)').fill('billing alerts');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const signing = page.getByRole('region', { name: 'Webhook created: its signing secret' });
  await expect(signing.getByLabel(/Signing secret/)).toHaveValue(/^whsec_/);
  await signing.getByRole('button', { name: 'I have stored the secret' }).click();
  await page.getByRole('link', { name: 'http://127.0.0.1:9/latchkey-events' }).click();
  await screenReady(page, 'Delivery log');
  await expect(page.getByText('Nothing was sent to this endpoint yet.')).toBeVisible();
  await checkAccessibility(page, 'webhook deliveries');

  await visit(page, `/orgs/${orgId}/members`, 'Members', '10-members');
  // An invitation is a single-use link, shown once with a copy button; the row shows it as invited.
  const newcomer = await ApiSession.signUp(playwright, baseURL ?? '', 'Newcomer', 'Newcomer Own Org');
  await page.getByLabel('Email').fill(newcomer.email);
  await page.getByLabel('Role', { exact: true }).selectOption('developer');
  await page.getByRole('button', { name: 'Invite' }).click();
  const invitation = page.getByRole('region', { name: `Invitation link for ${newcomer.email}` });
  await invitation.getByRole('button', { name: 'Copy link' }).click();
  await expect(invitation.getByRole('status')).toHaveText('Copied to clipboard.');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(new RegExp(`^${baseURL ?? ''}/invitations/accept#token=invite_[0-9A-Za-z]{49}$`));
  await expect(invitation.getByLabel(`Invitation link for ${newcomer.email}`)).toHaveValue(link);
  const invited = page.getByRole('region', { name: 'Members' }).getByRole('row', { name: new RegExp(newcomer.email) });
  await expect(invited).toContainText('Invited');
  await checkAccessibility(page, 'members with an invitation');
  await screenshot(page, '10-members-invitation-link');
  await invitation.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('body')).not.toContainText(link);

  // The newcomer opens the link in a browser of their own, logs in, sees the offer and joins.
  const other = await browser.newContext();
  const invitee = await other.newPage();
  await invitee.goto(link);
  await screenReady(invitee, 'Log in');
  await expect(invitee.getByText('Log in, or create an account, to accept the invitation.')).toBeVisible();
  await invitee.getByLabel('Email').fill(newcomer.email);
  await invitee.getByLabel('Password').fill(newcomer.password);
  await invitee.getByRole('button', { name: 'Log in' }).click();
  await screenReady(invitee, 'Invitation');
  expect(new URL(invitee.url()).hash, 'the token leaves the address bar').toBe('');
  await expect(invitee.getByText(/You are invited to join Acme Realtime as Developer/)).toBeVisible();
  await checkAccessibility(invitee, 'invitation');
  await screenshot(invitee, '10-invitation-accept');
  await invitee.getByRole('button', { name: 'Join Acme Realtime' }).click();
  await screenReady(invitee, 'Usage');
  expect(invitee.url()).toContain(`/orgs/${orgId}/usage`);
  // The link worked once: opening it again says so.
  await invitee.goto(link);
  await screenReady(invitee, 'Invitation');
  await expect(invitee.getByRole('alert')).toContainText('Invitation no longer valid');
  await other.close();

  await page.reload();
  await screenReady(page, 'Members');
  await expect(invited).toContainText('Active');
  await expect(invited).toContainText('Developer');

  // Another invitation, cancelled: its link stops working.
  await page.getByLabel('Email').fill(uniqueEmail('never'));
  await page.getByRole('button', { name: 'Invite' }).click();
  const cancelled = page.getByRole('region', { name: 'Members' }).getByRole('row', { name: /never-/ });
  await expect(cancelled).toContainText('Invited');
  await cancelled.getByRole('button', { name: /Cancel invitation of/ }).click();
  await page.getByRole('dialog', { name: /Cancel the invitation/ }).getByRole('button', { name: 'Cancel invitation' }).click();
  await expect(cancelled).toHaveCount(0);
  await visit(page, `/orgs/${orgId}/origins`, 'Allowed origins', '11-origins');
  await page.getByLabel('Origins, one per line').fill('https://app.acme.example');
  await page.getByRole('button', { name: 'Save origins' }).click();
  await expect(page.getByText('1 origin(s) saved.')).toBeVisible();

  // Log out.
  await page.getByRole('button', { name: 'Log out' }).click();
  await screenReady(page, 'Log in');
  await expect(page.getByText('You have been logged out.')).toBeVisible();
});

test('a viewer sees no create buttons, and the API refuses them anyway', async ({ page, playwright, baseURL }) => {
  const owner = await ApiSession.signUp(playwright, baseURL ?? '', 'Owner', 'Viewed Org');
  const viewer = await ApiSession.signUp(playwright, baseURL ?? '', 'Viewer', 'Viewer Own Org');
  await addMember(owner.session, owner.orgId, viewer, 'viewer');

  await page.goto(`/orgs/${owner.orgId}/api-keys`);
  await screenReady(page, 'Log in');
  await page.getByLabel('Email').fill(viewer.email);
  await page.getByLabel('Password').fill(viewer.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  // Back to the page asked for before the login.
  await screenReady(page, 'API keys');
  await expect(page.getByRole('heading', { name: 'Create an API key' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Create key|Revoke|Rotate/ })).toHaveCount(0);
  await checkAccessibility(page, 'api keys as a viewer');
  await screenshot(page, '12-viewer-api-keys');

  await page.getByRole('link', { name: 'Credentials' }).click();
  await screenReady(page, 'Provider credentials');
  await expect(page.getByRole('heading', { name: 'Add a credential' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Members' }).click();
  await screenReady(page, 'Members');
  await expect(page.getByRole('heading', { name: 'Invite a member' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);

  // The session ends on the server (here: signed out behind the console's back): the next
  // screen sends the viewer to the login, saying why.
  await page.evaluate(async () => {
    const csrf = (await (await fetch('/v1/auth/csrf')).json()) as { token: string; header_name: string };
    await fetch('/v1/auth/logout', { method: 'POST', headers: { [csrf.header_name]: csrf.token } });
  });
  await page.getByRole('link', { name: 'Ledger' }).click();
  await screenReady(page, 'Log in');
  await expect(page.getByText('Your session has ended. Please log in again.')).toBeVisible();

  const refusedKey = await viewer.session.post(`/v1/orgs/${owner.orgId}/api-keys`, { name: 'sneaky', scopes: ['tokens:mint'] });
  expect(refusedKey.status()).toBe(403);
  const refusedCredential = await viewer.session.post(`/v1/orgs/${owner.orgId}/credentials`, {
    provider: 'livekit',
    label: 'sneaky',
    secret: { api_secret: LIVEKIT.apiSecret },
    config: { api_key: LIVEKIT.apiKey, url: LIVEKIT.url },
  });
  expect(refusedCredential.status()).toBe(403);
});

test('a platform admin finds an organization, suspends it, and sees its usage and audit log', async ({ page, playwright, baseURL, request }) => {
  const admin = platformAdmin();

  // A tenant with one billable event.
  const orgName = `Suspect Org ${Date.now()}`;
  const tenant = await ApiSession.signUp(playwright, baseURL ?? '', 'Tenant', orgName);
  expect((await tenant.session.post(`/v1/orgs/${tenant.orgId}/credentials`, {
    provider: 'livekit', label: 'live', secret: { api_secret: LIVEKIT.apiSecret }, config: { api_key: LIVEKIT.apiKey, url: LIVEKIT.url },
  })).status()).toBe(201);
  const key = (await (await tenant.session.post(`/v1/orgs/${tenant.orgId}/api-keys`, { name: 'app', scopes: ['tokens:mint'] })).json()) as { key: string };
  expect((await mintLiveKitToken(request, key.key)).status()).toBe(200);

  await logInToTheAdminArea(page, admin);

  await page.getByLabel("Name, slug, id or a member's email").fill(orgName);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const orgs = page.getByRole('region', { name: 'Organizations', exact: true });
  await expect(orgs.getByRole('row')).toHaveCount(2);
  await expect(orgs).toContainText(orgName);
  await checkAccessibility(page, 'admin organizations');

  await page.getByRole('button', { name: `Suspend ${orgName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Suspend ${orgName}?` });
  await dialog.getByLabel('Reason (optional)').fill('unpaid invoices');
  await checkAccessibility(page, 'suspend dialog');
  await dialog.getByRole('button', { name: 'Suspend organization' }).click();
  await expect(orgs.getByRole('row', { name: new RegExp(orgName) })).toContainText('Suspended');
  await expect(orgs).toContainText('unpaid invoices');
  // An organization's five buttons wrap inside the card instead of scrolling out of it.
  expect(await orgs.evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth), 'the organizations table fits its card').toBeLessThanOrEqual(0);
  await screenshot(page, '13-admin-organizations');
  await expect.poll(async () => (await mintLiveKitToken(request, key.key)).status(), { timeout: 5_000 }).toBe(403);

  // Its quota can be overridden.
  await page.getByRole('button', { name: `Quota of ${orgName}` }).click();
  const quota = page.getByRole('dialog', { name: `Quota of ${orgName}` });
  await quota.getByLabel('Monthly allowance (events)').fill('5000');
  await quota.getByRole('button', { name: 'Save quota' }).click();
  await expect(quota.getByRole('status')).toContainText('of 5,000 billable events');
  await checkAccessibility(page, 'quota dialog');
  await quota.getByRole('button', { name: 'Close' }).click();

  // Its usage, among every organization's.
  await page.getByRole('button', { name: `Usage of ${orgName}` }).or(page.getByRole('link', { name: `Usage of ${orgName}` })).click();
  await screenReady(page, 'Platform usage');
  await expect(page.getByRole('region', { name: 'Usage by organization' }).getByRole('row', { name: new RegExp(tenant.orgId) })).toContainText('1');
  await checkAccessibility(page, 'admin usage');
  await screenshot(page, '14-admin-usage');

  // Its audit log, and the chain verified.
  await page.goto('/admin/orgs');
  await page.getByLabel("Name, slug, id or a member's email").fill(orgName);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('link', { name: `Audit log of ${orgName}` }).click();
  await screenReady(page, 'Audit log, every organization');
  const events = page.getByRole('region', { name: 'Audit events' });
  await expect(events).toContainText('organization.suspended');
  await expect(events).toContainText('api_key.created');
  await page.getByRole('button', { name: 'Verify the chain' }).click();
  await expect(page.getByText(/The chain is intact/)).toBeVisible();
  await checkAccessibility(page, 'admin audit');
  await screenshot(page, '15-admin-audit');

  await visit(page, '/admin/keys', 'Master key', '16-admin-master-key');
  await page.getByRole('button', { name: 'Rotate master key' }).click();
  await page.getByRole('dialog', { name: 'Rotate the master key?' }).getByRole('button', { name: 'Rotate now' }).click();
  await expect(page.getByText(/data keys re-wrapped/)).toBeVisible();
});

test('a user turns on two-factor authentication from its QR code, logs in with a code, and ends another session', async ({ page, playwright, baseURL }) => {
  const user = await ApiSession.signUp(playwright, baseURL ?? '', 'Secure', 'Secure Org');
  const laptop = await ApiSession.logIn(playwright, baseURL ?? '', user.email, user.password);
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await screenReady(page, 'Usage');
  await expect(page.getByRole('region', { name: 'Account verification' })).toContainText('Verify your email');

  await page.getByRole('link', { name: 'Account' }).click();
  await screenReady(page, 'Your account');
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  const qr = page.getByRole('img', { name: 'QR code of your two-factor secret' });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 100)).toBe(true);
  const secret = (await page.getByLabel('Two-factor secret key').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await checkAccessibility(page, 'two-factor enrolment');
  await screenshot(page, '17-mfa-enrolment');
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const codes = page.getByRole('list', { name: 'Recovery codes' });
  await expect(codes.getByRole('listitem')).toHaveCount(10);
  await screenshot(page, '18-recovery-codes');
  await page.getByRole('button', { name: 'I have stored the codes' }).click();
  await expect(page.getByText(/10 recovery codes left/)).toBeVisible();

  // The signup's and the laptop's sessions are listed beside this one; one is ended, then the other.
  const sessions = page.getByRole('region', { name: 'Active sessions' });
  await expect(sessions.getByRole('row')).toHaveCount(4);
  await expect(sessions).toContainText('(this browser)');
  await sessions.getByRole('button', { name: /End session on/ }).first().click();
  await expect(sessions.getByRole('row')).toHaveCount(3);
  await page.getByRole('button', { name: 'Sign out other sessions' }).click();
  await page.getByRole('dialog', { name: 'Sign out every other browser?' }).getByRole('button', { name: 'Sign them out' }).click();
  await expect(sessions.getByRole('row')).toHaveCount(2);
  expect((await laptop.request.get('/v1/me')).status()).toBe(401);
  expect((await user.session.request.get('/v1/me')).status()).toBe(401);
  await checkAccessibility(page, 'account');

  // Logging in again asks for the code, computed here from the secret.
  await page.getByRole('button', { name: 'Log out' }).click();
  await screenReady(page, 'Log in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await screenReady(page, 'Two-factor authentication');
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('Invalid two-factor code');
  await page.getByLabel('Code').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await screenReady(page, 'Usage');
});

test('a forgotten password is reset from the login page', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await screenReady(page, 'Reset your password');
  await page.getByLabel('Email').fill(uniqueEmail('nobody'));
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account has this email');
  await checkAccessibility(page, 'password reset request');
  await page.goto('/reset-password#token=reset_not-a-real-one');
  await screenReady(page, 'Choose a new password');
  expect(new URL(page.url()).hash).toBe('');
  await page.getByLabel('New password').fill('a long new passphrase');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('alert')).toContainText('No such link');
});

test('a platform admin stores a managed credential and switches it on for an organization, whose managed spend then shows', async ({ page, playwright, baseURL, request }) => {
  const admin = platformAdmin();

  // A tenant without a credential of its own: its key cannot mint yet.
  const orgName = `Managed Org ${Date.now()}`;
  const tenant = await ApiSession.signUp(playwright, baseURL ?? '', 'Managed', orgName);
  const key = (await (await tenant.session.post(`/v1/orgs/${tenant.orgId}/api-keys`, { name: 'app', scopes: ['tokens:mint'] })).json()) as { key: string };
  expect((await mintLiveKitToken(request, key.key)).status()).toBe(409);

  await logInToTheAdminArea(page, admin);
  await page.getByRole('navigation', { name: 'Platform administration' }).getByRole('link', { name: 'Managed credentials' }).click();
  await screenReady(page, 'Managed credentials');
  await checkAccessibility(page, 'admin managed credentials');

  // Store the platform's LiveKit credential, capped, and make it the one managed requests use.
  const label = `platform-livekit-${Date.now()}`;
  const secret = 'platform-e2e-livekit-secret-0123456789abcdefgh';
  await page.getByLabel('Provider').selectOption({ label: 'LiveKit' });
  await page.getByLabel('Label').fill(label);
  await page.getByLabel('API secret').fill(secret);
  await page.getByLabel('API key', { exact: true }).fill('APIplatformE2E');
  await page.getByLabel('Server URL').fill('wss://platform-e2e.livekit.cloud');
  await page.getByLabel('Cap: requests per minute (optional)').fill('1000');
  await page.getByRole('button', { name: 'Save managed LiveKit credential' }).click();
  const row = page.getByRole('region', { name: 'Managed credentials' }).getByRole('row', { name: new RegExp(label) });
  await expect(row).toContainText(`…${secret.slice(-4)}`);
  await expect(row).toContainText('1,000 / min');
  await expect(page.locator('body')).not.toContainText(secret);
  const makeDefault = row.getByRole('button', { name: `Make default: ${label}` });
  if (await makeDefault.count()) await makeDefault.click();
  await expect(row).toContainText('Default');
  await checkAccessibility(page, 'admin managed credentials with one');
  await screenshot(page, '21-admin-managed-credentials');

  // Switch managed LiveKit on for the tenant.
  await page.getByRole('link', { name: 'Organizations' }).click();
  await screenReady(page, 'Organizations');
  await page.getByLabel("Name, slug, id or a member's email").fill(orgName);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Managed access of ${orgName}` }).click();
  const access = page.getByRole('dialog', { name: `Managed access of ${orgName}` });
  await access.getByRole('checkbox', { name: 'LiveKit' }).check();
  await checkAccessibility(page, 'managed access dialog');
  await access.getByRole('button', { name: 'Save managed access' }).click();
  await expect(access.getByRole('status')).toContainText('Managed providers: livekit');
  await access.getByRole('button', { name: 'Close' }).click();
  await expect.poll(async () => (await mintLiveKitToken(request, key.key)).status(), { timeout: 5_000 }).toBe(200);

  // The tenant sees its managed spend apart from its own keys', and nothing of the credential.
  await page.getByRole('button', { name: 'Log out' }).click();
  await screenReady(page, 'Log in');
  await page.goto(`/orgs/${tenant.orgId}/usage`);
  await page.getByLabel('Email').fill(tenant.email);
  await page.getByLabel('Password').fill(tenant.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await screenReady(page, 'Usage');
  const spend = page.getByRole('region', { name: 'Spend by credential source' });
  await expect(spend.getByRole('row', { name: /USD/ })).toBeVisible();
  await expect(page.getByText('Managed by Latchkey: livekit.', { exact: false })).toBeVisible();
  await expect(page.locator('body')).not.toContainText(label);
  await checkAccessibility(page, 'usage with managed spend');
  await screenshot(page, '22-usage-managed-spend');
  await visit(page, `/orgs/${tenant.orgId}/invoice`, 'Invoice preview', '23-invoice-managed');
  await expect(page.getByRole('region', { name: 'Charges by credential source' })).toContainText('Managed (USD)');
  await expect(page.getByRole('region', { name: 'Invoice lines' })).toContainText('Managed');
  await visit(page, `/orgs/${tenant.orgId}/ledger`, 'Usage ledger', '24-ledger-managed');
  await page.getByLabel('Credential source').selectOption('managed');
  await expect(page.getByRole('region', { name: 'Ledger entries' }).getByRole('row')).toHaveCount(2);
  await page.getByLabel('Credential source').selectOption('own');
  await expect(page.getByText('No billable events in this period.')).toBeVisible();
});

test("the platform admin's screens work at 375 pixels wide", async ({ page }) => {
  const admin = platformAdmin();
  await page.setViewportSize({ width: 375, height: 800 });
  await logInToTheAdminArea(page, admin);

  const screens: [string, string][] = [
    ['orgs', 'Organizations'],
    ['usage', 'Platform usage'],
    ['credentials', 'Managed credentials'],
    ['audit', 'Audit log, every organization'],
    ['keys', 'Master key'],
  ];
  for (const [path, heading] of screens) {
    await visit(page, `/admin/${path}`, heading, `mobile-admin-${path}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `admin ${path} fits 375 px`).toBeLessThanOrEqual(375);
  }
});

test('every screen works at 375 pixels wide', async ({ page, playwright, baseURL }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const owner = await ApiSession.signUp(playwright, baseURL ?? '', 'Mobile', 'Pocket Org');
  await page.goto('/login');
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await screenReady(page, 'Usage');

  // A second organization, from the top bar's dialog; the switcher then goes back to the first.
  await page.getByRole('button', { name: 'New organization' }).click();
  const create = page.getByRole('dialog', { name: 'Create an organization' });
  await create.getByLabel('Name').fill('Second Pocket');
  await checkAccessibility(page, 'create organization dialog');
  await create.getByRole('button', { name: 'Create organization' }).click();
  await expect(create).toBeHidden();
  const switcher = page.getByLabel('Organization', { exact: true });
  await expect(switcher.locator('option:checked')).toHaveText('Second Pocket (Owner)');
  await screenReady(page, 'Usage');
  expect(page.url()).not.toContain(owner.orgId);
  await switcher.selectOption({ label: 'Pocket Org (Owner)' });
  await expect(page).toHaveURL(new RegExp(`/orgs/${owner.orgId}/usage$`));

  const screens: [string, string][] = [
    ['usage', 'Usage'],
    ['credentials', 'Provider credentials'],
    ['api-keys', 'API keys'],
    ['policies', 'Session policies'],
    ['ledger', 'Usage ledger'],
    ['invoice', 'Invoice preview'],
    ['webhooks', 'Webhooks'],
    ['audit', 'Audit log'],
    ['members', 'Members'],
    ['origins', 'Allowed origins'],
  ];
  for (const [path, heading] of screens) {
    await visit(page, `/orgs/${owner.orgId}/${path}`, heading, `mobile-${path}`);
    // Wide tables scroll inside their own region; the page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} fits 375 px`).toBeLessThanOrEqual(375);
  }
});
