/**
 * The soak as people read it: the verdict first (failures by cycle, the
 * post-check, drift), a Mermaid chart of p50/p95 per perf cycle with the same
 * figures in a table, the cycles folded away; untrusted case names escaped;
 * the console report ending on its result line.
 */
import { describe, expect, it } from 'vitest'
import {
  MAX_CHART_POINTS,
  renderSoakConsole,
  renderSoakSummary,
  soakVerdict
} from '../../../../src/core/soak/render/summary.js'
import { judgeDrift, type PerfSample } from '../../../../src/core/soak/drift.js'
import type { SoakCycle, SoakResult, SoakStep } from '../../../../src/core/soak/results.js'

const HOSTILE = 'Put/<script>alert(1)</script>|*bold*'

function step(kind: SoakStep['kind'], cycle: number, failures: string[] = []): SoakStep {
  return {
    kind,
    passed: failures.length === 0,
    failures,
    durationMs: 60_000,
    results:
      kind === 'perf'
        ? `perf_cycle_${cycle}.json`
        : cycle === 0
          ? 'post-check/results.json'
          : `cycles/${String(cycle).padStart(4, '0')}/${kind}/results.json`
  }
}

/**
 * A finished soak of `cycles` cycles, each with stress, chaos every third and perf every
 * cycle; `fail` maps a cycle to the stress failures it had; p50 and p95 rise by `growth`.
 */
function soak(
  options: {
    cycles?: number
    fail?: Record<number, string[]>
    postCheckFailures?: string[]
    growth?: number
    driftAction?: 'warn' | 'fail'
    cancelled?: boolean
    caseId?: string
  } = {}
): SoakResult {
  const n = options.cycles ?? 5
  const growth = options.growth ?? 1
  const caseId = options.caseId ?? 'Get/K16/1'
  const cycles: SoakCycle[] = []
  const samples: PerfSample[] = []
  const failures: SoakResult['failures'] = []
  for (let cycle = 1; cycle <= n; cycle++) {
    const p50 = 12_000 * growth ** cycle
    const p95 = 3_400_000 * growth ** cycle
    const stressFailures = options.fail?.[cycle] ?? []
    for (const id of stressFailures) failures.push({ cycle, step: 'stress', id })
    cycles.push({
      cycle,
      startedAt: new Date(Date.UTC(2025, 0, 1, 0, cycle)).toISOString(),
      elapsedSecs: cycle * 60.4,
      durationMs: 60_000,
      steps: [
        step('stress', cycle, stressFailures),
        ...(cycle % 3 === 0 ? [step('chaos', cycle)] : []),
        step('perf', cycle)
      ],
      perf: { file: `perf_cycle_${cycle}.json`, cases: 14, p50, p95 }
    })
    samples.push({ cycle, p50, p95, medians: { [caseId]: p50 } })
  }
  const postCheck = step('fast', 0, options.postCheckFailures ?? [])
  for (const id of options.postCheckFailures ?? []) failures.push({ cycle: 0, step: 'fast', id })
  const driftAction = options.driftAction ?? 'warn'
  const drift = judgeDrift(samples, 10, 1)
  const cancelled = options.cancelled ?? false
  return {
    schemaVersion: 1,
    tool: 'mace-actions soak',
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: n * 61_000,
    stopReason: cancelled ? 'cancelled' : 'duration',
    settings: {
      durationSecs: n * 60,
      maxCycles: 0,
      chaosEvery: 3,
      perfEvery: 1,
      pauseSecs: 1,
      failFast: false,
      driftThresholdPct: 10,
      driftAction
    },
    cycles,
    ...(cancelled ? {} : { postCheck }),
    failures,
    flaky: [],
    perfSamples: samples,
    drift,
    reasons: [],
    notes: [],
    passed:
      !cancelled &&
      failures.length === 0 &&
      !(drift.verdict === 'drifted' && driftAction === 'fail'),
    cancelled,
    metricsDir: '/work/crate/target/prod_soak',
    csvPath: '/work/crate/target/prod_soak/perf_cycles.csv'
  }
}

/** The lines of the fenced Mermaid block. */
function mermaid(summary: string): string[] {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(summary)
  expect(match).not.toBeNull()
  return match![1]!.split('\n')
}

/** The bracketed list of a Mermaid `x-axis` or `line` statement. */
function list(line: string | undefined): string[] {
  return /\[(.*)\]/.exec(line ?? '')![1]!.split(', ')
}

describe('verdict', () => {
  it('a clean soak passes, and says so first', () => {
    const r = soak()
    expect(soakVerdict(r)).toBe('PASS')
    expect(renderSoakSummary(r).split('\n')[0]).toBe('## ✅ soak: PASS')
  })

  it('a failed soak lists the cycles that failed and the post-check', () => {
    const r = soak({
      fail: { 2: ['stress:stress_put'], 4: ['stress:stress_put', 'stress:stress_scan'] },
      postCheckFailures: ['fast']
    })
    expect(soakVerdict(r)).toBe('FAIL: 4 failures in cycles 2, 4 and the post-check')
    expect(renderSoakSummary(r).split('\n')[0]).toBe(
      '## ❌ soak: FAIL\\: 4 failures in cycles 2\\, 4 and the post\\-check'
    )
  })

  it('a single failed cycle reads "cycle", and the post-check alone is named on its own', () => {
    expect(soakVerdict(soak({ fail: { 3: ['stress:stress_put'] } }))).toBe(
      'FAIL: 1 failure in cycle 3'
    )
    expect(soakVerdict(soak({ postCheckFailures: ['fast'] }))).toBe(
      'FAIL: 1 failure in the post-check'
    )
  })

  it('a cancelled soak says it was cancelled and its results are partial', () => {
    const r = soak({ cancelled: true })
    expect(soakVerdict(r)).toBe('FAIL: cancelled, partial results')
    const summary = renderSoakSummary(r)
    expect(summary.split('\n')[0]).toBe('## ❌ soak: FAIL\\: cancelled\\, partial results')
    expect(summary).toContain('| 5 | 5m 05s | cancelled | 0 | 0 | 5 | steady | not run |')
  })

  it('drift with drift-action warn passes with a warning; with fail it fails', () => {
    const warn = soak({ growth: 1.3 })
    expect(warn.drift.verdict).toBe('drifted')
    expect(soakVerdict(warn)).toMatch(
      /^PASS: drift \(warning\): p50 \+\d+\.\d %, p95 \+\d+\.\d % and 1 more over the soak$/
    )
    const fail = soak({ growth: 1.3, driftAction: 'fail' })
    expect(soakVerdict(fail)).toMatch(
      /^FAIL: drift: p50 \+\d+\.\d %, p95 \+\d+\.\d % and 1 more over the soak$/
    )
  })
})

describe('flaky cases and steps cut short', () => {
  /** `r` with a chaos case of cycle 3 that passed on its retry. */
  const withFlaky = (r: SoakResult): SoakResult => {
    const chaos = r.cycles[2]!.steps.find(x => x.kind === 'chaos')!
    chaos.flaky = ['chaos:chaos_recover']
    return { ...r, flaky: [{ cycle: 3, step: 'chaos', id: 'chaos:chaos_recover' }] }
  }

  it('a flaky case does not fail the soak, and is counted in the verdict, the facts and by cycle', () => {
    const r = withFlaky(soak())
    expect(soakVerdict(r)).toBe('PASS: 1 flaky case (passed on a retry) in cycle 3')
    const summary = renderSoakSummary(r)
    expect(summary).toContain('| 5 | 5m 05s | duration 5m 00s reached | 0 | 1 | 5 | steady | ok |')
    expect(summary).toContain(
      "### Flaky cases by cycle\n\nEach failed, then passed on a retry: the soak passes them, the attempts are in the step's results.\n\n" +
        '| cycle | step | flaky | results |\n| ---: | --- | --- | --- |\n' +
        '| 3 | chaos | <code>chaos\\:chaos\\_recover</code> | <code>cycles\\/0003\\/chaos\\/results\\.json</code> |'
    )
    expect(summary).toContain('| 3 | 181 | 1m 00s | ok | ok, 1 flaky | ok |  |')
    const text = renderSoakConsole(r)
    expect(text).toContain('  cycle 3: stress ok, chaos ok, 1 flaky, perf ok')
    expect(text).toContain('flaky (passed on a retry):\n  cycle 3: chaos:chaos_recover\n')
  })

  it('a step cut short after a failure reads FAILED, then stopped; a full disk says so', () => {
    const r = soak({ cycles: 2, fail: { 2: ['stress:stress_put'] } })
    r.cycles[1]!.steps[0]!.interrupted = true
    r.cycles[1] = { ...r.cycles[1]!, interrupted: 'deadline' }
    expect(renderSoakConsole(r)).toMatch(
      /^ {2}cycle 2: stress FAILED, then stopped, .*\[deadline\]$/m
    )
    r.cycles[1].steps[0]!.diskFull = 'metrics dir /m is full'
    expect(renderSoakConsole(r)).toMatch(/cycle 2: stress FAILED, then stopped: disk full,/)
    const full: SoakResult = {
      ...soak({ cycles: 1 }),
      stopReason: 'disk-full',
      reasons: ['metrics dir /m is full (12.0 KiB free; a soak needs 64.0 MiB free to go on)'],
      passed: false
    }
    expect(soakVerdict(full)).toBe(
      'FAIL: metrics dir /m is full (12.0 KiB free; a soak needs 64.0 MiB free to go on)'
    )
    expect(renderSoakSummary(full)).toContain('| the metrics dir filled up |')
  })
})

describe('job summary', () => {
  it('puts a facts table under the verdict', () => {
    const summary = renderSoakSummary(soak({ fail: { 2: ['stress:stress_put'] } }))
    expect(summary).toContain(
      '| cycles | ran for | stopped | failures | flaky | perf cycles | drift | post-check |\n' +
        '| ---: | ---: | --- | ---: | ---: | ---: | --- | --- |\n' +
        '| 5 | 5m 05s | duration 5m 00s reached | 1 | 0 | 5 | steady | ok |'
    )
  })

  it('lists failures by cycle with the step and where its results are', () => {
    const summary = renderSoakSummary(
      soak({ fail: { 2: ['stress:stress_put'] }, postCheckFailures: ['fast'] })
    )
    expect(summary).toContain(
      '### Failures by cycle\n\n| cycle | step | failed | detail |\n| ---: | --- | --- | --- |\n' +
        '| 2 | stress | <code>stress\\:stress\\_put</code> | <code>cycles\\/0002\\/stress\\/results\\.json</code> |\n' +
        '| post-check | fast | <code>fast</code> | <code>post\\-check\\/results\\.json</code> |'
    )
  })

  it('draws p95 and p50 per perf cycle as two Mermaid lines, with the same figures in a table', () => {
    const summary = renderSoakSummary(soak({ cycles: 5 }))
    const chart = mermaid(summary)
    expect(chart[0]).toBe('xychart-beta')
    expect(list(chart.find(l => l.trim().startsWith('x-axis')))).toEqual(['1', '2', '3', '4', '5'])
    const lines = chart.filter(l => l.trim().startsWith('line '))
    expect(lines).toHaveLength(2)
    expect(chart.find(l => l.trim().startsWith('y-axis'))).toBe('  y-axis "ms"')
    expect(list(lines[0])).toEqual(['3.4', '3.4', '3.4', '3.4', '3.4'])
    expect(list(lines[1])).toEqual(['0.012', '0.012', '0.012', '0.012', '0.012'])
    expect(summary).toContain(
      '| cycle | elapsed s | cases | p50 | p95 |\n| ---: | ---: | ---: | ---: | ---: |\n' +
        '| 1 | 60 | 14 | 12.0 µs | 3.40 ms |'
    )
    expect(summary).toContain('| 5 | 302 | 14 | 12.0 µs | 3.40 ms |')
    expect(summary).not.toContain('The chart shows every')
  })

  it('shows instruction counts, not times, when the snapshots counted instructions', () => {
    const r = soak({ cycles: 5 })
    const counted: SoakResult = { ...r, settings: { ...r.settings, perfMetric: 'instructions' } }
    const summary = renderSoakSummary(counted)
    const chart = mermaid(summary)
    expect(chart).toContain(
      '  title "instructions per perf cycle: p95 (upper line) and p50 (lower line)"'
    )
    expect(chart).toContain('  y-axis "million instructions"')
    expect(summary).toContain('| 1 | 60 | 14 | 12,000 instructions | 3,400,000 instructions |')
    expect(renderSoakConsole(counted)).toContain(
      'cycle 1: stress ok, perf ok (p50 12,000 instructions, p95 3,400,000 instructions)'
    )
  })

  it(`downsamples a chart of more than ${MAX_CHART_POINTS} perf cycles, keeping the last, and says so`, () => {
    const summary = renderSoakSummary(soak({ cycles: 199 }))
    const chart = mermaid(summary)
    const xs = list(chart.find(l => l.trim().startsWith('x-axis')))
    expect(xs.length).toBeLessThanOrEqual(MAX_CHART_POINTS + 1)
    expect(xs.slice(0, 3)).toEqual(['1', '5', '9'])
    expect(xs.at(-1)).toBe('199')
    for (const line of chart.filter(l => l.trim().startsWith('line '))) {
      expect(list(line)).toHaveLength(xs.length)
    }
    expect(summary).toContain(
      'The chart shows one perf cycle in 4, and the last; the table has them all.'
    )
    // The table keeps every perf cycle, folded away because it is long.
    expect(summary).toContain('<details><summary>p50 and p95 of all 199 perf cycles</summary>')
    for (const cycle of [1, 2, 3, 198, 199]) {
      expect(summary).toMatch(new RegExp(`^\\| ${cycle} \\| \\d+ \\| 14 \\| 12\\.0 µs \\|`, 'm'))
    }
  })

  it('says no perf snapshot was taken when there is none, and why when perf-every is 0', () => {
    const r = soak()
    const none = { ...r, perfSamples: [], settings: { ...r.settings, perfEvery: 0 } }
    const summary = renderSoakSummary(none)
    expect(summary).toContain('### Trend\n\nNo perf snapshot was taken (perf-every is 0).')
    expect(summary).not.toContain('```mermaid')
  })

  it('folds the cycles table away, and leaves it out with cyclesTable: false', () => {
    const r = soak({ fail: { 2: ['stress:stress_put'] } })
    const summary = renderSoakSummary(r)
    expect(summary).toContain('<details><summary>All 5 cycles</summary>')
    expect(summary).toContain(
      '| cycle | elapsed s | took | stress | chaos | perf | |\n| ---: | ---: | ---: | --- | --- | --- | --- |\n' +
        '| 1 | 60 | 1m 00s | ok |  | ok |  |\n| 2 | 121 | 1m 00s | FAILED |  | ok |  |\n| 3 | 181 | 1m 00s | ok | ok | ok |  |'
    )
    const issueBody = renderSoakSummary(r, { cyclesTable: false, runUrl: 'https://x/runs/1' })
    expect(issueBody).not.toContain('All 5 cycles')
    expect(issueBody).not.toContain('| cycle | elapsed s | took |')
    expect(issueBody).toContain('Run: https://x/runs/1')
    expect(issueBody).toContain('### Failures by cycle')
    expect(issueBody).toContain('```mermaid')
  })

  it('explains a drift that warns, and one that fails', () => {
    const warn = renderSoakSummary(soak({ growth: 1.3 }))
    expect(warn).toContain('### Drift: drifted')
    expect(warn).toContain('Drift warns, and does not fail, the soak (drift-action: warn).')
    expect(warn.split('\n')[0]).toMatch(/^## ✅ soak: PASS\\: drift \\\(warning\\\)/)
    const fail = renderSoakSummary(soak({ growth: 1.3, driftAction: 'fail' }))
    expect(fail).toContain('Drift fails the soak (drift-action: fail).')
    expect(fail.split('\n')[0]).toMatch(/^## ❌ soak: FAIL\\: drift\\: p50/)
  })

  it('tabulates drift per series, p50 and p95 first, drifted ones marked', () => {
    const summary = renderSoakSummary(soak({ growth: 1.3 }))
    expect(summary).toContain(
      '| series | change over soak | slope per cycle | trend p | cycles | |\n| --- | ---: | ---: | ---: | ---: | --- |\n| **p50** |'
    )
    expect(summary).toMatch(/^\| \*\*p95\*\* \| \+\d+\.\d % \| .* \| 🔺 drifted \|$/m)
    expect(summary).toMatch(
      /^\| <code>Get\\\/K16\\\/1<\/code> \| \+\d+\.\d % \| .* \| 🔺 drifted \|$/m
    )
  })

  it('a steady soak says no series changed beyond the threshold', () => {
    const summary = renderSoakSummary(soak())
    expect(summary).toContain(
      '### Drift: steady\n\nNo series changed by more than 10\\% with a significant trend over 4 perf cycles\\.'
    )
    expect(summary).not.toContain('🔺')
  })
})

describe('untrusted case names', () => {
  const r = soak({ growth: 1.3, fail: { 2: [`stress:${HOSTILE}`] }, caseId: HOSTILE })
  const summary = renderSoakSummary(r)

  /** Cells of a table row, split on unescaped pipes. */
  const cells = (row: string): string[] => row.split(/(?<!\\)\|/).slice(1, -1)

  it('never reach the summary as raw HTML or emphasis', () => {
    expect(summary).not.toContain('<script>')
    expect(summary).not.toContain('*bold*')
    expect(summary).not.toMatch(/(?<!\\)\|\*bold/)
  })

  it('are escaped in the failures table, keeping its four columns', () => {
    const row = summary.split('\n').find(l => l.startsWith('| 2 | stress |'))!
    expect(row).toContain(
      '<code>stress\\:Put\\/\\<script\\>alert\\(1\\)\\<\\/script\\>\\|\\*bold\\*</code>'
    )
    expect(cells(row)).toHaveLength(4)
  })

  it('are escaped in the drift table, keeping its six columns', () => {
    const row = summary.split('\n').find(l => l.startsWith('| <code>Put'))!
    expect(row).toContain('<code>Put\\/\\<script\\>alert\\(1\\)\\<\\/script\\>\\|\\*bold\\*</code>')
    expect(cells(row)).toHaveLength(6)
  })

  it('are escaped in the verdict heading and the drift message', () => {
    const heading = summary.split('\n')[0]!
    expect(heading).toMatch(/^## ❌ soak: FAIL/)
    expect(heading).toContain('; drift \\(warning\\)\\: p50')
    const message = summary.split('\n').find(l => l.includes('over 4 perf cycles \\(threshold'))
    expect(message).toMatch(
      /^p50 \\\+\d+\\\.\d\\%\\, p95 \S+ Put\\\/\\<script\\>alert\\\(1\\\)\\<\\\/script\\>\\\|\\\*bold\\\* \\\+/
    )
  })
})

describe('console report', () => {
  it('lists each cycle and the post-check, then failures, drift and the CSV, and ends on the result', () => {
    const text = renderSoakConsole(
      soak({ cycles: 3, fail: { 2: ['stress:stress_put'] }, postCheckFailures: ['fast'] })
    )
    const lines = text.trimEnd().split('\n')
    expect(lines[0]).toBe('soak: 3 cycles in 3m 03s')
    expect(lines[1]).toBe('  cycle 1: stress ok, perf ok (p50 12.0 µs, p95 3.40 ms)')
    expect(lines[2]).toBe('  cycle 2: stress FAILED, perf ok (p50 12.0 µs, p95 3.40 ms)')
    expect(lines[3]).toBe('  cycle 3: stress ok, chaos ok, perf ok (p50 12.0 µs, p95 3.40 ms)')
    expect(lines[4]).toBe('  post-check: FAILED')
    expect(lines.slice(5, 8)).toEqual([
      'failures:',
      '  cycle 2: stress:stress_put',
      '  post-check: fast'
    ])
    expect(lines[8]).toMatch(/^drift: insufficient: 3 perf cycles, 2 after a warm-up of 1/)
    expect(lines[9]).toBe('csv: /work/crate/target/prod_soak/perf_cycles.csv')
    expect(lines.at(-1)).toBe('result: FAIL: 2 failures in cycle 2 and the post-check')
    expect(text.endsWith('\n')).toBe(true)
  })

  it('ends a passing soak on "result: PASS" and marks an interrupted cycle', () => {
    const r = soak({ cycles: 2 })
    expect(renderSoakConsole(r).trimEnd().split('\n').at(-1)).toBe('result: PASS')
    const cut = soak({ cycles: 2, cancelled: true })
    cut.cycles[1] = { ...cut.cycles[1]!, interrupted: 'cancelled' }
    const text = renderSoakConsole(cut)
    expect(text).toMatch(/^ {2}cycle 2: .*\[cancelled\]$/m)
    expect(text.trimEnd().split('\n').at(-1)).toBe('result: FAIL: cancelled, partial results')
  })
})

describe('a soak stopped while a step ran', () => {
  it('says under the verdict which cycle, step and case it was running, for how long, and its command', () => {
    const r = soak({ cycles: 3, cancelled: true })
    const last = r.cycles[2]!
    last.interrupted = 'cancelled'
    // The step started at 00:02:03 and was cut 25 s later; its case had run 23 s of them.
    // The soak went on after the cut (its post-check): that time is not the case's.
    last.steps[0] = {
      ...last.steps[0]!,
      passed: false,
      interrupted: true,
      durationMs: 25_000,
      running: {
        step: 'case',
        case: `stress:${HOSTILE}`,
        features: 'failpoints',
        argv: ['cargo', 'test', 'stress_evictor'],
        startedAt: '2025-01-01T00:02:05.000Z'
      }
    }
    r.running = { cycle: 3, step: 'stress', startedAt: '2025-01-01T00:02:03.000Z' }
    const summary = renderSoakSummary(r)
    const line =
      '**Running when it stopped:** cycle 3, step stress, case <code>stress\\:Put\\/\\<script\\>alert\\(1\\)\\<\\/script\\>\\|\\*bold\\*</code>, for 23.0s: <code>cargo test stress\\_evictor</code>'
    expect(summary).toContain(`\n\n${line}\n\n`)
    expect(summary.indexOf(line)).toBeLessThan(summary.indexOf('| cycles |'))
  })

  it('names the post-check, and nothing once the soak finished', () => {
    const r = soak({ cycles: 2 })
    expect(renderSoakSummary(r)).not.toContain('Running when it stopped')
    r.running = { cycle: 0, step: 'fast', startedAt: '2025-01-01T00:01:02.000Z' }
    // The post-check was cut 7.9 s in; the soak's own end came later (its reports).
    r.postCheck = { ...r.postCheck!, interrupted: true, durationMs: 7_900 }
    expect(renderSoakSummary(r)).toContain('**Running when it stopped:** the post-check, for 7.9s')
  })
})
