import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every answer a test server gives is checked against its route's response schema (src/adapters/http/responseCheck.ts).
    env: { TICKVAULT_CHECK_RESPONSES: '1' },
    reporters: ['default'],
  },
});
