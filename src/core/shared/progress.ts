/**
 * Progress lines for work done in steps (rounds of a compare, cycles of a
 * soak): where it is, and what is left, estimated from the steps done so far.
 */
import { formatDuration } from './text.js'

/**
 * `about 3m 20s left`: the mean time of the `done` steps so far times the
 * steps left (`total - done`); '' before any step is done.
 */
export function timeLeft(done: number, total: number, elapsedMs: number): string {
  if (done <= 0 || total <= done) return ''
  return `about ${formatDuration((elapsedMs / done) * (total - done))} left`
}

/**
 * `round 2 of 5, about 3m 20s left` at the start of step `k` of `n`, after
 * `elapsedMs` spent on the steps before it.
 */
export function stepProgress(what: string, k: number, n: number, elapsedMs: number): string {
  const left = timeLeft(k - 1, n, elapsedMs)
  return `${what} ${k} of ${n}${left ? `, ${left}` : ''}`
}
