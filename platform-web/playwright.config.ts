import { defineConfig } from '@playwright/test';

// The end-to-end tests drive the machine's own Chromium (Debian's `chromium`): a test tool's own
// browser download is neither wanted nor possible in CI. platform-api's ConsoleEndToEndIT starts
// the real platform on real PostgreSQL and Redis and runs them with these variables set; by hand:
//   LATCHKEY_E2E_BASE_URL=http://127.0.0.1:8080 LATCHKEY_E2E_ADMIN_EMAIL=... LATCHKEY_E2E_ADMIN_PASSWORD=... npm run e2e
const output = process.env.LATCHKEY_E2E_OUTPUT ?? 'target/e2e';

export default defineConfig({
  testDir: 'e2e',
  outputDir: `${output}/test-results`,
  // One browser at a time: the tests share a 2-core machine with the platform they test.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['junit', { outputFile: `${output}/junit.xml` }]],
  use: {
    baseURL: process.env.LATCHKEY_E2E_BASE_URL ?? 'http://127.0.0.1:8080',
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.LATCHKEY_E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
