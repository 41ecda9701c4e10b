/**
 * The line a soak prints as each cycle starts: `cycle N, elapsed / duration
 * elapsed, ETA`, the ETA being when the loop stops starting cycles.
 */
import { describe, expect, it } from 'vitest'
import { cycleProgress } from '../../../src/core/soak/progress.js'

const sixHours = { durationSecs: 21_600, maxCycles: 0 }

describe('cycleProgress', () => {
  it('gives the cycle, the time spent of the duration and the time left of it', () => {
    expect(cycleProgress(sixHours, 1, 0)).toBe('cycle 1, 0.0s / 6h 00m elapsed, ETA 6h 00m')
    expect(cycleProgress(sixHours, 4, 45 * 60_000)).toBe(
      'cycle 4, 45m 00s / 6h 00m elapsed, ETA 5h 15m'
    )
  })

  it('counts to the deadline when it comes before the duration', () => {
    expect(cycleProgress({ ...sixHours, deadlineSecs: 3600 }, 2, 30 * 60_000)).toMatch(
      /, ETA 30m 00s$/
    )
  })

  it('counts to max-cycles at the mean cycle time so far when that comes first', () => {
    // 3 cycles in 30 min, 10 min each: cycles 4 and 5 of 5 are left, about 20 min.
    expect(cycleProgress({ ...sixHours, maxCycles: 5 }, 4, 30 * 60_000)).toMatch(
      /^cycle 4, 30m 00s \/ 6h 00m elapsed, ETA 20m 00s$/
    )
  })

  it('never gives a negative ETA', () => {
    expect(cycleProgress({ durationSecs: 60, maxCycles: 0 }, 7, 61_000)).toBe(
      'cycle 7, 1m 01s / 1m 00s elapsed, ETA 0.0s'
    )
  })
})
