import { defineConfig } from 'vitest/config';

// Test set of the mutation campaign (`npm run mutation`, see docs/mutation.md): the property campaigns of
// properties/ and the unit tests of the executable EMR model. Not used by `npm test`.
export default defineConfig({
  test: {
    include: [
      'properties/correctness.test.ts',
      'properties/mutants.test.ts',
      'properties/attacks.test.ts',
      'test/model-honest.test.ts',
      'test/model-rejections.test.ts',
      'test/model-failures.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
