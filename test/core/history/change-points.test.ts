/**
 * Change points on literal series: a step is found where it is, noise alone
 * is not split, a deterministic step shows after the minimum segment, and a
 * split never falls between two points of the same commit.
 */
import { describe, expect, it } from 'vitest'
import { normal, random } from '../../../scripts/bench/history-series.js'
import {
  changePoints,
  energyStatistics,
  studentT
} from '../../../src/core/history/change-points.js'

/** Normal noise (Box–Muller) around `level`, SD `sd`, as log values. */
function noisy(n: number, level: number, sd: number, next: () => number): number[] {
  return Array.from({ length: n }, () => {
    return Math.log(level) + sd * normal(next)
  })
}

const options = { minSize: 3, alpha: 0.001 }

describe('change points (E-Divisive means, Student t-test)', () => {
  it('finds a 10 % step in 3 % noise at the point it happened', () => {
    const next = random(1)
    const values = [...noisy(40, 100, 0.03, next), ...noisy(40, 110, 0.03, next)]
    const found = changePoints(values, options)
    // Noise may hide the first point or two at the new level, never more.
    expect(found).toHaveLength(1)
    expect(Math.abs(found[0]!.index - 40)).toBeLessThanOrEqual(1)
    expect(found[0]!.t).toBeGreaterThan(found[0]!.critical)
  })

  it('leaves a series of noise alone', () => {
    const next = random(2)
    for (let run = 0; run < 20; run++) {
      expect(changePoints(noisy(120, 100, 0.05, next), options)).toEqual([])
    }
  })

  it('finds a level that came and went, once each level lasted 60 points', () => {
    const next = random(3)
    const values = [
      ...noisy(60, 100, 0.02, next),
      ...noisy(60, 120, 0.02, next),
      ...noisy(60, 100, 0.02, next)
    ]
    expect(changePoints(values, options).map(c => c.index)).toEqual([60, 120])
  })

  it('does not split noise with a slow mode, one run in ten 35 % slower', () => {
    const next = random(4)
    for (let run = 0; run < 50; run++) {
      const values = noisy(120, 100, 0.03, next).map(v => (next() < 0.1 ? v + Math.log(1.35) : v))
      expect(changePoints(values, options)).toEqual([])
    }
  })

  it('finds a step of deterministic counts after three points each side', () => {
    const values = [1000, 1000, 1000, 1010, 1010, 1010].map(Math.log)
    const found = changePoints(values, options)
    expect(found.map(c => c.index)).toEqual([3])
    expect(found[0]!.t).toBe(Infinity)
    // With two points after it, the step has not lasted long enough to be called.
    expect(changePoints(values.slice(0, 5), options)).toEqual([])
    // Counts that never moved have no change point.
    expect(changePoints(Array(8).fill(Math.log(1000)), options)).toEqual([])
  })

  it('never splits where the split is not allowed', () => {
    const values = [1, 1, 1, 1, 2, 2, 2, 2].map(Math.log)
    expect(changePoints(values, { ...options, allowed: i => i !== 4 })).toEqual([])
  })

  it('computes the energy statistic as its definition does', () => {
    const x = [0.1, 0.4, 0.2, 1.3, 1.1, 1.6, 1.2]
    const q = energyStatistics(x, 0, x.length)
    const direct = (k: number): number => {
      const a = x.slice(0, k)
      const b = x.slice(k)
      const pairs = (s: number[]): number => {
        let sum = 0
        for (let i = 0; i < s.length; i++)
          for (let j = i + 1; j < s.length; j++) sum += Math.abs(s[i]! - s[j]!)
        return sum
      }
      let between = 0
      for (const u of a) for (const v of b) between += Math.abs(u - v)
      const m = a.length
      const r = b.length
      const e =
        (2 * between) / (m * r) - pairs(a) / ((m * (m - 1)) / 2) - pairs(b) / ((r * (r - 1)) / 2)
      return ((m * r) / (m + r)) * e
    }
    for (let k = 2; k <= x.length - 2; k++) expect(q[k]).toBeCloseTo(direct(k), 12)
    expect(q.indexOf(Math.max(...q))).toBe(3)
  })

  it("gives Student's t with the pooled variance", () => {
    const { t, df } = studentT([1, 2, 3, 4], [3, 4, 5, 6, 7])
    // mean 2.5 (var 5/3) against 5 (var 2.5): pooled (3·5/3 + 4·2.5) / 7 = 15/7,
    // se = sqrt(15/7 · (1/4 + 1/5)) = 0.98198
    expect(t).toBeCloseTo(2.5 / 0.98198, 4)
    expect(df).toBe(7)
  })
})
