import { defineConfig } from 'vitest/config';

/**
 * The desktop smoke test through Playwright's _electron (test/e2e-electron). It needs the
 * Electron binary and a display; without them the suite says so and is skipped (exit 0).
 * Run after `npm run build` (npm test does that).
 */
export default defineConfig({
  test: {
    include: ['test/e2e-electron/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    // building better-sqlite3 for Electron on first run may compile from source
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
