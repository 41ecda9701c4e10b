import { describe, expect, it } from 'vitest'
import { renderPerfSummary } from '../../../../src/core/perf/render/summary.js'
import {
  allInconclusive,
  cancelledCompare,
  compare,
  comparison,
  HOSTILE_ID,
  hostileCompare,
  inconclusive,
  manyCases,
  markdownHazards,
  newAndMissing,
  passedCompare,
  snapshot,
  tooFewCases,
  twoRegressed,
  unchanged,
  zeroCases
} from './fixtures.js'

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

describe('perf job summary of a compare', () => {
  it('puts the verdict first, then refs, gate, counts, the table and what the gate means', () => {
    const summary = renderPerfSummary(passedCompare())
    const lines = summary.split('\n')
    expect(lines[0]).toBe(
      '### ✅ perf gate passed: no case regressed beyond 5 %; this run resolves changes of ±2.0 % (the threshold is 5 %)'
    )
    expect(summary).toContain(
      '- **Base** <code>origin\\/master</code> at <code>1111111</code> · **Head** <code>2222222</code>'
    )
    expect(summary).toContain(
      '- **Gate** noise\\-aware gate on wall time\\, 5 rounds\\, threshold 5 \\%'
    )
    expect(summary).toContain(
      '- **Cases** 7 compared: 0 regressed, 1 improved, 0 inconclusive, 6 unchanged; 0 skipped, 0 new, 0 missing'
    )
    expect(summary).toContain(
      '| Case | Base median | Head median | Δ | Interval | Resolves | Verdict |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |\n' +
        '| <code>Get\\/K16\\/1</code> | 1.00 ms | 875 µs | -12.5 % | [-15.0, -10.0] % | ±2.5 % | 🟢 improved |'
    )
    expect(summary).toContain(
      '- **Resolution** this run resolves changes of ±2\\.0 \\% \\(the threshold is 5 \\%\\)'
    )
    expect(summary).not.toContain('Why it failed')
    // The explanation is the rule table the verdict applied, rendered.
    expect(summary.trimEnd().split('\n').at(-1)).toMatch(
      /^_Noise-aware gate: .*regressed when its Δ is above its threshold and its whole interval lies above 0; .*unchanged when its whole interval lies within ± its threshold\. Base median and Head median are each side's median over its rounds, for scale only: unpaired, so when the runner's load shifts between rounds their ratio can differ from Δ, even in sign; Δ and its interval are what the verdict reads\. A compare with a case it could not judge is not judged: the step passes, the check run is neutral \(inconclusive: pass\)\._$/
    )
  })

  it('names the regressed cases in the verdict and lists them largest slowdown first', () => {
    const summary = renderPerfSummary(twoRegressed())
    expect(summary.split('\n')[0]).toBe(
      '### ❌ perf gate failed: 2 cases regressed beyond 5 %: <code>Scan\\/1000</code>, <code>Put\\/K16\\-V16\\/1</code>'
    )
    expect(summary).toContain(
      '**Why it failed**\n\n- 2 cases regressed beyond 5 \\% \\(at most 0 allowed\\)'
    )
    const scan = summary.indexOf('| <code>Scan\\/1000</code> | 1.00 ms | 1.30 ms | +30.0 % |')
    const put = summary.indexOf(
      '| <code>Put\\/K16\\-V16\\/1</code> | 3.21 ms | 3.60 ms | +12.3 % | [+8.1, +16.9] % | ±4.4 % | 🔴 regressed |'
    )
    expect(scan).toBeGreaterThan(0)
    expect(put).toBeGreaterThan(scan)
    expect(summary).toContain('🔴 regressed (remeasured: 10 rounds)')
  })

  it('folds unchanged cases into a details block below the main table', () => {
    const summary = renderPerfSummary(twoRegressed())
    const folded = summary.indexOf('<details><summary>⚪ 6 unchanged</summary>\n\n| Case |')
    expect(folded).toBeGreaterThan(summary.indexOf('🔴 regressed'))
    expect(summary).toContain(
      '| <code>Steady\\/4</code> | 1.00 ms | 1.00 ms | 0.0 % | [-2.0, +2.0] % | ±2.0 % | ⚪ unchanged |'
    )
    expect(summary).toContain('</details>')
  })

  it('fails with zero cases and says why, instead of passing on nothing', () => {
    const summary = renderPerfSummary(zeroCases())
    expect(summary.split('\n')[0]).toBe('### ❌ perf gate failed: no benchmark case was found')
    expect(summary).toContain(
      '**Why it failed**\n\n- no Criterion case was found under target\\/criterion'
    )
    expect(summary).toContain('_No benchmark case to show._')
    expect(summary).not.toContain('| Case |')
  })

  it('fails with too few compared cases and shows the skipped ones with their reason', () => {
    const summary = renderPerfSummary(tooFewCases())
    expect(summary.split('\n')[0]).toBe(
      '### ❌ perf gate failed: only 3 cases compared, at least 6 needed'
    )
    expect(summary).toContain('- 3 cases compared\\; at least 6 needed')
    expect(summary).toContain('<summary>⚪ 3 unchanged · ⏭️ 2 skipped</summary>')
    expect(summary).toContain(
      '| <code>Tiny\\/1</code> | 812 ns | 830 ns | — | — | — | ⏭️ skipped: base 812 ns is below min\\_base\\_ns 10000 |'
    )
  })

  it('says no case was compared when every case was skipped', () => {
    const result = compare([comparison('Tiny/1', 'skipped', undefined, { baseNs: 500 })])
    expect(renderPerfSummary(result).split('\n')[0]).toBe(
      '### ❌ perf gate failed: no case was compared (1 skipped)'
    )
  })

  it('lists new and missing cases in the main table, with a dash where a side has no value', () => {
    const summary = renderPerfSummary(newAndMissing())
    expect(summary).toContain('0 skipped, 1 new, 1 missing')
    expect(summary).toContain('| <code>Fresh\\/1</code> | — | 52.0 µs | — | — | — | 🆕 new |')
    expect(summary).toContain('| <code>Gone\\/1</code> | 47.0 µs | — | — | — | — | ❌ missing |')
  })

  it("lists the threshold file's keys the bench got, naming only those the environment set", () => {
    const summary = renderPerfSummary({
      ...passedCompare(),
      benchEnv: {
        MACE_BENCH_QUICK: { from: 'scripts/perf_thresholds.env:5', value: '1' },
        MACE_BENCH_ITEMS: { from: 'environment' }
      }
    })
    expect(summary).toContain(
      '- **Bench environment** <code>MACE\\_BENCH\\_QUICK\\=1</code> from <code>scripts\\/perf\\_thresholds\\.env</code>; <code>MACE\\_BENCH\\_ITEMS</code> as the environment set it'
    )
  })

  it('never shows ✅ over an inconclusive case: not judged, how many, and what the run resolves', () => {
    const summary = renderPerfSummary(inconclusive())
    // The headline claims no more than the intervals show: the inconclusive case is counted.
    expect(summary.split('\n')[0]).toBe(
      '### ⚠️ perf gate not judged: 1 of 7 compared cases could not be judged; this run resolves changes of ±2.0 % (the threshold is 5 %); no case regressed beyond 5 % among the 6 judged'
    )
    expect(summary).toContain(
      '| <code>Maybe\\/1</code> | 1.00 ms | 1.07 ms | +7.0 % | [-1.5, +15.5] % | ±8.5 % | 🟡 inconclusive |'
    )
  })

  it('never claims more than the intervals show: an all-inconclusive pass says nothing was judged, and warns', () => {
    const summary = renderPerfSummary(allInconclusive())
    expect(summary.split('\n')[0]).toBe(
      '### ⚠️ perf gate not judged: 6 of 6 compared cases could not be judged; this run resolves changes of ±55.0 % (the threshold is 5 %)'
    )
    expect(summary).not.toContain('no case regressed')
    expect(summary).toContain('**Warnings**\n\n- ⚠️ All 6 compared cases were inconclusive')
    expect(summary).toContain('the step passes, the check run is neutral (inconclusive: pass)')
  })

  it('fails an all-inconclusive compare under inconclusive: fail, with the same honest headline', () => {
    const result = allInconclusive({
      inconclusive: 'fail',
      passed: false,
      warnings: [],
      reasons: [
        '6 of 6 compared cases could not be judged (inconclusive), and inconclusive is fail'
      ]
    })
    const summary = renderPerfSummary(result)
    expect(summary.split('\n')[0]).toBe(
      '### ❌ perf gate failed: 6 of 6 compared cases could not be judged; this run resolves changes of ±55.0 % (the threshold is 5 %)'
    )
    expect(summary).toContain('fails (inconclusive: fail)')
  })

  it('reads a document written before outcome existed: a pass with an inconclusive case is not judged', () => {
    const old = inconclusive()
    delete old.outcome
    expect(renderPerfSummary(old).split('\n')[0]).toMatch(/^### ⚠️ perf gate not judged: 1 of 7/)
  })

  it('says a pull request that adds the bench measured its cases as new, without ✅', () => {
    const result = compare(
      [comparison('Fresh/1', 'new', undefined, { headNs: 52_000, baseRounds: [] })],
      { baseHasNoBench: true, reasons: [], passed: true, outcome: 'pass', minCompareCases: 1 }
    )
    expect(renderPerfSummary(result).split('\n')[0]).toBe(
      '### 🆕 perf gate passed: nothing to compare: the base has no bench target (this change adds it); 1 new case measured on head'
    )
  })

  it('names the cases min-base-ns skipped in a passing headline, as not compared', () => {
    const result = compare(
      [
        ...unchanged(6),
        comparison('Tiny/1', 'skipped', undefined, {
          baseNs: 812,
          headNs: 4_900,
          reason: 'base 812 ns is below min_base_ns 10000'
        })
      ],
      { minBaseNs: 10_000 }
    )
    expect(renderPerfSummary(result).split('\n')[0]).toMatch(
      /^### ✅ perf gate passed: no case regressed beyond 5 %.*; 1 case skipped as shorter than min_base_ns 10\.0 µs, not compared$/
    )
  })

  it("counts in the footnote the cases judged on each side's own rounds", () => {
    const result = compare(
      [...unchanged(5), comparison('Steady/1', 'unchanged', 0.4, { estimate: 'sides' })],
      { pairing: { mode: 'sequential' } }
    )
    expect(renderPerfSummary(result)).toContain(
      "outlier rounds left out; 1 case judged unchanged on each side's own rounds instead, which shared no drift)"
    )
  })

  it('states the rounds each case had: the re-measured ones had more', () => {
    const summary = renderPerfSummary(twoRegressed())
    expect(summary).toContain(
      '- **Gate** noise\\-aware gate on wall time\\, 5 rounds \\(10 for 1 re\\-measured case\\)\\, threshold 5 \\%'
    )
    expect(summary).toContain('🔴 regressed (remeasured: 10 rounds)')
  })

  it('says a cancelled compare was cancelled, with what it measured and no verdict', () => {
    const summary = renderPerfSummary(cancelledCompare())
    expect(summary.split('\n')[0]).toBe(
      '### ⏹️ perf gate cancelled: 7 cases measured in 2 rounds before the cancel, no verdict'
    )
    expect(summary).toContain('2 rounds\\, threshold 5')
    expect(summary).toContain('the compare was cancelled in round 3')
  })

  it('says a regression was allowed when the gate permits some', () => {
    const result = compare([...unchanged(6), comparison('Put/1', 'regressed', 9)], {
      maxRegressCases: 1
    })
    expect(renderPerfSummary(result).split('\n')[0]).toBe(
      '### ✅ perf gate passed: 1 case regressed beyond 5 % (at most 1 allowed); this run resolves changes of ±2.0 % (the threshold is 5 %)'
    )
  })

  it('speaks of per-case thresholds when patterns changed some', () => {
    const result = compare([
      ...unchanged(6),
      comparison('Put/1', 'unchanged', 9, { thresholdPct: 15 })
    ])
    expect(renderPerfSummary(result).split('\n')[0]).toBe(
      '### ✅ perf gate passed: no case regressed beyond its threshold (5 % by default); this run resolves changes of ±2.0 % (the default threshold is 5 %)'
    )
  })

  it('explains the threshold gate as the rule of perf_gate.sh, with a dash for a single round', () => {
    const result = compare(
      [...unchanged(6), comparison('Put/1', 'regressed', 21, { ci: undefined })],
      { gate: 'threshold', rounds: 1 }
    )
    const summary = renderPerfSummary(result)
    expect(summary).toContain('threshold gate on wall time\\, 1 round\\, threshold 5 \\%')
    expect(summary).toContain(
      '| <code>Put\\/1</code> | 1.00 ms | 1.21 ms | +21.0 % | — | — | 🔴 regressed |'
    )
    expect(summary).toContain(
      '_Threshold gate (the rule of perf_gate.sh): a case is regressed when its Δ is above its threshold; improved when its Δ is below minus its threshold; unchanged when its Δ is within ± its threshold'
    )
  })

  it('escapes hostile case ids and reasons, and breaks mentions outside code', () => {
    const summary = renderPerfSummary(hostileCompare())
    expect(markdownHazards(summary)).toEqual([])
    expect(summary).not.toContain(HOSTILE_ID.split('\n')[0])
    expect(summary).toContain('\\<\\/details\\>')
    expect(summary).toContain('\\@\u2060octocat')
  })

  it('stays within 1 MB with 5,000 hostile cases by dropping folded rows first', () => {
    const summary = renderPerfSummary(manyCases(5_000))
    expect(bytes(summary)).toBeLessThanOrEqual(1_000_000)
    expect(markdownHazards(summary)).toEqual([])
    expect(summary).toContain("_Shortened to fit GitHub's 1 MiB job summary limit;")
    // Every regressed and improved case is still in the main table.
    expect(summary.match(/\| 🔴 regressed \|/g)).toHaveLength(500)
    expect(summary.match(/\| 🟢 improved \|/g)).toHaveLength(500)
    const shown = summary.match(/\| ⚪ unchanged \|/g)?.length ?? 0
    expect(summary).toContain(
      `_${4_000 - shown} more cases not shown (see the artifact): ${4_000 - shown} unchanged._`
    )
  })

  it('trims the end of the main table, smallest changes first, once the folded rows are gone', () => {
    const summary = renderPerfSummary(manyCases(5_000), { budgetChars: 100_000 })
    expect(bytes(summary)).toBeLessThanOrEqual(100_000)
    expect(markdownHazards(summary)).toEqual([])
    expect(summary).not.toContain('<details>')
    expect(summary).toContain('_4000 more cases not shown (see the artifact): 4000 unchanged._')
    const note =
      /_(\d+) more cases not shown \(see the artifact\): (\d+) regressed, 500 improved\._/.exec(
        summary
      )
    expect(note).not.toBeNull()
    const shownRegressed = summary.match(/\| 🔴 regressed \|/g)?.length ?? 0
    expect(shownRegressed + Number(note?.[2])).toBe(500)
    expect(summary).not.toContain('🟢 improved |')
  })
})

describe('perf job summary of a snapshot', () => {
  it('gives the verdict, count, p50 and p95, and the cases with median, mean and interval', () => {
    const summary = renderPerfSummary(snapshot())
    expect(summary.split('\n')[0]).toBe('### ✅ perf snapshot passed: 3 cases measured')
    expect(summary).toContain('- **Cases** 3 · **p50** 3.21 ms · **p95** 3.21 ms')
    expect(summary).toContain(
      '| Case | Median | Mean | Median CI |\n| --- | ---: | ---: | ---: |\n' +
        '| <code>Put\\/K16\\-V16\\/1</code> | 3.21 ms | 3.27 ms | [3.18 ms, 3.24 ms] |'
    )
    expect(summary).toContain('| <code>Scan\\/1000</code> | 1.05 s | 1.07 s | [1.04 s, 1.06 s] |')
  })

  it('fails a snapshot with zero cases and says why', () => {
    const result = snapshot({ passed: false, count: 0, cases: [], reasons: ['no case found'] })
    const summary = renderPerfSummary(result)
    expect(summary.split('\n')[0]).toBe('### ❌ perf snapshot failed: no benchmark case was found')
    expect(summary).toContain('**Why it failed**\n\n- no case found')
  })

  it('trims a long snapshot table and says how many cases were left out', () => {
    const cases = Array.from({ length: 2_000 }, (_, i) => ({
      ...snapshot().cases[0]!,
      id: `${HOSTILE_ID} #${i}`
    }))
    const summary = renderPerfSummary(snapshot({ cases, count: cases.length }), {
      budgetChars: 50_000
    })
    expect(bytes(summary)).toBeLessThanOrEqual(50_000)
    expect(markdownHazards(summary)).toEqual([])
    const shown = summary.split('\n').filter(line => line.startsWith('| <code>')).length
    expect(summary).toContain(`_${2_000 - shown} more cases not shown (see the artifact)._`)
  })
})
