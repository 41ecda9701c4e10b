/**
 * Each test's time, as far as libtest on stable Rust gives it: the span between
 * consecutive results when tests run one at a time, libtest's own `finished in` of a
 * target that ran one test, and no time at all (never 0) for a test of a parallel run.
 */
import { describe, expect, it } from 'vitest'
import { LibtestParser } from '../../../src/core/libtest/parser.js'

const ROOT = '/home/runner/work/kv/kv'

/** Feeds `lines`, each `[ms since start, text]`, with a clock that reads those times. */
function readTimed(lines: [number, string][], threads: number): LibtestParser {
  let now = 1_000_000
  const parser = new LibtestParser({
    repoRoot: ROOT,
    cwd: ROOT,
    fileExists: () => false,
    threads,
    clock: () => now
  })
  for (const [at, text] of lines) {
    now = 1_000_000 + at
    parser.line(text)
  }
  return parser
}

describe('test times', () => {
  it('with one test thread, each test takes the time from the result before it to its own', () => {
    const parser = readTimed(
      [
        [0, '     Running tests/basic.rs (target/debug/deps/basic-0123456789abcdef)'],
        [5, 'running 3 tests'],
        [1205, 'test a_slow ... ok'],
        [1210, 'test b_ignored ... ignored'],
        [1460, 'test c_quick ... FAILED'],
        [1470, ''],
        [1470, 'failures:'],
        [1470, ''],
        [1470, '---- c_quick stdout ----'],
        [1470, "thread 'c_quick' (7) panicked at tests/basic.rs:9:5:"],
        [1470, 'assertion failed: false'],
        [1470, ''],
        [1470, ''],
        [1470, 'failures:'],
        [1471, '    c_quick'],
        [1471, ''],
        [
          1480,
          'test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1.46s'
        ]
      ],
      1
    )
    const results = parser.finish({ timedOut: false, signal: null, exitCode: 101 })
    expect(results.map(r => [r.name, r.outcome, r.durationMs])).toEqual([
      ['a_slow', 'passed', 1200],
      ['b_ignored', 'ignored', undefined],
      ['c_quick', 'failed', 250]
    ])
    expect(parser.targetTimes()).toEqual(new Map([['basic', 1460]]))
  })

  it('in parallel, tests have no time, the target has libtest’s, and a one-test target gives it to its test', () => {
    const parser = readTimed(
      [
        [0, '     Running tests/basic.rs (target/debug/deps/basic-0123456789abcdef)'],
        [1, 'running 2 tests'],
        [300, 'test put ... ok'],
        [900, 'test get ... ok'],
        [
          901,
          'test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.90s'
        ],
        [950, '     Running tests/slow.rs (target/debug/deps/slow-0123456789abcdef)'],
        [951, 'running 1 test'],
        [4000, 'test slow_scan ... ok'],
        [
          4001,
          'test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 3.05s'
        ]
      ],
      8
    )
    const results = parser.finish({ timedOut: false, signal: null, exitCode: 0 })
    expect(results.map(r => [r.target, r.name, r.durationMs])).toEqual([
      ['basic', 'put', undefined],
      ['basic', 'get', undefined],
      ['slow', 'slow_scan', 3050]
    ])
    expect(parser.targetTimes()).toEqual(
      new Map([
        ['basic', 900],
        ['slow', 3050]
      ])
    )
  })
})
