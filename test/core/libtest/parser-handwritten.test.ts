/**
 * The libtest parser on panic formats of older Rust versions and on situations hard to
 * capture for real (a 60-second warning, 100 MB of output). The samples here are
 * HAND-WRITTEN from the documented formats, not captured.
 */
import { describe, expect, it } from 'vitest'
import { LibtestParser, type ProcessEnd } from '../../../src/core/libtest/parser.js'
import type { TestResult } from '../../../src/core/layers/results.js'

const ROOT = '/home/runner/work/mini_kv/mini_kv'
const REGISTRY = '/home/runner/.cargo/registry/src/index.crates.io-6f17d22bba15001f'
const FAILED_RUN: ProcessEnd = { timedOut: false, signal: null, exitCode: 101 }

function run(text: string, end = FAILED_RUN, maxOutputBytes?: number): TestResult[] {
  const parser = new LibtestParser({
    repoRoot: ROOT,
    cwd: ROOT,
    fileExists: () => false,
    maxOutputBytes
  })
  for (const line of text.split('\n')) parser.line(line)
  return parser.finish(end)
}

const lines = (...text: string[]): string => text.join('\n')

describe('panic formats of older Rust (hand-written)', () => {
  it('before 1.73: the quoted message spans lines and the location ends the last one', () => {
    const results = run(
      lines(
        'running 1 test',
        'test tests::put_then_get ... FAILED',
        '',
        'failures:',
        '',
        '---- tests::put_then_get stdout ----',
        "thread 'tests::put_then_get' panicked at 'assertion failed: `(left == right)`",
        '  left: `2`,',
        " right: `3`: add_one is off', src/lib.rs:21:9",
        'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
        '',
        '',
        'failures:',
        '    tests::put_then_get',
        '',
        'test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out'
      )
    )
    expect(results).toEqual([
      expect.objectContaining({
        name: 'tests::put_then_get',
        outcome: 'failed',
        message: 'assertion failed: `(left == right)`\n  left: `2`,\n right: `3`: add_one is off',
        location: { file: 'src/lib.rs', line: 21, column: 9 }
      })
    ])
  })

  it('before 1.73: a dependency panic falls back to the first in-repo backtrace frame', () => {
    const [result] = run(
      lines(
        'running 1 test',
        'test decode_truncated ... ',
        `thread 'decode_truncated' panicked at 'unexpected end of file', ${REGISTRY}/bincode-1.3.3/src/de/mod.rs:120:9`,
        'stack backtrace:',
        '   0: rust_begin_unwind',
        '             at /rustc/90c541806f23a127002de5b4038be731ba1458ca/library/std/src/panicking.rs:578:5',
        '   1: bincode::de::read',
        `             at ${REGISTRY}/bincode-1.3.3/src/de/mod.rs:120:9`,
        '   2: mini_kv::decode',
        '             at ./src/codec.rs:40:9',
        'note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.',
        'FAILED'
      )
    )
    expect(result).toMatchObject({
      outcome: 'failed',
      message: 'unexpected end of file',
      location: { file: 'src/codec.rs', line: 40, column: 9 }
    })
  })

  it('1.73 to 1.90: location first, message on the next lines, no thread id', () => {
    const [result] = run(
      lines(
        'running 1 test',
        'test put_then_get ... ',
        "thread 'put_then_get' panicked at tests/basic.rs:9:5:",
        'assertion `left == right` failed',
        '  left: 1',
        ' right: 2',
        'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
        'FAILED'
      )
    )
    expect(result).toMatchObject({
      message: 'assertion `left == right` failed\n  left: 1\n right: 2',
      location: { file: 'tests/basic.rs', line: 9, column: 5 }
    })
  })

  it('drops locations outside the repository, in the toolchain or above the root', () => {
    const results = run(
      lines(
        'running 2 tests',
        'test in_std ... ',
        "thread 'in_std' (77) panicked at /rustc/0123abcd/library/core/src/num/mod.rs:30:5:",
        'attempt to add with overflow',
        'FAILED',
        'test above_root ... ',
        "thread 'above_root' (78) panicked at ../sibling/src/lib.rs:3:1:",
        'sibling crate gave up',
        'FAILED'
      )
    )
    expect(results.map(result => [result.message, result.location])).toEqual([
      ['attempt to add with overflow', undefined],
      ['sibling crate gave up', undefined]
    ])
  })
})

describe('tests that never finish (hand-written)', () => {
  it('a test libtest warned about after 60 seconds is the one still running at the timeout', () => {
    const parser = new LibtestParser({ repoRoot: ROOT, cwd: ROOT })
    const output = lines(
      '     Running tests/stress.rs (target/debug/deps/stress-0123456789abcdef)',
      '',
      'running 2 tests',
      'test stress_fast ... ok',
      'test stress_compaction has been running for over 60 seconds'
    )
    for (const line of output.split('\n')) parser.line(line)
    expect(parser.running()).toEqual([{ target: 'stress', name: 'stress_compaction' }])
    expect(parser.finish({ timedOut: true, signal: 'SIGKILL', exitCode: null })).toEqual([
      { target: 'stress', name: 'stress_fast', outcome: 'passed' },
      {
        target: 'stress',
        name: 'stress_compaction',
        outcome: 'timed-out',
        message: 'still running when the command timed out'
      }
    ])
  })

  it('a test running when the process was killed by a signal is reported as crashed', () => {
    const [result] = run(lines('running 1 test', 'test soak ... '), {
      timedOut: false,
      signal: 'SIGKILL',
      exitCode: null
    })
    expect(result).toMatchObject({
      outcome: 'crashed',
      message: 'the command was killed by SIGKILL while this test was running'
    })
  })

  it('a test the binary exited during (std::process::exit) is reported as crashed', () => {
    const [result] = run(lines('running 2 tests', 'test exits_early ... '), {
      timedOut: false,
      signal: null,
      exitCode: 0
    })
    expect(result).toMatchObject({
      outcome: 'crashed',
      message: 'the test binary exited with code 0 before this test finished'
    })
  })
})

describe('bounded memory', () => {
  const CAP = 64 * 1024

  it('100 MB of output keeps the captured output under the cap, head and tail kept', () => {
    const parser = new LibtestParser({ repoRoot: ROOT, cwd: ROOT, maxOutputBytes: CAP })
    parser.line('running 1 test')
    parser.line('test flood ... first line of the flood')
    const filler = 'x'.repeat(99)
    for (let i = 0; i < 1_000_000; i++) parser.line(filler)
    parser.line('last line of the flood')
    parser.line('FAILED')
    const [result] = parser.finish(FAILED_RUN)
    const output = result?.output ?? ''
    expect(Buffer.byteLength(output)).toBeLessThanOrEqual(CAP)
    expect(output.startsWith('first line of the flood\n')).toBe(true)
    expect(output.endsWith('\nlast line of the flood')).toBe(true)
    expect(output).toMatch(/… \d+ lines \(\d+ bytes\) left out …/)
  })

  it('one 10 MB line without a newline is cut to fit', () => {
    const text = lines('running 1 test', `test huge_line ... ${'y'.repeat(10_000_000)}`, 'FAILED')
    const [result] = run(text, FAILED_RUN, CAP)
    expect(Buffer.byteLength(result?.output ?? '')).toBeLessThanOrEqual(CAP)
  })

  it('a panic message of thousands of lines keeps only its first hundred lines', () => {
    const message = Array.from({ length: 5000 }, (_, i) => `detail ${i}`)
    const text = lines(
      'running 1 test',
      'test verbose_panic ... ',
      "thread 'verbose_panic' (9) panicked at src/lib.rs:1:1:",
      ...message,
      'FAILED'
    )
    const [result] = run(text)
    const kept = (result?.message ?? '').split('\n')
    expect(kept.length).toBe(101)
    expect(kept[0]).toBe('detail 0')
    expect(kept.at(-1)).toBe('…')
  })
})
