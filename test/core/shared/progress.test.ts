/**
 * Progress of work done in steps, as the log shows it: `round k of n`, and
 * after the first step an estimate of what is left from the steps so far.
 */
import { describe, expect, it } from 'vitest'
import { stepProgress, timeLeft } from '../../../src/core/shared/progress.js'

describe('stepProgress', () => {
  it('names the step and the count, with no estimate before a step has ended', () => {
    expect(stepProgress('round', 1, 5, 0)).toBe('round 1 of 5')
  })

  it('estimates what is left from the mean step so far', () => {
    // Two rounds took 100 s: rounds 3, 4 and 5 are left, about 150 s.
    expect(stepProgress('round', 3, 5, 100_000)).toBe('round 3 of 5, about 2m 30s left')
    expect(stepProgress('re-measuring round', 2, 2, 30_000)).toBe(
      're-measuring round 2 of 2, about 30.0s left'
    )
  })
})

describe('timeLeft', () => {
  it('is empty when nothing is done yet or nothing is left', () => {
    expect(timeLeft(0, 5, 0)).toBe('')
    expect(timeLeft(5, 5, 10_000)).toBe('')
  })

  it('reads in hours for long work', () => {
    expect(timeLeft(1, 4, 40 * 60_000)).toBe('about 2h 00m left')
  })
})
