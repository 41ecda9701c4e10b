import { describe, expect, it } from 'vitest'
import { renderPerfConsole } from '../../../../src/core/perf/render/console.js'
import {
  allInconclusive,
  compare,
  comparison,
  cancelledCompare,
  HOSTILE_ID,
  hostileCompare,
  newAndMissing,
  passedCompare,
  snapshot,
  tooFewCases,
  twoRegressed,
  zeroCases
} from './fixtures.js'

describe('perf console report', () => {
  it('prints the cases in aligned columns, largest slowdown first, then counts and the verdict', () => {
    const report = renderPerfConsole(twoRegressed())
    const lines = report.split('\n')
    expect(lines[0]).toBe('perf compare (wall time): FAIL in 12m 03s')
    expect(lines[1]).toBe('  base origin/master (1111111) vs head 2222222')
    const table = lines.slice(lines.indexOf('') + 1, lines.indexOf('', lines.indexOf('') + 1))
    expect(table.slice(0, 4)).toEqual([
      'verdict    case           base median  head median    delta  interval          resolves',
      'REGRESSED  Scan/1000          1.00 ms      1.30 ms  +30.0 %  [+28.0, +32.0] %    ±2.0 %  remeasured',
      'REGRESSED  Put/K16-V16/1      3.21 ms      3.60 ms  +12.3 %  [+8.1, +16.9] %     ±4.4 %',
      'UNCHANGED  Steady/6           1.00 ms      1.01 ms   +1.0 %  [-1.0, +3.0] %      ±2.0 %'
    ])
    expect(report).toContain(
      'counts: 8 compared: 2 regressed, 0 improved, 0 inconclusive, 6 unchanged; 0 skipped, 0 new, 0 missing'
    )
    expect(report).toContain('reasons:\n  - 2 cases regressed beyond 5 % (at most 0 allowed)\n')
    // The sides' medians are unpaired, Δ is paired: the report says so beside the table.
    expect(lines).toContain(
      "note: Base median and Head median are each side's median over its rounds, for scale only: " +
        "unpaired, so when the runner's load shifts between rounds their ratio can differ from Δ, " +
        'even in sign; Δ and its interval are what the verdict reads.'
    )
    expect(
      report.endsWith('result: FAIL (2 cases regressed beyond 5 %: Scan/1000, Put/K16-V16/1)\n')
    ).toBe(true)
  })

  it('ends with result: PASS when the gate passed', () => {
    expect(renderPerfConsole(passedCompare()).endsWith('\nresult: PASS\n')).toBe(true)
  })

  it('ends a compare it could not judge with NOT JUDGED, never PASS, after the warnings', () => {
    const report = renderPerfConsole(allInconclusive())
    const lines = report.trimEnd().split('\n')
    expect(lines[0]).toBe('perf compare (wall time): NOT JUDGED in 12m 03s')
    expect(lines.at(-1)).toBe(
      'result: NOT JUDGED (6 of 6 compared cases could not be judged; this run resolves changes of ±55.0 % (the threshold is 5 %))'
    )
    expect(report).toContain(
      'resolution: this run resolves changes of ±55.0 % (the threshold is 5 %)'
    )
    expect(lines).toContain('warnings:')
  })

  it('ends a cancelled compare with result: CANCELLED', () => {
    const text = renderPerfConsole(cancelledCompare())
    expect(text.split('\n')[0]).toMatch(/^perf compare \(wall time\): CANCELLED in /)
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'result: CANCELLED (7 cases measured in 2 rounds before the cancel, no verdict)'
    )
  })

  it('gives the reason for zero and too few cases on the last line', () => {
    expect(renderPerfConsole(zeroCases())).toContain(
      'no benchmark case found\n\ncounts: 0 compared'
    )
    expect(
      renderPerfConsole(zeroCases()).endsWith('result: FAIL (no benchmark case was found)\n')
    ).toBe(true)
    const tooFew = renderPerfConsole(tooFewCases())
    expect(tooFew).toContain(
      'SKIPPED    Tiny/1         812 ns       830 ns       —  —                      —  base 812 ns is below min_base_ns 10000'
    )
    expect(tooFew.endsWith('result: FAIL (only 3 cases compared, at least 6 needed)\n')).toBe(true)
  })

  it('shows a dash for the side a new or missing case lacks', () => {
    const report = renderPerfConsole(newAndMissing())
    expect(report).toContain(
      'NEW        Fresh/1             —      52.0 µs       —  —                      —'
    )
    expect(report).toContain(
      'MISSING    Gone/1        47.0 µs            —       —  —                      —'
    )
  })

  it('keeps hostile ids on one line and never at the start of a line', () => {
    const report = renderPerfConsole(hostileCompare())
    const firstPart = HOSTILE_ID.split('\n')[0] ?? ''
    for (const line of report.split('\n')) {
      expect(line.trimStart().startsWith('Put|')).toBe(false)
      expect(line.trimStart().startsWith('::')).toBe(false)
    }
    expect(report).toContain(`REGRESSED  ${firstPart.slice(0, 20)}`)
    expect(report.split('\n').filter(line => line.startsWith('@octocat'))).toEqual([])
  })

  it('prints a snapshot with its count, p50, p95 and each case with the id last', () => {
    const report = renderPerfConsole(snapshot())
    expect(report).toContain('  3 cases, p50 3.21 ms, p95 3.21 ms (of the medians)')
    expect(report).toContain(
      ' median     mean  median CI           case\n' +
        '3.21 ms  3.27 ms  [3.18 ms, 3.24 ms]  Put/K16-V16/1\n' +
        '12.4 µs  12.6 µs  [12.3 µs, 12.5 µs]  Get/K16/1\n' +
        ' 1.05 s   1.07 s  [1.04 s, 1.06 s]    Scan/1000\n'
    )
    expect(report.endsWith('\nresult: PASS\n')).toBe(true)
  })

  it('says a compare that adds the bench passed with nothing compared, not a bare PASS', () => {
    const result = compare(
      [comparison('Fresh/1', 'new', undefined, { headNs: 52_000, baseRounds: [] })],
      { baseHasNoBench: true, reasons: [], passed: true, outcome: 'pass', minCompareCases: 1 }
    )
    expect(renderPerfConsole(result).trimEnd().split('\n').at(-1)).toBe(
      'result: PASS (nothing to compare: the base has no bench target (this change adds it); 1 new case measured on head)'
    )
  })

  it('fails a snapshot without cases with its reason', () => {
    const result = snapshot({ passed: false, count: 0, cases: [], reasons: ['nothing found'] })
    const report = renderPerfConsole(result)
    expect(report).toContain('reasons:\n  - nothing found\n')
    expect(report.endsWith('result: FAIL (no benchmark case was found)\n')).toBe(true)
  })
})
