/**
 * Which tests of the test binary now running are known to be in progress, and how those
 * end when the binary stops early. libtest says a test is in progress only with one test
 * thread (`test X ... ` comes before X runs); with several it names a test when the test
 * ends, so the rest comes from the `--list` of what the command selects and from
 * libtest's "running for over 60 seconds" warnings.
 */

/** How the process ended, as the runner saw it. */
export interface ProcessEnd {
  timedOut: boolean
  signal: string | null
  exitCode: number | null
}

/** How tests left running end when their target stops without a summary. */
export interface Ending {
  outcome: 'timed-out' | 'crashed'
  reason: string
}

/** Cargo's report of a test binary that died: `(signal: 6, SIGABRT: …)` or `(exit status: 3)`. */
export const CARGO_EXIT = /^\s*process didn't exit successfully: .* \((signal|exit status): (.+)\)$/

/** Cargo's report of a binary that failed; a crash is followed by `CARGO_EXIT`. */
export const CARGO_FAILED = /^error: (?:test|doctest) failed, to rerun pass /

/** Ending of tests still running when cargo moved on to another binary unannounced. */
export const BINARY_ENDED: Ending = {
  outcome: 'crashed',
  reason: 'the test binary ended before this test finished'
}

/** Tests in progress in one test binary run. */
export class RunningTests {
  /** Test whose `test X ... ` line came without its verdict. */
  private awaiting: string | undefined
  private readonly warned = new Set<string>()
  private readonly expected: Set<string>

  /** `expected`: the tests the command selects in this binary, none of them finished yet. */
  constructor(expected: Iterable<string> = []) {
    this.expected = new Set(expected)
  }

  /** libtest printed `test X ... ` and X's verdict is still to come. */
  started(name: string): void {
    this.awaiting = name
  }

  /** libtest warned X has been running for over 60 seconds. */
  slow(name: string): void {
    this.warned.add(name)
  }

  /** X got its verdict. */
  finished(name: string): void {
    if (this.awaiting === name) this.awaiting = undefined
    this.warned.delete(name)
    this.expected.delete(name)
  }

  /** Names of the tests in progress. */
  names(): string[] {
    // A pending `test X ... ` means tests run one at a time: X is the only one running.
    if (this.awaiting !== undefined) return [this.awaiting]
    if (this.warned.size === 0) return [...this.expected]
    return [...new Set([...this.warned, ...this.expected])]
  }

  /** Whether `name` is in progress; cheap, for every panic. */
  has(name: string): boolean {
    if (this.awaiting !== undefined) return this.awaiting === name
    return this.warned.has(name) || this.expected.has(name)
  }

  /** The test in progress when it is the only one, else undefined; cheap, for every line. */
  sole(): string | undefined {
    if (this.awaiting !== undefined) return this.awaiting
    const count = this.expected.size + [...this.warned].filter(n => !this.expected.has(n)).length
    return count === 1 ? this.names()[0] : undefined
  }

  /** Whether a `test X ... ` line is waiting for its verdict (tests run one at a time). */
  get waiting(): string | undefined {
    return this.awaiting
  }
}

/** How tests left running end when the process ended. */
export function endingOf(end: ProcessEnd): Ending {
  if (end.timedOut) {
    return { outcome: 'timed-out', reason: 'still running when the command timed out' }
  }
  if (end.signal !== null) {
    return {
      outcome: 'crashed',
      reason: `the command was killed by ${end.signal} while this test was running`
    }
  }
  const code = end.exitCode === null ? '' : ` with code ${end.exitCode}`
  return { outcome: 'crashed', reason: `the test binary exited${code} before this test finished` }
}

/** Cargo's `process didn't exit successfully: … (signal: 6, SIGABRT: …)` as an ending. */
export function cargoEnding(line: string): Ending {
  const match = CARGO_EXIT.exec(line)
  const detail = match?.[2] ?? ''
  if (match?.[1] === 'signal') {
    const [number, ...name] = detail.split(', ')
    const named = name.length > 0 ? ` (${name.join(', ')})` : ''
    return {
      outcome: 'crashed',
      reason: `the test binary was killed by signal ${number}${named} while this test was running`
    }
  }
  return {
    outcome: 'crashed',
    reason: `the test binary exited with status ${detail} before this test finished`
  }
}
