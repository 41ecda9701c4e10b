import { describe, expect, it } from 'vitest'
import { renderConsoleReport } from '../../../../src/core/layers/render/console-report.js'
import {
  allPass,
  attempt,
  buildFailure,
  fastFailure,
  flakyChaos,
  hostile,
  layer,
  run,
  selectionProblem,
  stressTimeout,
  test,
  testCase
} from './fixtures.js'

function lastLines(text: string, count: number): string[] {
  return text.trimEnd().split('\n').slice(-count)
}

describe('console report', () => {
  it('ends a green run with `result: PASS`, as prod_test.sh users look for', () => {
    const report = renderConsoleReport(allPass())
    expect(report.startsWith('cargo test (mode all): PASS in 3.0s\n')).toBe(true)
    expect(report).toContain(
      '  ok      fast                         attempt 1/1  1.0s  2 passed, 0 failed, 1 ignored'
    )
    expect(report.endsWith('\nresult: PASS\n')).toBe(true)
  })

  it('names a failing fast test with file:line and the first line of its panic', () => {
    const report = renderConsoleReport(fastFailure())
    expect(report).toContain('  FAILED  fast  attempt 1/1  1.0s  1 passed, 1 failed, 0 ignored')
    expect(report).toContain('    attempt 1/1: exit code 101, log: target/mace-test/a1.log')
    expect(report).toContain(
      '      FAILED put_then_get (basic) at tests/basic.rs:12:5: assertion `left == right` failed\n'
    )
    expect(lastLines(report, 2)).toEqual(['failures:', '  - fast'])
  })

  it('reports a hanging stress case as a timeout with its limit', () => {
    const report = renderConsoleReport(stressTimeout())
    expect(report).toContain('  TIMEOUT stress:stress_bucket_rounds')
    expect(report).toContain('timed out after 600s, log: target/mace-test/stress-1.log')
    expect(lastLines(report, 2)).toEqual(['failures:', '  - stress:stress_bucket_rounds'])
  })

  it('marks a chaos case that passed on retry as flaky, with the failed attempt, and still passes', () => {
    const report = renderConsoleReport(flakyChaos())
    expect(report).toContain('  FLAKY   chaos:chaos_recover  passed on attempt 2 of 3')
    expect(report).toContain('    attempt 1/3: exit code 101')
    expect(report).toContain(
      'FAILED chaos_recover (chaos) at tests/chaos.rs:40:9: recovered state differs'
    )
    expect(lastLines(report, 4)).toEqual([
      'flaky (passed after a retry):',
      '  - chaos:chaos_recover',
      '',
      'result: PASS (1 flaky case)'
    ])
  })

  it('shows compiler errors of a failed build and the case that never ran', () => {
    const report = renderConsoleReport(buildFailure())
    expect(report).toContain('  FAILED  features failpoints  1.0s  log: target/mace-test/build.log')
    expect(report).toContain('    error tests/basic.rs:3:13: cannot find value `x` in this scope')
    expect(report).toContain('    never ran (see build and selection above)')
    expect(lastLines(report, 2)).toEqual(['failures:', '  - fast'])
  })

  it('lists a selection that matched no test as a failure', () => {
    const report = renderConsoleReport(selectionProblem())
    expect(report).toContain(
      '  FAILED  fast:extra_check:crash_recovery: expected exactly one test named crash_recovery'
    )
    expect(lastLines(report, 2)).toEqual(['failures:', '  - fast:extra_check:crash_recovery'])
  })

  it('says what ended a case that crashed before any test ran', () => {
    const crash = attempt(1, [], {
      passed: false,
      error: "process didn't exit successfully (signal: 11, SIGSEGV)\nmore",
      command: { ...attempt(1, []).command, exitCode: null, signal: 'SIGSEGV' }
    })
    const result = run([
      layer('chaos', [testCase('chaos:chaos_crash', [crash], { status: 'error' })])
    ])
    const report = renderConsoleReport(result)
    expect(report).toContain('    attempt 1/1: killed by SIGSEGV')
    expect(report).toContain(
      "      error: process didn't exit successfully (signal: 11, SIGSEGV)\n"
    )
  })

  it('keeps text from tests on one line, so it can never start a line or a workflow command', () => {
    const sneaky = test('x\n::error file=a.rs::pwned', {
      outcome: 'failed',
      message: '\n::add-mask::x'
    })
    const result = run([layer('fast', [testCase('fast', [attempt(1, [sneaky])])])])
    for (const report of [renderConsoleReport(result), renderConsoleReport(hostile())]) {
      const starts = report.split('\n').map(line => line.trimStart())
      expect(starts.filter(line => line.startsWith('::'))).toEqual([])
      expect(starts.filter(line => line.startsWith('second line'))).toEqual([])
      expect(report).not.toContain('\u001b')
    }
  })

  it('ends a cancelled run by saying it was cancelled, not that it failed without a name', () => {
    const report = renderConsoleReport({ ...allPass(), passed: false, cancelled: true })
    expect(lastLines(report, 2)).toEqual([
      'failures:',
      '  - (none: the run was cancelled before it finished)'
    ])
  })

  it('ends a failed run with an empty failures list with a failures line, not a pass', () => {
    const report = renderConsoleReport({ ...allPass(), passed: false })
    expect(lastLines(report, 2)).toEqual(['failures:', '  - (the run failed without a named item)'])
  })

  it('shows the time of the build, each layer and the whole run', () => {
    const report = renderConsoleReport(allPass())
    expect(report).toContain(
      'timing\n  build   1.0s\n  fast    1.0s\n  stress  1.0s\n  total   3.0s\n'
    )
  })
})
