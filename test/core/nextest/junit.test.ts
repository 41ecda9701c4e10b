/**
 * Reading nextest's JUnit into attempts per test, on a real report
 * (test/samples/nextest/README.md): retries, flaky passes, timeouts and
 * crashes by signal, and turning an attempt into the test's record.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LocationResolver } from '../../../src/core/libtest/panic.js'
import { readNextestJunit, type NextestCase } from '../../../src/core/nextest/junit.js'
import { nextestTestResult } from '../../../src/core/nextest/test-results.js'

const report = readNextestJunit(
  readFileSync(new URL('../../samples/nextest/junit-retries.xml', import.meta.url), 'utf8')
)
const byName = (name: string): NextestCase => {
  const found = report.cases.find(c => c.name === name)
  if (found === undefined) throw new Error(`no case ${name}`)
  return found
}
const resolver = new LocationResolver(
  '/tmp/nextest-lab/crate',
  '/tmp/nextest-lab/crate',
  () => true
)

describe('nextest JUnit', () => {
  it('reads the run id and every test with its binary id', () => {
    expect(report.runId).toMatch(/^[0-9a-f-]{36}$/)
    expect(byName('basic_pass_one').binaryId).toBe('labcrate::basic')
    expect(byName('chaos_flaky').binaryId).toBe('labcrate::chaos')
    expect(report.cases).toHaveLength(6)
  })

  it('a test that failed on every attempt: the first <failure>, then each <rerunFailure>', () => {
    const c = byName('basic_fail_assert')
    expect(c.attempts.map(a => [a.outcome, a.exitCode])).toEqual([
      ['failed', 101],
      ['failed', 101],
      ['failed', 101]
    ])
    expect(c.attempts[0]!.stdout).toContain('test basic_fail_assert ... FAILED')
  })

  it('a flaky test: its failed attempts, then the pass', () => {
    expect(byName('chaos_flaky').attempts.map(a => a.outcome)).toEqual(['failed', 'passed'])
  })

  it('a crash names its signal; a timeout is a timeout', () => {
    expect(byName('crash_segfault').attempts.map(a => [a.outcome, a.signal])).toEqual([
      ['crashed', 'SIGSEGV'],
      ['crashed', 'SIGSEGV'],
      ['crashed', 'SIGSEGV']
    ])
    expect(byName('hang_forever').attempts.every(a => a.outcome === 'timed-out')).toBe(true)
  })

  it('an attempt becomes the test record with the whole panic message at its location', () => {
    const c = byName('basic_fail_assert')
    const result = nextestTestResult('basic', c.name, c.attempts[0]!, resolver)
    expect(result).toMatchObject({
      target: 'basic',
      name: 'basic_fail_assert',
      outcome: 'failed',
      location: { file: 'tests/basic.rs', line: 13, column: 5 }
    })
    expect(result.message).toContain('assertion `left == right` failed: multi-line message:')
    expect(result.message).toContain('line two of message')
  })

  it('a crash without a panic says the signal', () => {
    const c = byName('crash_segfault')
    const result = nextestTestResult('crash', c.name, c.attempts[0]!, resolver)
    expect(result.outcome).toBe('crashed')
    expect(result.message).toBe(
      'the test process was killed by signal SIGSEGV (process aborted with signal 11 (SIGSEGV))'
    )
  })

  it('a report with no test (an empty selection) reads as no case', () => {
    const empty = readNextestJunit(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="nextest-run" tests="0" failures="0" errors="0" uuid="u" time="0"></testsuites>'
    )
    expect(empty.cases).toEqual([])
  })
})
