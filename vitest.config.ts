import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/core/**/*.test.ts', 'test/main/**/*.test.ts', 'test/host/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000
        }
      },
      {
        // Fuzz, crash and malformed-file tests (PUENTE_FUZZ for a longer fuzz run).
        test: {
          name: 'fuzz',
          include: ['test/fuzz/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 120_000
        }
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 180_000
        }
      }
    ]
  }
})
