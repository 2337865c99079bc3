import { defineConfig } from 'vitest/config';

// Unit tests live in test/, property suites in properties/ (bounded runs in the default test command).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
