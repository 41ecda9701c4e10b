/**
 * Ends the test output with one plain line, `N passed, N failed`, so a
 * reader (or CI log scraper) sees the count without parsing Vitest's table.
 */
import type { Reporter, TestModule } from 'vitest/node'

/** Vitest reporter printing the closing line. */
export default class ClosingLineReporter implements Reporter {
  private line = ''

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
    }
    this.line = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`
  }

  // Printed on exit, after Vitest's own summary, so it is the last line.
  onInit(): void {
    process.once('exit', () => {
      if (this.line) process.stdout.write(`\n${this.line}\n`)
    })
  }
}
