/**
 * The libtest reader on real `cargo test` output of test/crates/blame_lab, at 1, 2 and 8
 * test threads, through the case runner as the test layers use it: the right test is
 * blamed and keeps its whole cause whatever else runs, a crash names its signal and its
 * tests, a test's own child process is that test's output, and a killed command says
 * which tests never ran and what its log showed last.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestListing } from '../../../src/core/cargo/listing.js'
import { planAnnotations } from '../../../src/core/layers/render/annotations.js'
import { renderConsoleReport } from '../../../src/core/layers/render/console-report.js'
import { renderJobSummary } from '../../../src/core/layers/render/job-summary.js'
import { renderJUnit } from '../../../src/core/layers/render/junit.js'
import { buildLab, runChaosCase, runFast, runOf, testNamed, testsOf, THREADS } from './blame-lab.js'

let listing: TestListing

beforeAll(async () => {
  listing = await buildLab()
})

const SEGV = 'the test binary was killed by signal 11 (SIGSEGV: invalid memory reference)'

describe.each(THREADS)('with --test-threads=%i', threads => {
  it('a test that dies of SIGSEGV is named with the signal, its neighbour passes', async () => {
    const fast = await runFast(listing, ['crash'], { threads })
    expect(testNamed(fast, 'segfaults')).toMatchObject({
      target: 'crash',
      outcome: 'crashed',
      message: `${SEGV} while this test was running`
    })
    expect(testNamed(fast, 'a_fine_test').outcome).toBe('passed')
    const attempt = fast.attempts[0]
    expect(attempt?.error).toBeUndefined()
    expect(attempt?.evidence?.logTail).toContain('SIGSEGV')
  })

  it('a SIGSEGV beside another failing target is reported with that target’s failure', async () => {
    const fast = await runFast(listing, ['crash', 'failing'], { threads })
    expect(testNamed(fast, 'segfaults').message).toContain(SEGV)
    expect(testNamed(fast, 'fails_plainly')).toMatchObject({
      outcome: 'failed',
      location: { file: 'tests/failing.rs', line: 5, column: 5 }
    })
    const run = runOf(fast)
    expect(renderJobSummary(run)).toContain('signal 11 (SIGSEGV: invalid memory reference)')
    expect(renderJUnit(run)).toMatch(
      /<testcase name="segfaults" classname="crash"[^>]*>\s*<error message="the test binary was killed by signal 11/
    )
    expect(renderConsoleReport(run)).toContain('CRASHED segfaults (crash)')
  })

  it('a multi-line panic message is kept whole in results, JUnit and the annotation', async () => {
    const fast = await runFast(listing, ['messages'], { threads })
    const message = 'TODO:\n- write docs\n\n- write more tests'
    expect(testNamed(fast, 'multiline_panic')).toMatchObject({
      outcome: 'failed',
      message,
      location: { file: 'tests/messages.rs', line: 5, column: 5 }
    })
    const run = runOf(fast)
    expect(renderJUnit(run)).toContain('TODO:\n- write docs\n\n- write more tests</failure>')
    const annotation = planAnnotations(run).annotations.find(a => a.title.includes('multiline'))
    expect(annotation?.message).toBe(message)
  })

  it('a helper thread’s panic, joined with unwrap, is the test’s cause', async () => {
    const fast = await runFast(listing, ['messages'], { threads })
    const helper = testNamed(fast, 'joins_panicked_helper')
    expect(helper.message?.split('\n')[0]).toBe("thread '<unnamed>' panicked: helper thread died")
    expect(helper.message).toContain('then the test panicked at tests/messages.rs:11:19')
    expect(helper.location).toEqual({ file: 'tests/messages.rs', line: 10, column: 40 })
    const worker = testNamed(fast, 'joins_panicked_worker')
    expect(worker.message?.split('\n')[0]).toBe(
      "thread 'worker-7' panicked: worker-7 lost its lock"
    )
    expect(fast.attempts[0]?.unattributedPanics).toBeUndefined()
  })

  it('a test re-running its own binary: the child’s libtest lines are its output, not tests', async () => {
    const fast = await runFast(listing, ['rerun'], { threads })
    const outcomes = testsOf(fast).map(t => `${t.name}:${t.outcome}`)
    expect(outcomes.sort()).toEqual([
      'chaos_rerun:ignored',
      'failpoint_child:passed',
      'rerun_crash_window:passed',
      'reruns_itself:passed'
    ])
    expect(fast.status).toBe('passed')
    const run = runOf(fast)
    expect(renderJobSummary(run)).toContain('**Tests** 3 passed, 0 failed, 1 ignored')
    expect(renderJUnit(run).match(/<testcase name="failpoint_child"/g)).toHaveLength(1)
    expect(renderJUnit(run)).toContain('failures="0" errors="0"')
  })

  it('a chaos case whose child fails on purpose counts only its own test', async () => {
    const chaos = await runChaosCase('rerun', 'chaos_rerun', { threads })
    expect(testsOf(chaos)).toEqual([
      {
        target: 'rerun',
        name: 'chaos_rerun',
        outcome: 'passed',
        durationMs: expect.any(Number) as number
      }
    ])
    expect(chaos.status).toBe('passed')
  })

  it('many tests printing and panicking at once: every panic goes to its own test', async () => {
    const fast = await runFast(listing, ['storm'], { threads })
    expectStormAttributed(testsOf(fast))
  })

  it('a killed fast command names the hung test, the tests never run, and its last panic', async () => {
    const targets = ['hang', 'later_a', 'later_b', 'messages']
    const fast = await runFast(listing, targets, {
      threads,
      env: { BLAME_LAB_HANG: '1' },
      timeoutSeconds: 4
    })
    expect(testNamed(fast, 'hangs_when_asked').outcome).toBe('timed-out')
    const notRun = testsOf(fast).filter(t => t.outcome === 'not-run')
    // One thread runs `quick` only after the hung test; more threads run it beside.
    const inHang = threads === 1 ? 1 : 0
    expect(notRun).toHaveLength(8 + inHang)
    expect(new Set(notRun.map(t => t.target)).size).toBe(3 + inHang)
    expect(testNamed(fast, 'first', 'later_a').message).toBe(
      'not run: the command timed out before target later_a ran'
    )
    const evidence = fast.attempts[0]?.evidence
    expect(evidence?.lastPanic).toMatchObject({
      thread: '<unnamed>',
      message: 'index out of range while compacting',
      location: { file: 'tests/hang.rs', line: 8 }
    })
    expect(evidence?.logTail).toContain('progress of hangs_when_asked: step 39')
    const run = runOf(fast)
    const summary = renderJobSummary(run)
    expect(summary).toContain(
      `- **Not run** ${8 + inHang} tests in ${3 + inHang} targets: the command timed out before they ran`
    )
    expect(summary).toMatch(
      /Last panic in the log: thread <code>\\<unnamed\\><\/code> at <code>tests\\\/hang\\.rs/
    )
    expect(renderConsoleReport(run)).toContain(
      `not run: ${8 + inHang} tests in ${3 + inHang} targets (the command timed out before they ran)`
    )
    expect(renderJUnit(run)).toContain(
      '<skipped message="not run: the command timed out before target later_b ran"/>'
    )
    const annotation = planAnnotations(run).annotations.find(a => a.title.includes('hangs_when'))
    expect(annotation?.message).toContain(
      "Last panic in the log: thread '<unnamed>' at tests/hang.rs:8"
    )
  })
})

describe('with backtraces on (RUST_BACKTRACE=1)', () => {
  it.each(THREADS)('a storm at %i threads: every panic goes to its own test', async threads => {
    const fast = await runFast(listing, ['storm'], { threads, env: { RUST_BACKTRACE: '1' } })
    expectStormAttributed(testsOf(fast))
  })
})

/**
 * storm_NN for NN = 1..20 does, by NN mod 5: panic, panic with three lines, join a
 * panicked helper, pass, fail an assert_eq, each message naming the test.
 */
function expectStormAttributed(tests: { name: string; outcome: string; message?: string }[]): void {
  expect(tests).toHaveLength(20)
  for (const test of tests) {
    const n = Number(test.name.slice(-2))
    const name = test.name
    const expected = [
      `${name} panicked on purpose`,
      `${name} failed:\n- ${name} detail one\n- ${name} detail two`,
      `thread '<unnamed>' panicked: helper of ${name} died\n(then the test panicked at tests/storm.rs:`,
      undefined,
      `assertion \`left == right\` failed: ${name} counted wrong\n  left: ${n}\n right: ${n + 1}`
    ][(n - 1) % 5]
    if (expected === undefined) {
      expect(test, name).toMatchObject({ outcome: 'passed' })
      continue
    }
    expect(test.outcome, name).toBe('failed')
    // Every storm name in a message is the test's own: no panic went to the wrong test.
    expect(
      test.message?.match(/storm_\d\d/g)?.filter(other => other !== name),
      name
    ).toEqual([])
    if ((n - 1) % 5 === 2) expect(test.message?.startsWith(expected), name).toBe(true)
    else expect(test.message, name).toBe(expected)
  }
}
