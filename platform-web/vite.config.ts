/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API server's address during `npm run dev`; the console talks to /v1 on its own origin,
// so the dev server proxies it to keep the session cookie same-origin.
const apiTarget = process.env.LATCHKEY_API_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  // Absolute asset URLs: the console's routes are real paths (/orgs/{id}/api-keys), so a relative
  // ./assets/... would resolve under them.
  base: '/',
  build: {
    // Maven packages target/classes into the jar, so Spring Boot finds the console at classpath:/static/.
    outDir: 'target/classes/static',
    emptyOutDir: true,
    // Every browser the console supports has native modulepreload; skipping the polyfill keeps it CSP-clean.
    modulePreload: { polyfill: false },
    target: 'es2022',
    // Keep assets as files: a data: URL for a script or a style would be refused by the CSP.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/v1': { target: apiTarget, changeOrigin: false },
    },
  },
  // `npm run preview`: the built console, same proxy.
  preview: {
    proxy: {
      '/v1': { target: apiTarget, changeOrigin: false },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
