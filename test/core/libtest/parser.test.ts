/**
 * The libtest parser on output captured from real `cargo test` runs (rustc 1.95, so the
 * `thread 'x' (tid) panicked at` format), stdout and stderr merged. The scratch crate is
 * described in test/samples/libtest/README.md; `/REPO` and `/DEPS` stand for its paths.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  LibtestParser,
  type LibtestParserOptions,
  type ProcessEnd
} from '../../../src/core/libtest/parser.js'
import { parseTestList, type ListedTest } from '../../../src/core/libtest/list.js'
import type { TestResult } from '../../../src/core/layers/results.js'

const ROOT = '/home/runner/work/mini_kv/mini_kv'
const MEMBER = `${ROOT}/crates/mini_kv`
const REGISTRY = '/home/runner/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f'
const ON_DISK = new Set([`${MEMBER}/src/lib.rs`, `${MEMBER}/tests/basic.rs`])
const BASIC = `crates/mini_kv/tests/basic.rs`
// What follows a helper's panic given as the cause of spawned_thread_panics: its join.
const JOINED = `\n(then the test panicked at ${BASIC}:35:61: called \`Result::unwrap()\` on an \`Err\` value: Any { .. })`

function sample(name: string): string {
  const text = readFileSync(new URL(`../../samples/libtest/${name}`, import.meta.url), 'utf8')
  return text.replaceAll('/REPO', ROOT).replaceAll('/DEPS', REGISTRY)
}

const FAILED_RUN: ProcessEnd = { timedOut: false, signal: null, exitCode: 101 }
const TIMED_OUT: ProcessEnd = { timedOut: true, signal: 'SIGKILL', exitCode: null }

function feed(text: string, options: Partial<LibtestParserOptions> = {}): LibtestParser {
  const parser = new LibtestParser({
    repoRoot: ROOT,
    cwd: MEMBER,
    fileExists: file => ON_DISK.has(file),
    ...options
  })
  // Files end with a newline; the runner's line splitter yields no empty last line.
  for (const line of text.replace(/\n$/, '').split('\n')) parser.line(line)
  return parser
}

interface Run {
  results: TestResult[]
  /** The result of one test, which must be there. */
  test: (name: string) => TestResult
  /** Outcome by test name. */
  outcomes: Record<string, string>
}

function parse(name: string, options: Partial<LibtestParserOptions> = {}, end = FAILED_RUN): Run {
  const results = feed(sample(name), options).finish(end)
  const test = (testName: string): TestResult => {
    const found = results.find(result => result.name === testName)
    if (found === undefined) throw new Error(`no result for ${testName}`)
    return found
  }
  const outcomes = Object.fromEntries(results.map(result => [result.name, result.outcome]))
  return { results, test, outcomes }
}

const BASIC_OUTCOMES = {
  assert_eq_fails: 'failed',
  chatty_fails: 'failed',
  chatty_passes: 'passed',
  dependency_panics: 'failed',
  helper_panics: 'failed',
  ignored_plain: 'ignored',
  ignored_with_reason: 'ignored',
  named_thread_panics: 'failed',
  panics_with_message: 'failed',
  prints_without_newline: 'failed',
  put_then_get: 'passed',
  returns_err: 'failed',
  should_panic_but_does_not: 'failed',
  should_panic_passes: 'passed',
  should_panic_wrong_message: 'failed',
  spawned_thread_panics: 'failed',
  unwrap_on_err: 'failed'
}

describe('captured output (no --nocapture)', () => {
  const run = parse('basic-captured-threads8.txt')

  it('reports every test of the target once, under the target cargo named', () => {
    expect(run.outcomes).toEqual(BASIC_OUTCOMES)
    expect(run.results).toHaveLength(17)
    expect(run.results.every(result => result.target === 'basic')).toBe(true)
  })

  it('a failed assert_eq names the test, the message and the file:line inside the repo', () => {
    expect(run.test('assert_eq_fails')).toMatchObject({
      outcome: 'failed',
      message: 'assertion `left == right` failed: add_one is off\n  left: 2\n right: 3',
      location: { file: BASIC, line: 11, column: 5 }
    })
  })

  it('keeps multi-line panic messages and unwrap errors', () => {
    expect(run.test('panics_with_message').message).toBe(
      'boom: the store is corrupt\nsecond line of detail'
    )
    expect(run.test('unwrap_on_err')).toMatchObject({
      message: 'called `Result::unwrap()` on an `Err` value: "disk full"',
      location: { file: BASIC, line: 22, column: 7 }
    })
  })

  it('a panic in a helper inside the repo points at the helper', () => {
    expect(run.test('helper_panics')).toMatchObject({
      message: 'key too long: 9 bytes',
      location: { file: 'crates/mini_kv/src/lib.rs', line: 23, column: 5 }
    })
  })

  it('a panic in a dependency has no location when there is no backtrace to fall back on', () => {
    const test = run.test('dependency_panics')
    expect(test.message).toBe('extdep: unsupported key "k1"')
    expect(test.location).toBeUndefined()
  })

  it('a panic in a spawned thread is the reported cause, naming that thread, the join after it', () => {
    expect(run.test('spawned_thread_panics')).toMatchObject({
      message: `thread '<unnamed>' panicked: worker lost its lock${JOINED}`,
      location: { file: BASIC, line: 35, column: 22 }
    })
    expect(run.test('named_thread_panics').message).toMatch(
      /^thread 'compactor' panicked: compactor saw a torn page\n\(then the test panicked at /
    )
  })

  it('failures without a panic are explained by what libtest or the test said', () => {
    expect(run.test('returns_err').message).toBe('Error: "checksum mismatch in block 7"')
    expect(run.test('should_panic_but_does_not')).toMatchObject({
      message: 'test did not panic as expected',
      location: { file: BASIC, line: 87, column: 4 }
    })
    expect(run.test('should_panic_wrong_message').message).toBe(
      'panic did not contain expected string\npanic message: "short read"\nexpected substring: "torn write"'
    )
  })

  it('an ignored test keeps its reason; passing tests carry no message or output', () => {
    expect(run.test('ignored_with_reason').message).toBe('needs network')
    expect(run.test('ignored_plain').message).toBeUndefined()
    for (const name of ['chatty_passes', 'should_panic_passes']) {
      expect(run.test(name).message).toBeUndefined()
      expect(run.test(name).output).toBeUndefined()
    }
  })

  it('a failed test keeps its captured output, and only its own', () => {
    const output = run.test('chatty_fails').output ?? ''
    expect(output).toContain('progress 0/30')
    expect(output).toContain("thread 'chatty_fails'")
    expect(output).not.toContain('chatty line')
  })
})

describe('--nocapture output', () => {
  it('on one thread, verdicts printed after the output (even glued to it) go to the test', () => {
    const run = parse('basic-nocapture-threads1.txt', { threads: 1 })
    expect(run.outcomes).toEqual(BASIC_OUTCOMES)
    expect(run.test('prints_without_newline')).toMatchObject({
      message: 'assertion `left == right` failed\n  left: 1\n right: 2',
      location: { file: BASIC, line: 98, column: 5 }
    })
    expect(run.test('returns_err').message).toBe('Error: "checksum mismatch in block 7"')
    expect(run.test('spawned_thread_panics').message).toBe(
      `thread '<unnamed>' panicked: worker lost its lock${JOINED}`
    )
    expect(run.test('chatty_fails').output).toContain('progress 29/30')
  })

  it('on eight threads, panics printed before the verdict are matched by thread name', () => {
    const run = parse('basic-nocapture-threads8.txt')
    expect(run.outcomes).toEqual(BASIC_OUTCOMES)
    expect(run.test('assert_eq_fails')).toMatchObject({
      message: 'assertion `left == right` failed: add_one is off\n  left: 2\n right: 3',
      location: { file: BASIC, line: 11, column: 5 }
    })
    // Its verdict was printed inside another test's output; the failure list names it.
    expect(run.test('chatty_fails').message).toBe('gave up after 30 steps')
    expect(run.test('should_panic_passes').message).toBeUndefined()
  })

  it('on eight threads, a test that joined a panicked helper gets the helper’s panic as cause', () => {
    const run = parse('basic-nocapture-threads8.txt', { threads: 8 })
    expect(run.test('spawned_thread_panics')).toMatchObject({
      message: `thread '<unnamed>' panicked: worker lost its lock${JOINED}`,
      location: { file: BASIC, line: 35, column: 22 }
    })
  })

  it('on eight threads, a panic message ends where other tests’ output resumes', () => {
    const run = parse('basic-nocapture-threads8.txt', { threads: 8 })
    // Printed between chatty_fails' "progress N/30" and "stderr note N" lines.
    expect(run.test('helper_panics').message).toBe('key too long: 9 bytes')
  })
})

describe('backtraces (RUST_BACKTRACE=1)', () => {
  it('a panic in a dependency path falls back to the first in-repo backtrace frame', () => {
    const run = parse('dependency-captured-backtrace.txt')
    expect(run.test('dependency_panics')).toMatchObject({
      message: 'extdep: unsupported key "k1"',
      location: { file: BASIC, line: 55, column: 5 }
    })
  })

  it('keeps the panic site when it is in the repo, and no frame in the message', () => {
    const run = parse('basic-nocapture-threads1-backtrace.txt', { threads: 1 })
    expect(run.outcomes).toEqual(BASIC_OUTCOMES)
    expect(run.test('assert_eq_fails')).toMatchObject({
      message: 'assertion `left == right` failed: add_one is off\n  left: 2\n right: 3',
      location: { file: BASIC, line: 11, column: 5 }
    })
    expect(run.test('dependency_panics').location).toEqual({ file: BASIC, line: 55, column: 5 })
  })
})

describe('several targets', () => {
  it('names each target from cargo’s header: lib, bin:NAME, integration tests, doc', () => {
    const { results } = parse('workspace-all.txt')
    const targets = [...new Set(results.map(result => result.target))]
    expect(targets).toEqual(['lib', 'bin:mini_kv', 'basic', 'crash', 'hang', 'doc:lib'])
    expect(results.find(r => r.name === 'tests::helper_rejects_long_key')).toMatchObject({
      target: 'lib',
      outcome: 'failed',
      location: { file: 'crates/mini_kv/src/lib.rs', line: 23, column: 5 }
    })
  })

  it('a failed doc test points at its example in the source file', () => {
    const run = parse('workspace-all.txt')
    expect(run.test('crates/mini_kv/src/lib.rs - sub_one (line 14)')).toMatchObject({
      target: 'doc:lib',
      outcome: 'failed',
      message: 'assertion `left == right` failed\n  left: 2\n right: 1',
      location: { file: 'crates/mini_kv/src/lib.rs', line: 14 }
    })
  })

  it('a doc test that does not compile is explained and placed by its first compiler error', () => {
    const run = parse('doc-tests-backtrace.txt')
    expect(run.test('crates/mini_kv/src/lib.rs - double (line 23)')).toMatchObject({
      outcome: 'failed',
      message: 'error[E0425]: cannot find value `missing_value` in this scope',
      // The compiler's `--> crates/mini_kv/src/lib.rs:25:25`, not the example's first line.
      location: { file: 'crates/mini_kv/src/lib.rs', line: 25, column: 25 }
    })
    expect(run.test('crates/mini_kv/src/lib.rs - sub_one (line 14)').message).toBe(
      'assertion `left == right` failed\n  left: 2\n right: 1'
    )
  })

  it('locations are repo-relative when cargo ran at the workspace root too', () => {
    const run = parse('workspace-root-cwd.txt', { cwd: ROOT })
    expect(run.test('assert_eq_fails').location).toEqual({ file: BASIC, line: 11, column: 5 })
  })
})

describe('hangs and crashes', () => {
  const listing = parseTestList(sample('list.txt'))
  const listed = (target: string): ListedTest[] => listing.filter(t => t.target === target)

  it('a test still running when the process was killed is reported as timed-out', () => {
    const parser = feed(sample('hang-timeout-threads1.txt'), { threads: 1 })
    expect(parser.running()).toEqual([{ target: 'hang', name: 'hangs_forever' }])
    const results = parser.finish(TIMED_OUT)
    expect(results).toEqual([
      {
        target: 'hang',
        name: 'hangs_forever',
        outcome: 'timed-out',
        message: 'still running when the command timed out',
        output: 'hangs_forever: waiting for a lock that never comes'
      }
    ])
  })

  it('on several threads, the listed tests without a verdict are the ones that hung', () => {
    const run = parse('hang-timeout-threads8.txt', { expected: listed('hang') }, TIMED_OUT)
    expect(run.outcomes).toEqual({ quick: 'passed', hangs_forever: 'timed-out' })
    expect(parse('hang-timeout-threads8.txt', {}, TIMED_OUT).outcomes).toEqual({
      quick: 'passed'
    })
  })

  it('a single selected test that hangs gets the output printed while it ran', () => {
    const expected = [{ target: 'hang', name: 'hangs_forever' }]
    const run = parse('hang-exact-timeout.txt', { expected }, TIMED_OUT)
    expect(run.test('hangs_forever')).toMatchObject({
      outcome: 'timed-out',
      output: expect.stringContaining('waiting for a lock') as unknown
    })
  })

  it('a test that aborts the process is reported as crashed, with the signal cargo saw', () => {
    const run = parse('crash-abort-threads1.txt', { threads: 1 })
    expect(run.outcomes).toEqual({ aborts: 'crashed' })
    expect(run.test('aborts').message).toBe(
      'the test binary was killed by signal 6 (SIGABRT: process abort signal) while this test was running'
    )
    expect(run.test('aborts').output).toContain('aborts: about to abort')
  })

  it('reads cargo output coloured with CARGO_TERM_COLOR=always', () => {
    const run = parse('crash-abort-colour.txt', { expected: listed('crash') })
    expect(run.results.map(result => result.target)).toEqual(['crash', 'crash', 'crash'])
    expect(run.test('aborts').message).toContain('signal 6 (SIGABRT: process abort signal)')
  })

  it('on several threads, every listed test still running shares the blame for a crash', () => {
    const run = parse('crash-abort-threads8.txt', { expected: listed('crash') })
    expect(run.outcomes).toEqual({
      before_crash: 'passed',
      aborts: 'crashed',
      slow_neighbour: 'crashed'
    })
    expect(run.test('slow_neighbour').message).toContain('(one of 2 tests running at the time)')
  })
})
