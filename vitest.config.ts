import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/harness/closing-line-reporter.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Integration tests drive real cargo on a 2-core machine and measure timeouts:
    // running files one at a time keeps their timing honest.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 900_000
  }
})
