/** What a shard says of how it was dealt: its expected time, or why it was dealt by count. */
import type { Shard } from './shard.js'
import type { RunNote } from './results.js'
import type { Timings } from './shard-timings.js'

/** `dealt by time: expected 41 s (shards 39–44 s)`. */
export function expectedText(shard: Shard, expected: readonly number[]): string {
  const mine = expected[shard.index - 1] ?? 0
  const low = Math.min(...expected)
  const high = Math.max(...expected)
  return `dealt by time: expected ${seconds(mine)} (shards ${seconds(low)}–${seconds(high)})`
}

/**
 * Why a shard was dealt by count: no timings were given (a notice that says
 * how to give them), or the file timed nothing of this plan (a warning).
 */
export function byCountNote(timings: Timings | undefined, how: string): RunNote {
  if (timings !== undefined) {
    return {
      level: 'warning',
      message: `${timings.file} times none of this plan's tests or cases, so the shards are dealt by count (${how}), not by time. Is it a run of this crate?`
    }
  }
  return {
    level: 'notice',
    message: `The shards are dealt by count (${how}), not by time: give shard-timings (the results.json of an earlier run, e.g. the merged artifact of the last run on the default branch) so they finish close together.`
  }
}

function seconds(s: number): string {
  return s >= 10 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`
}
