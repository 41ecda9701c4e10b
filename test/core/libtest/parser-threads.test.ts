/**
 * Whose panic it is and where its message ends, when several tests run at once: the
 * reader on HAND-WRITTEN output in the shape rustc 1.95's libtest prints (each test on
 * a thread named after it, verdicts printed as tests end, the first panic of a process
 * followed by its RUST_BACKTRACE note).
 */
import { describe, expect, it } from 'vitest'
import { LibtestParser, type LibtestParserOptions } from '../../../src/core/libtest/parser.js'
import type { TestResult } from '../../../src/core/layers/results.js'

const ROOT = '/home/runner/work/kv/kv'
const NOTE = 'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace'
const ANY = 'called `Result::unwrap()` on an `Err` value: Any { .. }'

function read(
  lines: string[],
  options: Partial<LibtestParserOptions> = {}
): { parser: LibtestParser; results: TestResult[] } {
  const parser = new LibtestParser({
    repoRoot: ROOT,
    cwd: ROOT,
    fileExists: () => false,
    ...options
  })
  for (const line of lines) parser.line(line)
  const results = parser.finish({ timedOut: false, signal: null, exitCode: 101 })
  return { parser, results }
}

function messageOf(results: TestResult[], name: string): string | undefined {
  return results.find(result => result.name === name)?.message
}

const selection = (...names: string[]): LibtestParserOptions['expected'] =>
  names.map(name => ({ name }))

describe('a panic belongs to the test its thread is named after', () => {
  it('a verdict torn from its test line does not make that test the owner of others’ panics', () => {
    const { results } = read(
      [
        'running 3 tests',
        'test alpha ... progress of beta: 3',
        '',
        "thread 'gamma' (12) panicked at tests/t.rs:21:5:",
        'gamma broke its invariant',
        NOTE,
        'ok',
        'test gamma ... FAILED',
        'test beta ... ok'
      ],
      { threads: 8, expected: selection('alpha', 'beta', 'gamma') }
    )
    expect(results.map(r => [r.name, r.outcome, r.message])).toEqual([
      ['alpha', 'passed', undefined],
      ['gamma', 'failed', 'gamma broke its invariant'],
      ['beta', 'passed', undefined]
    ])
  })

  it('the last panic of a test’s thread before its verdict is its own', () => {
    const { results } = read(
      [
        'running 2 tests',
        '',
        "thread 'retries' (3) panicked at tests/t.rs:4:9:",
        'first try failed (caught)',
        NOTE,
        '',
        "thread 'retries' (3) panicked at tests/t.rs:9:5:",
        'gave up after 3 tries',
        'test retries ... FAILED',
        'test other ... ok'
      ],
      { threads: 2 }
    )
    expect(messageOf(results, 'retries')).toBe('gave up after 3 tries')
  })
})

describe('a panic message is kept whole', () => {
  it('up to its RUST_BACKTRACE note, blank lines and libtest lines in between included', () => {
    const { results } = read(
      [
        'running 2 tests',
        '',
        "thread 'alpha' (1) panicked at tests/m.rs:3:5:",
        'TODO:',
        '- write docs',
        '',
        '- write more tests',
        'test beta ... ok',
        NOTE,
        'test alpha ... FAILED'
      ],
      { threads: 8 }
    )
    expect(messageOf(results, 'alpha')).toBe('TODO:\n- write docs\n\n- write more tests')
  })

  it('after the first panic, up to a line shaped like what other tests were printing', () => {
    const { results } = read(
      [
        'running 3 tests',
        'progress of gamma: step 1',
        '',
        "thread 'alpha' (1) panicked at tests/m.rs:3:5:",
        'alpha broke',
        NOTE,
        '',
        "thread 'beta' (2) panicked at tests/m.rs:9:5:",
        'beta failed:',
        '- detail one',
        '',
        '- detail two',
        'progress of gamma: step 2',
        'test alpha ... FAILED',
        'test beta ... FAILED',
        'test gamma ... ok'
      ],
      { threads: 8, expected: selection('alpha', 'beta', 'gamma') }
    )
    expect(messageOf(results, 'beta')).toBe('beta failed:\n- detail one\n\n- detail two')
  })

  it('a verdict word glued to the backtrace line after it still ends the message', () => {
    const { results } = read(
      [
        'running 2 tests',
        'test alpha ... progress of beta: 1',
        '',
        "thread 'alpha' (1) panicked at tests/g.rs:3:5:",
        'alpha broke',
        'FAILEDstack backtrace:',
        '   0: __rustc::rust_begin_unwind',
        '             at /rustc/59807616e/library/std/src/panicking.rs:689:5',
        '',
        'test beta ... ok'
      ],
      { threads: 8 }
    )
    expect(results.map(r => [r.name, r.outcome, r.message])).toEqual([
      ['alpha', 'failed', 'alpha broke'],
      ['beta', 'passed', undefined]
    ])
  })

  it('with one test thread, everything the panicking test printed before its verdict', () => {
    const { results } = read(
      [
        'running 2 tests',
        'test first ... ok',
        'test second ... ',
        '',
        "thread 'second' (1) panicked at tests/m.rs:3:5:",
        'summary:',
        '',
        'details after a blank line',
        'FAILED'
      ],
      { threads: 1 }
    )
    expect(messageOf(results, 'second')).toBe('summary:\n\ndetails after a blank line')
  })
})

describe('a helper thread’s panic', () => {
  const helpers = (first: string, second: string): string[] => [
    'running 4 tests',
    '',
    `thread '<unnamed>' (5) panicked at ${first}:`,
    'helper of one died',
    NOTE,
    '',
    `thread '<unnamed>' (6) panicked at ${second}:`,
    'helper of two died',
    '',
    "thread 'two' (3) panicked at tests/j.rs:11:19:",
    ANY,
    '',
    "thread 'one' (2) panicked at tests/j.rs:5:19:",
    ANY,
    'test two ... FAILED',
    'test one ... FAILED',
    'test three ... ok',
    'test four ... ok'
  ]

  it('is the cause of the test that joined it, the nearest helper above the join', () => {
    const { parser, results } = read(helpers('tests/j.rs:4:36', 'tests/j.rs:10:36'), {
      threads: 8
    })
    expect(messageOf(results, 'one')).toBe(
      `thread '<unnamed>' panicked: helper of one died\n(then the test panicked at tests/j.rs:5:19: ${ANY})`
    )
    expect(messageOf(results, 'two')?.split('\n')[0]).toBe(
      "thread '<unnamed>' panicked: helper of two died"
    )
    expect(results.find(r => r.name === 'two')?.location).toEqual({
      file: 'tests/j.rs',
      line: 10,
      column: 36
    })
    expect(parser.unattributedPanics()).toEqual([])
  })

  it('that cannot be told apart is pinned on no test, and kept as a panic of the case', () => {
    const { parser, results } = read(helpers('tests/common.rs:2:5', 'tests/common.rs:2:5'), {
      threads: 8
    })
    expect(messageOf(results, 'one')).toBe(ANY)
    expect(messageOf(results, 'two')).toBe(ANY)
    expect(parser.unattributedPanics().map(p => p.message)).toEqual([
      'helper of one died',
      'helper of two died'
    ])
  })

  it('is the cause of the only test running, and kept when that test passes', () => {
    const { parser, results } = read(
      [
        'running 1 test',
        'test tolerant ... ',
        '',
        "thread '<unnamed>' (2) panicked at tests/t.rs:3:30:",
        'a failure the test tolerates',
        NOTE,
        'ok',
        '',
        'test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s'
      ],
      { threads: 1 }
    )
    // The target ran one test: libtest's `finished in` is its time.
    expect(results).toEqual([{ name: 'tolerant', outcome: 'passed', durationMs: 0 }])
    expect(parser.unattributedPanics()).toEqual([
      {
        thread: '<unnamed>',
        message: 'a failure the test tolerates',
        location: { file: 'tests/t.rs', line: 3, column: 30 }
      }
    ])
  })

  it('while several tests run and none joins it, is a panic of the case, never lost', () => {
    const { parser, results } = read(
      [
        '     Running tests/w.rs (target/debug/deps/w-0123456789abcdef)',
        '',
        'running 2 tests',
        '',
        "thread 'worker-7' (4) panicked at tests/w.rs:8:9:",
        'worker-7 lost its lock',
        NOTE,
        '',
        "thread 'checks' (2) panicked at tests/w.rs:20:5:",
        'assertion failed: store.is_consistent()',
        'test checks ... FAILED',
        'test spawns ... ok'
      ],
      {
        threads: 8,
        expected: [
          { target: 'w', name: 'checks' },
          { target: 'w', name: 'spawns' }
        ]
      }
    )
    expect(messageOf(results, 'checks')).toBe('assertion failed: store.is_consistent()')
    expect(parser.unattributedPanics()).toEqual([
      {
        target: 'w',
        thread: 'worker-7',
        message: 'worker-7 lost its lock',
        location: { file: 'tests/w.rs', line: 8, column: 9 }
      }
    ])
  })
})
