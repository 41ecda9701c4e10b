/**
 * Counting only the tests the command selected, and saying what happened to the rest
 * when it stopped early: the reader on HAND-WRITTEN output in the shape rustc 1.95's
 * libtest and cargo print, with a test re-running its own binary (the crash-test
 * pattern), a test binary killed by a signal, and a command killed before some targets.
 */
import { describe, expect, it } from 'vitest'
import type { ListedTest } from '../../../src/core/libtest/list.js'
import {
  LibtestParser,
  type LibtestParserOptions,
  type ProcessEnd
} from '../../../src/core/libtest/parser.js'
import type { TestResult } from '../../../src/core/layers/results.js'

const ROOT = '/home/runner/work/kv/kv'
const NOTE = 'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace'
const FAILED_RUN: ProcessEnd = { timedOut: false, signal: null, exitCode: 101 }
const header = (target: string): string =>
  `     Running tests/${target}.rs (target/debug/deps/${target}-0123456789abcdef)`
const summary = (word: string, passed: number, failed: number, filtered = 0): string =>
  `test result: ${word}. ${passed} passed; ${failed} failed; 0 ignored; 0 measured; ${filtered} filtered out; finished in 0.01s`

function read(
  lines: string[],
  options: Partial<LibtestParserOptions> = {},
  end = FAILED_RUN
): { parser: LibtestParser; results: TestResult[] } {
  const parser = new LibtestParser({
    repoRoot: ROOT,
    cwd: ROOT,
    fileExists: () => false,
    ...options
  })
  for (const line of lines) parser.line(line)
  return { parser, results: parser.finish(end) }
}

const outcomes = (results: TestResult[]): string[] =>
  results.map(r => `${r.target ?? ''}:${r.name}:${r.outcome}`)

const listed = (target: string, ...names: string[]): ListedTest[] =>
  names.map(name => ({ target, name }))

/** A child run of `failpoint_child`, failing on purpose, as the child prints it. */
const FAILING_CHILD = [
  '',
  'running 1 test',
  '',
  "thread 'failpoint_child' (9) panicked at tests/rerun.rs:5:9:",
  'crashing on purpose',
  NOTE,
  'test failpoint_child ... FAILED',
  '',
  'failures:',
  '',
  'failures:',
  '    failpoint_child',
  '',
  summary('FAILED', 0, 1, 3)
]

describe('a test re-running its own binary', () => {
  it.each([
    ['with', listed('rerun', 'failpoint_child', 'parent_a', 'reruns')],
    ['without', undefined]
  ])('%s a listing: the child’s lines are output, its failure no test’s', (_, expected) => {
    const { parser, results } = read(
      [
        header('rerun'),
        '',
        'running 3 tests',
        'test failpoint_child ... ok',
        ...FAILING_CHILD,
        '',
        'test reruns ... ok',
        'test parent_a ... ok',
        '',
        summary('ok', 3, 0)
      ],
      { threads: 8, ...(expected === undefined ? {} : { expected }) }
    )
    expect(outcomes(results)).toEqual([
      'rerun:failpoint_child:passed',
      'rerun:reruns:passed',
      'rerun:parent_a:passed'
    ])
    expect(parser.unattributedPanics()).toEqual([])
  })

  it('a single selected test: the child’s test is not counted, its summary closes nothing', () => {
    const { results } = read(
      [
        header('rerun'),
        '',
        'running 1 test',
        ...FAILING_CHILD,
        '',
        'test chaos_rerun ... ok',
        '',
        summary('ok', 1, 0, 3)
      ],
      { threads: 8, expected: listed('rerun', 'chaos_rerun') }
    )
    expect(outcomes(results)).toEqual(['rerun:chaos_rerun:passed'])
  })

  it('a child that aborts before its summary: the target’s own verdict and summary still count', () => {
    const { results } = read(
      [
        header('rerun'),
        '',
        'running 1 test',
        '',
        'running 1 test',
        'crash_window child: about to abort',
        '',
        'running 1 test',
        'test crash_window ... ok',
        '',
        summary('ok', 1, 0, 3),
        '',
        'test crash_window ... FAILED',
        '',
        'failures:',
        '',
        'failures:',
        '    crash_window',
        '',
        summary('FAILED', 0, 1, 3),
        '',
        'error: test failed, to rerun pass `--test rerun`'
      ],
      { threads: 8, expected: listed('rerun', 'crash_window') }
    )
    expect(outcomes(results)).toEqual(['rerun:crash_window:failed'])
  })

  it('with one test thread, the child’s lines up to the test’s own verdict are its output', () => {
    const { results } = read(
      [
        'running 3 tests',
        'test failpoint_child ... ok',
        'test reruns ... ',
        'running 1 test',
        'test failpoint_child ... ',
        "thread 'failpoint_child' (3) panicked at tests/rerun.rs:5:9:",
        'crashing on purpose',
        NOTE,
        'FAILED',
        '',
        'failures:',
        '',
        'failures:',
        '    failpoint_child',
        '',
        summary('FAILED', 0, 1, 2),
        '',
        'ok',
        'test zeta ... ok',
        '',
        summary('ok', 3, 0)
      ],
      { threads: 1, expected: selectionOf('failpoint_child', 'reruns', 'zeta') }
    )
    expect(results.map(r => [r.name, r.outcome, r.output])).toEqual([
      ['failpoint_child', 'passed', undefined],
      ['reruns', 'passed', undefined],
      ['zeta', 'passed', undefined]
    ])
  })
})

describe('a test binary killed by a signal', () => {
  const crash = [
    header('crash'),
    '',
    'running 5 tests',
    'test a ... ok',
    'test b ... ok',
    'error: test failed, to rerun pass `--test crash`',
    '',
    'Caused by:',
    "  process didn't exit successfully: `/x/crash-0123 --nocapture --test-threads=2` (signal: 11, SIGSEGV: invalid memory reference)",
    header('later'),
    '',
    'running 1 test',
    'test x ... ok',
    '',
    summary('ok', 1, 0)
  ]
  const SEGV = 'the test binary was killed by signal 11 (SIGSEGV: invalid memory reference)'

  it('blames the tests running (libtest starts them in name order), names the signal', () => {
    const expected = [...listed('crash', 'e', 'd', 'c', 'b', 'a'), ...listed('later', 'x')]
    const { parser, results } = read(crash, { threads: 2, expected })
    expect(results.map(r => [r.name, r.outcome, r.message])).toEqual([
      ['a', 'passed', undefined],
      ['b', 'passed', undefined],
      ['c', 'crashed', `${SEGV} while this test was running (one of 2 tests running at the time)`],
      ['d', 'crashed', `${SEGV} while this test was running (one of 2 tests running at the time)`],
      ['e', 'not-run', `not run: ${SEGV} before this test started`],
      ['x', 'passed', undefined]
    ])
    expect(parser.crashes()).toEqual([{ target: 'crash', cause: SEGV, blamed: 2 }])
  })

  it('without a listing, still says which binary died of which signal', () => {
    const { parser, results } = read(crash, { threads: 2 })
    expect(outcomes(results)).toEqual(['crash:a:passed', 'crash:b:passed', 'later:x:passed'])
    expect(parser.crashes()).toEqual([{ target: 'crash', cause: SEGV, blamed: 0 }])
  })
})

describe('a command stopped before some targets ran', () => {
  const output = [
    header('first'),
    '',
    'running 1 test',
    'test only ... ok',
    '',
    summary('ok', 1, 0)
  ]
  const TIMED_OUT: ProcessEnd = { timedOut: true, signal: 'SIGTERM', exitCode: null }

  it('says the selected tests of the targets that never ran were not run, and why', () => {
    const expected = [
      ...listed('first', 'only'),
      ...listed('second', 'a', 'b'),
      { target: 'second', name: 'slow', ignored: true }
    ]
    const { results } = read(output, { expected }, TIMED_OUT)
    expect(results.map(r => [r.target, r.name, r.outcome, r.message])).toEqual([
      ['first', 'only', 'passed', undefined],
      ['second', 'a', 'not-run', 'not run: the command timed out before target second ran'],
      ['second', 'b', 'not-run', 'not run: the command timed out before target second ran']
    ])
  })

  it('trusts no listing whose targets match none that ran', () => {
    const { results } = read(output, { expected: listed('elsewhere', 'a') }, TIMED_OUT)
    expect(outcomes(results)).toEqual(['first:only:passed'])
  })
})

function selectionOf(...names: string[]): ListedTest[] {
  return names.map(name => ({ name }))
}
