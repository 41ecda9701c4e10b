/**
 * The perf gate's verdict: each case's base and head rounds judged against
 * its threshold, which cases to measure again, and whether the gate passes.
 */
import { describe, expect, it } from 'vitest'
import type { CaseComparison } from '../../../../src/core/perf/results.js'
import {
  compareCases,
  gateDecision,
  suspects,
  type CompareOptions
} from '../../../../src/core/perf/judge/verdict.js'

/** Per-round estimates in microseconds, so the literals stay readable. */
function rounds(cases: Record<string, number[]>): Map<string, number[]> {
  return new Map(Object.entries(cases).map(([id, us]) => [id, us.map(u => u * 1000)]))
}

const REFERENCE: CompareOptions = { gate: 'threshold', thresholdPct: 20, minBaseNs: 10000 }
const NOISE_AWARE: CompareOptions = { gate: 'noise-aware', thresholdPct: 5, minBaseNs: 10000 }

function only(base: number[], head: number[], options = NOISE_AWARE): CaseComparison {
  const [c] = compareCases(rounds({ case: base }), rounds({ case: head }), options)
  return c!
}

describe('the reference rule (gate: threshold)', () => {
  const compared = compareCases(
    rounds({ at: [100], above: [100], faster: [100], tiny: [5], gone: [100] }),
    rounds({ at: [120], above: [120.001], faster: [79], tiny: [50], added: [100] }),
    REFERENCE
  )
  const byId = new Map(compared.map(c => [c.id, c]))

  it('computes delta_pct = (head - base) / base * 100 on one round', () => {
    expect(byId.get('at')).toMatchObject({ baseNs: 100000, headNs: 120000, delta_pct: 20 })
    expect(byId.get('faster')!.delta_pct).toBe(-21)
  })

  it('does not regress a case exactly at the threshold, only above it', () => {
    expect(byId.get('at')!.verdict).toBe('unchanged')
    expect(byId.get('above')).toMatchObject({ verdict: 'regressed', thresholdPct: 20 })
    expect(byId.get('above')!.reason).toBe('+20.0% is above the 20% threshold')
  })

  it('calls a speedup beyond the threshold improved', () => {
    expect(byId.get('faster')).toMatchObject({
      verdict: 'improved',
      reason: '-21.0% is below -20%'
    })
  })

  it('gives no interval for a single round', () => {
    expect(compared.every(c => c.ci === undefined)).toBe(true)
  })

  it('skips a case whose base is below min_base_ns, whatever head did', () => {
    expect(byId.get('tiny')).toMatchObject({
      verdict: 'skipped',
      baseNs: 5000,
      headNs: 50000,
      reason: 'base 5000 ns is below min_base_ns 10000'
    })
    expect(byId.get('tiny')!.delta_pct).toBeUndefined()
  })

  it('reports cases on one side only as new or missing, without a delta', () => {
    expect(byId.get('added')).toMatchObject({ verdict: 'new', reason: 'measured on head only' })
    expect(byId.get('gone')).toMatchObject({ verdict: 'missing', reason: 'measured on base only' })
    expect(byId.get('added')!.delta_pct).toBeUndefined()
  })

  it('sorts the largest slowdown first and cases without a delta last, by id', () => {
    expect(compared.map(c => c.id)).toEqual(['above', 'at', 'faster', 'added', 'gone', 'tiny'])
  })

  it('judges by the Δ of the medians alone with several rounds, and shows no interval it does not read', () => {
    const c = only([100, 100, 100], [130, 90, 140], REFERENCE)
    expect(c).toMatchObject({ verdict: 'regressed', delta_pct: 30 })
    expect(c.ci).toBeUndefined()
  })
})

describe('the noise-aware gate', () => {
  it('calls identical rounds unchanged, with an interval of exactly zero', () => {
    const c = only([100, 101, 99, 100, 102], [100, 101, 99, 100, 102])
    expect(c).toMatchObject({ verdict: 'unchanged', delta_pct: 0, ci: { low: 0, high: 0 } })
    expect(c.reason).toBeUndefined()
  })

  it('calls jitter around the same speed unchanged, the interval spanning zero', () => {
    const c = only([100, 101, 99, 100, 102], [101, 99, 100, 102, 100])
    expect(c.verdict).toBe('unchanged')
    expect(c.ci!.low).toBeLessThan(0)
    expect(c.ci!.high).toBeGreaterThan(0)
  })

  it('calls a clear 50% slowdown over 5 rounds regressed', () => {
    const c = only([100, 101, 99, 100, 102], [150, 152, 149, 151, 150])
    expect(c.verdict).toBe('regressed')
    expect(c.delta_pct).toBeCloseTo(50, 0)
    expect(c.ci!.low).toBeGreaterThan(45)
    expect(c.reason).toMatch(
      /^\+(49|50)\.\d% is above the 5% threshold and its 95% interval \(\+4\d\.\d% to \+5\d\.\d%\) lies above 0$/
    )
  })

  it('calls a 7% slowdown lost in jitter inconclusive, not regressed', () => {
    const c = only([100, 100, 100, 100, 100], [107, 140, 80, 125, 95])
    // Δ is the paired estimate (the mean log ratio), the center of the interval shown.
    expect(c.delta_pct).toBeCloseTo(7.3, 1)
    expect(c.verdict).toBe('inconclusive')
    expect(c.ci!.low).toBeLessThan(0)
    expect(c.reason).toMatch(
      /^its 95% interval \(-\d+\.\d% to \+\d+\.\d%\) reaches past ±5%: these rounds resolve ±\d+\.\d%$/
    )
    expect(c.resolutionPct).toBeCloseTo((c.ci!.high - c.ci!.low) / 2, 10)
  })

  it('calls a clear but small slowdown under the threshold unchanged', () => {
    const c = only([100, 101, 99, 100, 102], [102, 103, 101, 102, 104])
    expect(c.ci!.low).toBeGreaterThan(0)
    expect(c.verdict).toBe('unchanged')
  })

  it('calls a clear speedup improved', () => {
    const c = only([100, 101, 99, 100, 102], [60, 61, 59, 60, 62])
    expect(c.verdict).toBe('improved')
    expect(c.ci!.high).toBeLessThan(-35)
  })

  it('calls a speedup lost in jitter inconclusive, never unchanged with a Δ past the threshold', () => {
    const c = only([100, 100, 100, 100, 100], [90, 105, 80, 100, 88])
    expect(c.delta_pct).toBeLessThan(-5)
    expect(c.ci!.high).toBeGreaterThan(0)
    expect(c.verdict).toBe('inconclusive')
  })

  it('calls a flat median inconclusive when the rounds scatter too widely to rule out a slowdown', () => {
    const c = only([100, 100, 100, 100, 100], [100, 60, 140, 75, 130])
    expect(c.ci!.low).toBeLessThan(c.delta_pct!)
    expect(c.ci!.high).toBeGreaterThan(c.delta_pct!)
    expect(c.verdict).toBe('inconclusive')
    expect(c.reason).toMatch(/^its 95% interval .* reaches past ±5%/)
  })

  it('judges a slowdown the paired rounds show though the medians hide it: Δ is the paired estimate', () => {
    // The rounds drift, and the one pair that barely changed sits in the middle: the medians
    // would say +4 %, every other pair says +10 %. Δ and its interval are one estimate.
    const c = only([80, 90, 100, 110, 120], [88, 99, 104, 121, 132])
    expect(c.delta_pct).toBeCloseTo(8.8, 1)
    expect(c.ci!.low).toBeGreaterThan(5)
    expect(c.verdict).toBe('regressed')
  })

  it('cancels machine drift that a round shares between base and head', () => {
    const drift = [1, 1.3, 0.8, 1.15, 0.9]
    const c = only(
      drift.map(d => 100 * d),
      drift.map(d => 110 * d)
    )
    expect(c.verdict).toBe('regressed')
    expect(c.ci!.low).toBeCloseTo(10, 6)
    expect(c.ci!.high).toBeCloseTo(10, 6)
  })

  it('pairs rounds by index and takes medians over every round a side measured', () => {
    const c = only([100, 100, 100, NaN, 100], [150, 150, 150, 150])
    expect(c).toMatchObject({ baseNs: 100000, headNs: 150000, delta_pct: 50, verdict: 'regressed' })
    expect(c.baseRounds).toHaveLength(5)
  })

  describe('which interval: the rounds of the whole compare choose', () => {
    // Base and head rounds that share nothing: each side's spread is A/A noise.
    const base = [100, 112, 94, 106, 90]
    const head = [104, 91, 110, 97, 108]

    it("calls rounds that share nothing unchanged on each side's own spread when it lies within ±threshold", () => {
      const c = only(base, head, { ...NOISE_AWARE, thresholdPct: 20 })
      // The paired ratios alone (4 degrees of freedom) give -17% to +25%: past ±20 %.
      expect(c.ci!.low).toBeCloseTo(-10.04, 2)
      expect(c.ci!.high).toBeCloseTo(14.89, 2)
      expect(c).toMatchObject({ verdict: 'unchanged', estimate: 'sides' })
      expect(c.delta_pct).toBeGreaterThan(c.ci!.low)
      expect(c.delta_pct).toBeLessThan(c.ci!.high)
    })

    it('never calls an interval of -10 to +15 % unchanged at a 5 % threshold', () => {
      // The contradiction of `UNCHANGED -19.1 % [-53.2, +59.2] %` at 20 %: no longer possible.
      const c = only(base, head)
      expect(c.verdict).toBe('inconclusive')
      expect(c.estimate).toBeUndefined()
      expect(c.delta_pct).toBeGreaterThan(c.ci!.low)
      expect(c.delta_pct).toBeLessThan(c.ci!.high)
    })

    it("never calls a regression on each side's spread alone, only on the paired ratios", () => {
      // An A/A case measured on a loaded machine: the middle rounds of head ran slow, those of
      // base fast; each side's own spread excludes no change, the paired ratios do not.
      const c = only(
        [123, 176, 106, 115, 104, 108, 108, 112, 114, 118],
        [129, 169, 133, 111, 128, 143, 130, 127, 121, 86]
      )
      expect(c.delta_pct).toBeGreaterThan(5)
      expect(c.verdict).toBe('inconclusive')
      expect(c.ci!.low).toBeLessThan(0)
    })

    it('keeps the paired interval for every case when the rounds share the drift of the machine', () => {
      const drift = [1, 1.3, 0.8, 1.15, 0.9]
      const drifting = Object.fromEntries(
        Array.from({ length: 6 }, (_, i) => [`drift${i}`, drift.map(d => 100 * d)])
      )
      const compared = compareCases(
        rounds({ ...drifting, quiet: base }),
        rounds({
          ...Object.fromEntries(Object.keys(drifting).map(id => [id, drift.map(d => 101 * d)])),
          quiet: head
        }),
        NOISE_AWARE
      )
      const quiet = compared.find(c => c.id === 'quiet')!
      // The paired interval of the quiet case, at the level for 7 cases: wider than its own spread's.
      expect(quiet.ci!.high - quiet.ci!.low).toBeGreaterThan(60)
      expect(quiet.verdict).toBe('inconclusive')
      expect(compared.find(c => c.id === 'drift0')!.ci!.low).toBeCloseTo(1, 6)
    })
  })

  describe('with fewer than 3 paired rounds', () => {
    it('calls a slowdown above the threshold inconclusive, never regressed, and shows no interval', () => {
      const c = only([100, 100], [130, 131])
      expect(c.verdict).toBe('inconclusive')
      expect(c.ci).toBeUndefined()
      expect(c.resolutionPct).toBeUndefined()
      expect(c.reason).toBe('2 paired rounds give no interval (3 needed)')
    })

    it('calls a speedup inconclusive, never unchanged (the −51.8 % that read unchanged)', () => {
      const c = only([100], [70])
      expect(c.verdict).toBe('inconclusive')
      expect(c.delta_pct).toBeCloseTo(-30, 6)
      expect(c.reason).toBe('1 paired round gives no interval (3 needed)')
    })

    it('calls a change within the threshold inconclusive too: without an interval nothing is judged', () => {
      expect(only([100, 100], [101, 102]).verdict).toBe('inconclusive')
    })
  })

  describe('across many cases (Bonferroni)', () => {
    /** n cases case0 … case(n-1), all with the same rounds. */
    const cases = (n: number, us: number[]): Map<string, number[]> =>
      rounds(Object.fromEntries(Array.from({ length: n }, (_, i) => [`case${i}`, us])))
    const flat = [100, 100, 100, 100, 100]
    const noisy = [101, 98, 104, 99, 103]
    const width = (n: number, familyWise = true): number => {
      const [c] = compareCases(cases(n, flat), cases(n, noisy), { ...NOISE_AWARE, familyWise })
      return c!.ci!.high - c!.ci!.low
    }

    it('widens each interval as the number of compared cases grows', () => {
      expect(width(1)).toBeLessThan(width(5))
      expect(width(5)).toBeLessThan(width(20))
    })

    it('keeps the per-case level when family-wise correction is off', () => {
      expect(width(20, false)).toBeCloseTo(width(1), 10)
    })

    it('names the adjusted level in the reason', () => {
      const head = cases(10, noisy).set('case0', [150000, 150000, 151000, 149000, 150000])
      const [c] = compareCases(cases(10, flat), head, NOISE_AWARE)
      expect(c).toMatchObject({ id: 'case0', verdict: 'regressed' })
      expect(c!.reason).toMatch(/its 99\.5% interval/)
    })

    it('counts only compared cases in the family', () => {
      const compared = compareCases(
        rounds({ a: [100, 100, 100], tiny: [1, 1, 1], gone: [100, 100, 100] }),
        rounds({ a: [150, 151, 149], tiny: [1, 1, 1], added: [5, 5, 5] }),
        NOISE_AWARE
      )
      expect(compared[0]!.reason).toMatch(/its 95% interval/)
    })
  })

  it('applies per-case thresholds, the last matching pattern winning', () => {
    const compared = compareCases(
      rounds({
        'Get/K16': [100, 100, 100],
        'Get/K32': [100, 100, 100],
        'Put/K16': [100, 100, 100]
      }),
      rounds({
        'Get/K16': [130, 130, 131],
        'Get/K32': [130, 130, 131],
        'Put/K16': [130, 130, 131]
      }),
      {
        ...NOISE_AWARE,
        thresholdPct: 20,
        caseThresholds: [
          { pattern: 'Get/*', thresholdPct: 50 },
          { pattern: 'Get/K32', thresholdPct: 25 }
        ]
      }
    )
    expect(compared.map(c => [c.id, c.thresholdPct, c.verdict])).toEqual([
      ['Get/K16', 50, 'unchanged'],
      ['Get/K32', 25, 'regressed'],
      ['Put/K16', 20, 'regressed']
    ])
  })
})

describe('suspects', () => {
  it('keeps measuring the regressed and inconclusive cases: only unchanged or improved ends one early', () => {
    const compared = compareCases(
      rounds({
        slow: [100, 101, 99, 100, 102],
        maybe: [100, 100, 100, 100, 100],
        vague: [100, 100, 100, 100, 100],
        few: [100, 100],
        same: [100, 100, 100]
      }),
      rounds({
        slow: [150, 152, 149, 151, 150],
        maybe: [107, 140, 80, 125, 95],
        vague: [100, 60, 140, 75, 130],
        few: [130, 131],
        same: [100, 100, 100]
      }),
      { ...NOISE_AWARE, familyWise: false }
    )
    expect(suspects(compared)).toEqual(['slow', 'few', 'maybe', 'vague'])
    // Measured again or not, a regression is judged on the last rounds measuring allows.
    const again = compared.map(c => (c.id === 'slow' ? { ...c, remeasured: true } : c))
    expect(suspects(again)).toEqual(['slow', 'few', 'maybe', 'vague'])
    expect(compared.find(c => c.id === 'same')!.verdict).toBe('unchanged')
  })
})

describe('outlier rounds in a compare', () => {
  // Five A/A rounds whose three middle ratios happen to lie close: their own MAD alone would make
  // the two ordinary outer rounds outliers; the compare's other cases show the real spread.
  const close = { base: [100, 100, 100, 100, 100], head: [88, 100.2, 100, 99.8, 112] }
  const spread = { base: [100, 100, 100, 100, 100], head: [90, 95, 100, 105, 110] }

  it("leaves out no ordinary round of a case whose MAD is below the compare's", () => {
    const [alone] = compareCases(rounds({ c: close.base }), rounds({ c: close.head }), NOISE_AWARE)
    const together = compareCases(
      rounds({ c: close.base, d: spread.base, e: spread.base }),
      rounds({ c: close.head, d: spread.head, e: spread.head }),
      NOISE_AWARE
    )
    expect(alone!.outlierRounds).toBe(1)
    expect(together.find(x => x.id === 'c')!.outlierRounds).toBeUndefined()
  })

  it('still leaves out a round in another speed mode', () => {
    const steady = [100, 101, 99, 100, 102, 98, 100]
    const compared = compareCases(
      rounds({ c: steady, d: steady }),
      rounds({ c: [101, 100, 100, 101, 101, 99, 170], d: [100, 102, 98, 101, 101, 97, 101] }),
      NOISE_AWARE
    )
    expect(compared.find(x => x.id === 'c')!.outlierRounds).toBe(1)
  })
})

describe('gateDecision', () => {
  const limits = { maxRegressCases: 0, minCompareCases: 2 }
  const compare = (
    base: Record<string, number[]>,
    head: Record<string, number[]>
  ): CaseComparison[] => compareCases(rounds(base), rounds(head), REFERENCE)

  it('passes when enough cases were compared and none regressed', () => {
    const decision = gateDecision(compare({ a: [100], b: [100] }, { a: [101], b: [90] }), limits)
    expect(decision).toEqual({
      outcome: 'pass',
      passed: true,
      reasons: [],
      counts: {
        compared: 2,
        regressed: 0,
        improved: 0,
        unchanged: 2,
        inconclusive: 0,
        skipped: 0,
        new: 0,
        missing: 0
      }
    })
  })

  it('fails when more cases regressed than allowed, listing them', () => {
    const decision = gateDecision(
      compare({ a: [100], b: [100], c: [100] }, { a: [150], b: [130], c: [100] }),
      limits
    )
    expect(decision.passed).toBe(false)
    expect(decision.reasons).toEqual(['2 cases regressed, more than max_regress_cases 0: a, b'])
    expect(
      gateDecision(compare({ a: [100], b: [100] }, { a: [150], b: [100] }), {
        ...limits,
        maxRegressCases: 1
      }).passed
    ).toBe(true)
  })

  it('fails when fewer cases were compared than required, naming both numbers', () => {
    const decision = gateDecision(
      compare({ a: [100], tiny: [1], gone: [100] }, { a: [100], tiny: [1], added: [100] }),
      limits
    )
    expect(decision.reasons).toEqual([
      '1 case compared, fewer than min_compare_cases 2: set min-compare-cases to 1 or less to judge it'
    ])
    const skippedTooMany = gateDecision(
      compare({ tiny: [1], small: [2] }, { tiny: [1], small: [2] }),
      {
        ...limits,
        minBaseNs: 10000,
        minCompareCasesFrom: 'MACE_PERF_MIN_COMPARE_CASES in scripts/perf_thresholds.env:4'
      }
    )
    expect(skippedTooMany.reasons).toEqual([
      '0 cases compared, fewer than min_compare_cases 2 (MACE_PERF_MIN_COMPARE_CASES in scripts/perf_thresholds.env:4): 2 cases were skipped as shorter than min_base_ns 10000: set min-base-ns to 0 to judge them on their own noise'
    ])
    // The threshold gate judges no noise, and when even every skipped case would be too few,
    // one message names both settings that must change.
    const thresholdGate = gateDecision(
      compare({ a: [100], tiny: [1], small: [2] }, { a: [100], tiny: [1], small: [2] }),
      { ...limits, gate: 'threshold', minBaseNs: 10000, minCompareCases: 6 }
    )
    expect(thresholdGate.reasons).toEqual([
      '1 case compared, fewer than min_compare_cases 6: 2 cases were skipped as shorter than ' +
        'min_base_ns 10000: set min-base-ns to 0 and min-compare-cases to 3 or less to judge them ' +
        'by the threshold alone; or set min-compare-cases to 1 or less to judge it'
    ])
    const named = gateDecision(compare({ a: [100] }, { a: [100] }), {
      ...limits,
      minCompareCasesFrom: 'flag --min-compare-cases'
    })
    expect(named.reasons[0]).toBe(
      '1 case compared, fewer than min_compare_cases 2 (flag --min-compare-cases): set min-compare-cases to 1 or less to judge it'
    )
    expect(decision.counts).toMatchObject({ compared: 1, skipped: 1, new: 1, missing: 1 })
  })

  it('fails when no case was compared, even where min_compare_cases allows zero', () => {
    // Renamed: the base's case is missing on head, the head's is new; nothing was compared.
    const renamed = gateDecision(compare({ old: [100] }, { renamed: [100] }), {
      maxRegressCases: 0,
      minCompareCases: 0
    })
    expect(renamed.passed).toBe(false)
    expect(renamed.reasons).toEqual([
      'no case was compared on both sides (above min_base_ns): nothing was measured'
    ])
  })

  it('fails when a side measured no cases at all', () => {
    const noHead = gateDecision(compare({ a: [100] }, {}), {
      maxRegressCases: 0,
      minCompareCases: 0
    })
    expect(noHead.reasons).toEqual(['no cases were measured on head'])
    const nothing = gateDecision([], { maxRegressCases: 0, minCompareCases: 0 })
    expect(nothing.reasons).toEqual([
      'no cases were measured on base',
      'no cases were measured on head'
    ])
  })

  it('reports inconclusive cases as not judged, passing the step by default', () => {
    const compared = compareCases(
      rounds({ a: [100, 100, 100, 100, 100], b: [100, 100, 100] }),
      rounds({ a: [107, 140, 80, 125, 95], b: [100, 100, 100] }),
      NOISE_AWARE
    )
    const decision = gateDecision(compared, limits)
    expect(decision).toMatchObject({ outcome: 'not-judged', passed: true, reasons: [] })
    expect(decision.counts).toMatchObject({ compared: 2, inconclusive: 1, unchanged: 1 })
  })

  it('fails a compare with one inconclusive case under inconclusive: fail', () => {
    const compared = compareCases(
      rounds({ a: [100, 100, 100, 100, 100], b: [100, 100, 100] }),
      rounds({ a: [107, 140, 80, 125, 95], b: [100, 100, 100] }),
      NOISE_AWARE
    )
    const decision = gateDecision(compared, { ...limits, inconclusive: 'fail' })
    expect(decision).toMatchObject({ outcome: 'not-judged', passed: false })
    expect(decision.reasons).toEqual([
      '1 of 2 compared cases could not be judged (inconclusive), and inconclusive is fail'
    ])
  })

  it('passes a base without the bench target (the change adds it), its cases new', () => {
    const decision = gateDecision(compare({}, { a: [100], b: [50] }), {
      ...limits,
      baseHasNoBench: true
    })
    expect(decision).toMatchObject({ outcome: 'pass', passed: true, reasons: [] })
    expect(decision.counts).toMatchObject({ compared: 0, new: 2 })
    // Without that fact, a base that measured nothing still fails.
    expect(gateDecision(compare({}, { a: [100] }), limits).passed).toBe(false)
  })

  describe('when every compared case is inconclusive', () => {
    const allNoisy = (): CaseComparison[] =>
      compareCases(
        rounds({ a: [100, 100, 100, 100, 100], b: [100, 100, 100, 100, 100] }),
        rounds({ a: [107, 140, 80, 125, 95], b: [130, 90, 150, 85, 120] }),
        NOISE_AWARE
      )

    it('is not judged, and passes the step by default (inconclusive: pass)', () => {
      const decision = gateDecision(allNoisy(), limits)
      expect(decision.counts).toMatchObject({ compared: 2, inconclusive: 2 })
      expect(decision).toMatchObject({ outcome: 'not-judged', passed: true })
    })

    it('fails with inconclusive: fail, saying how many could not be judged', () => {
      const decision = gateDecision(allNoisy(), { ...limits, inconclusive: 'fail' })
      expect(decision.passed).toBe(false)
      expect(decision.reasons).toEqual([
        '2 of 2 compared cases could not be judged (inconclusive), and inconclusive is fail'
      ])
    })
  })
})

describe('error rates under simulated noise (seeded, 5 rounds, 5% CV, 5% threshold)', () => {
  /** mulberry32: a small seeded PRNG, so every run sees the same noise. */
  function prng(seed: number): () => number {
    let s = seed
    return () => {
      s = (s + 0x6d2b79f5) | 0
      let t = Math.imul(s ^ (s >>> 15), 1 | s)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }
  // Log-normal noise with a 5% coefficient of variation per process estimate.
  const sigma = Math.sqrt(Math.log(1 + 0.05 ** 2))

  /** Compares `cases` simulated cases; each test seeds its own noise, so order does not matter. */
  function simulate(
    seed: number,
    cases: number,
    slowdown: (i: number) => number,
    familyWise: boolean
  ): CaseComparison[] {
    const random = prng(seed)
    const normal = (): number =>
      Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
    const measure = (ns: number): number[] =>
      Array.from({ length: 5 }, () => ns * Math.exp(sigma * normal()))
    const base = new Map<string, number[]>()
    const head = new Map<string, number[]>()
    for (let i = 0; i < cases; i++) {
      base.set(`case${i}`, measure(100_000))
      head.set(`case${i}`, measure(100_000 * slowdown(i)))
    }
    return compareCases(base, head, { ...NOISE_AWARE, familyWise })
  }
  const share = (cs: CaseComparison[], keep: (c: CaseComparison) => boolean): number =>
    cs.filter(keep).length / cs.length

  it('flags few of 1000 unchanged cases judged one by one (expected ~1.5%)', () => {
    const aa = simulate(1, 1000, () => 1, false)
    expect(share(aa, c => c.verdict === 'regressed')).toBeLessThanOrEqual(0.03)
  })

  it('catches a 20% slowdown in at least 95% of 1000 cases judged one by one', () => {
    const slow = simulate(2, 1000, () => 1.2, false)
    expect(share(slow, c => c.verdict === 'regressed')).toBeGreaterThanOrEqual(0.95)
  })

  it('rarely fails a gate of 6 unchanged cases with the Bonferroni correction (expected ~1.5%)', () => {
    const gates = Array.from({ length: 300 }, (_, g) =>
      gateDecision(
        simulate(100 + g, 6, () => 1, true),
        { maxRegressCases: 0, minCompareCases: 6 }
      )
    )
    expect(gates.filter(gate => !gate.passed).length / gates.length).toBeLessThanOrEqual(0.05)
  })

  it('puts every Δ inside its interval and calls nothing unchanged outside ±threshold', () => {
    const all = [1, 1.03, 1.05, 1.1, 1.2].flatMap((slow, k) =>
      Array.from({ length: 40 }, (_, g) => simulate(5000 + 100 * k + g, 6, () => slow, true)).flat()
    )
    for (const c of all) {
      expect(c.ci!.low).toBeLessThanOrEqual(c.delta_pct!)
      expect(c.ci!.high).toBeGreaterThanOrEqual(c.delta_pct!)
      if (c.verdict === 'unchanged') {
        expect(c.ci!.low).toBeGreaterThanOrEqual(-c.thresholdPct)
        expect(c.ci!.high).toBeLessThanOrEqual(c.thresholdPct)
      }
    }
  })

  it('makes a 20% slowdown among 6 cases a suspect to re-measure, nearly always', () => {
    const caught = Array.from({ length: 300 }, (_, g) =>
      suspects(simulate(1000 + g, 6, i => (i === 0 ? 1.2 : 1), true)).includes('case0')
    )
    expect(caught.filter(Boolean).length / caught.length).toBeGreaterThanOrEqual(0.97)
  })
})
