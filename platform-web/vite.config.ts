/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The API server's address during `npm run dev`; the console talks to /v1 on its own origin,
// so the dev server proxies it to keep the session cookie same-origin.
const apiTarget = process.env.LATCHKEY_API_URL ?? 'http://localhost:8080';

export default defineConfig({
  // Relative URLs let platform-api serve the console under any path, not only "/".
  base: './',
  build: {
    // Maven packages target/classes into the jar, so Spring Boot finds the console at classpath:/static/.
    outDir: 'target/classes/static',
    emptyOutDir: true,
    // Every browser the console supports has native modulepreload; skipping the polyfill keeps it CSP-clean.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  server: {
    proxy: {
      '/v1': { target: apiTarget, changeOrigin: false },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
