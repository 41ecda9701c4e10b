/**
 * How the tests of a test binary end when it stops early (timeout, signal, crash), in
 * the words reports use: the outcome of the tests that were running, and the cause that
 * also explains the tests that never ran.
 */

/** How the process ended, as the runner saw it. */
export interface ProcessEnd {
  timedOut: boolean
  signal: string | null
  exitCode: number | null
  /** The run was cancelled: tests still running are `cancelled`, not crashed. */
  cancelled?: boolean
}

/** How tests left running end when their target stops without a summary. */
export interface Ending {
  outcome: 'timed-out' | 'crashed' | 'cancelled'
  /** Said of a test that was running: `still running when the command timed out`. */
  reason: string
  /** What stopped it, said of tests that never ran: `the command timed out`. */
  cause: string
  /** Cargo reported the test binary's death (a signal or an exit status). */
  fromCargo?: boolean
}

/** Cargo's report of a test binary that died: `(signal: 6, SIGABRT: …)` or `(exit status: 3)`. */
export const CARGO_EXIT = /^\s*process didn't exit successfully: .* \((signal|exit status): (.+)\)$/

/** Cargo's report of a binary that failed; a crash is followed by `CARGO_EXIT`. */
export const CARGO_FAILED = /^error: (?:test|doctest) failed, to rerun pass /

/** Ending of tests still running when cargo moved on to another binary unannounced. */
export const BINARY_ENDED: Ending = {
  outcome: 'crashed',
  reason: 'the test binary ended before this test finished',
  cause: 'the test binary ended'
}

/** How tests left running end when the process ended. */
export function endingOf(end: ProcessEnd): Ending {
  if (end.cancelled === true) {
    return {
      outcome: 'cancelled',
      reason: 'still running when the run was cancelled',
      cause: 'the run was cancelled'
    }
  }
  if (end.timedOut) {
    return {
      outcome: 'timed-out',
      reason: 'still running when the command timed out',
      cause: 'the command timed out'
    }
  }
  if (end.signal !== null) {
    const cause = `the command was killed by ${end.signal}`
    return { outcome: 'crashed', reason: `${cause} while this test was running`, cause }
  }
  const cause = `the test binary exited${end.exitCode === null ? '' : ` with code ${end.exitCode}`}`
  return { outcome: 'crashed', reason: `${cause} before this test finished`, cause }
}

/** Cargo's `process didn't exit successfully: … (signal: 6, SIGABRT: …)` as an ending. */
export function cargoEnding(line: string): Ending {
  const match = CARGO_EXIT.exec(line)
  const detail = match?.[2] ?? ''
  if (match?.[1] === 'signal') {
    const [number, ...name] = detail.split(', ')
    const named = name.length > 0 ? ` (${name.join(', ')})` : ''
    const cause = `the test binary was killed by signal ${number}${named}`
    return {
      outcome: 'crashed',
      reason: `${cause} while this test was running`,
      cause,
      fromCargo: true
    }
  }
  const cause = `the test binary exited with status ${detail}`
  return {
    outcome: 'crashed',
    reason: `${cause} before this test finished`,
    cause,
    fromCargo: true
  }
}
