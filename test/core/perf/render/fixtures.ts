/**
 * Hand-built perf results for the renderer tests: a builder that derives
 * counts, verdict and reasons from the cases the way the gate does, and the
 * scenarios a user meets (all green, two regressions, no cases, too few
 * cases, new and missing cases, an inconclusive one, a snapshot, hostile ids,
 * and thousands of cases).
 */
import type {
  CaseComparison,
  CaseVerdict,
  CompareCounts,
  CriterionCase,
  PerfCompareResult,
  WalltimeSnapshotResult
} from '../../../../src/core/perf/results.js'

/** An id that tries every way out of a table cell, a code span, a details block and a line. */
export const HOSTILE_ID =
  'Put|K16`V16`/<img src=x onerror=alert(1)></details></summary>\n@octocat **b** [l](http://x) ::error::x'

/** A case compared at `delta_pct` from a 1 ms base, with the interval ±2 around it (it resolves ±2 %). */
export function comparison(
  id: string,
  verdict: CaseVerdict,
  deltaPct?: number,
  overrides: Partial<CaseComparison> = {}
): CaseComparison {
  const baseNs = 1_000_000
  const measured: Partial<CaseComparison> =
    deltaPct === undefined
      ? {}
      : {
          baseNs,
          headNs: baseNs * (1 + deltaPct / 100),
          delta_pct: deltaPct,
          ci: { low: deltaPct - 2, high: deltaPct + 2 }
        }
  const c: CaseComparison = {
    id,
    verdict,
    thresholdPct: 5,
    baseRounds: [baseNs],
    headRounds: measured.headNs === undefined ? [] : [measured.headNs],
    ...measured,
    ...overrides
  }
  // The resolution is half the interval shown, as the gate records it.
  if (c.ci !== undefined && overrides.resolutionPct === undefined) {
    c.resolutionPct = (c.ci.high - c.ci.low) / 2
  }
  return c
}

/** A compare of the cases, sorted largest slowdown first, with counts, verdict and reasons derived. */
export function compare(
  cases: CaseComparison[],
  overrides: Partial<PerfCompareResult> = {}
): PerfCompareResult {
  const delta = (c: CaseComparison): number => c.delta_pct ?? -Infinity
  // Each case had the compare's rounds (twice as many when re-measured), as the gate records them.
  const rounds = overrides.rounds ?? 5
  const perCase = (c: CaseComparison): number => (c.remeasured === true ? 2 * rounds : rounds)
  const fill = (xs: number[], n: number): number[] =>
    xs.length === 1 ? Array<number>(n).fill(xs[0]!) : xs
  const sorted = [...cases]
    .map(c => ({
      ...c,
      baseRounds: fill(c.baseRounds, perCase(c)),
      headRounds: fill(c.headRounds, perCase(c))
    }))
    .sort((a, b) => delta(b) - delta(a) || 0)
  const counts = countsOf(sorted)
  const thresholdPct = overrides.thresholdPct ?? 5
  const maxRegressCases = overrides.maxRegressCases ?? 0
  const minCompareCases = overrides.minCompareCases ?? 6
  const reasons: string[] = []
  if (counts.compared < minCompareCases) {
    reasons.push(`${counts.compared} cases compared; at least ${minCompareCases} needed`)
  }
  if (counts.regressed > maxRegressCases) {
    reasons.push(
      `${counts.regressed} cases regressed beyond ${thresholdPct} % (at most ${maxRegressCases} allowed)`
    )
  }
  const resolutions = sorted
    .map(c => c.resolutionPct)
    .filter((r): r is number => r !== undefined)
    .sort((a, b) => a - b)
  const outcome = reasons.length > 0 ? 'fail' : counts.inconclusive > 0 ? 'not-judged' : 'pass'
  return {
    schemaVersion: 1,
    tool: 'mace-actions perf',
    mode: 'compare',
    gate: 'noise-aware',
    outcome,
    ...(resolutions.length > 0
      ? { resolutionPct: resolutions[Math.floor((resolutions.length - 1) / 2)]! }
      : {}),
    baseRef: 'origin/master',
    baseSha: '1111111111111111111111111111111111111111',
    headSha: '2222222222222222222222222222222222222222',
    thresholdPct,
    maxRegressCases,
    minCompareCases,
    minBaseNs: 10_000,
    rounds: cases.some(c => c.remeasured === true) ? 2 * rounds : rounds,
    passed: reasons.length === 0,
    reasons,
    counts,
    cases: sorted,
    startedAt: '2025-06-01T12:00:00.000Z',
    durationMs: 723_000,
    outputDir: 'target/perf_gate',
    ...overrides
  }
}

/** Six cases within noise and one faster: the gate passes. */
export function passedCompare(): PerfCompareResult {
  return compare([
    ...unchanged(6),
    comparison('Get/K16/1', 'improved', -12.5, { ci: { low: -15, high: -10 } })
  ])
}

/** Two cases regressed beyond 5 %, the rest unchanged: the gate fails. */
export function twoRegressed(): PerfCompareResult {
  return compare([
    ...unchanged(6),
    comparison('Put/K16-V16/1', 'regressed', 12.3, {
      baseNs: 3_210_000,
      headNs: 3_604_830,
      ci: { low: 8.1, high: 16.9 }
    }),
    comparison('Scan/1000', 'regressed', 30, { remeasured: true })
  ])
}

/** Nothing was found on either side: the gate fails instead of passing on nothing. */
export function zeroCases(): PerfCompareResult {
  return compare([], { reasons: ['no Criterion case was found under target/criterion'] })
}

/** Three compared cases where six are needed, and two skipped for a tiny base. */
export function tooFewCases(): PerfCompareResult {
  return compare([
    ...unchanged(3),
    comparison('Tiny/1', 'skipped', undefined, {
      baseNs: 812,
      headNs: 830,
      reason: 'base 812 ns is below min_base_ns 10000'
    }),
    comparison('Tiny/2', 'skipped', undefined, { baseNs: 900, headNs: 905 })
  ])
}

/** A case only on the head and one only on the base, next to six unchanged. */
export function newAndMissing(): PerfCompareResult {
  return compare([
    ...unchanged(6),
    comparison('Fresh/1', 'new', undefined, { headNs: 52_000, baseRounds: [] }),
    comparison('Gone/1', 'missing', undefined, { baseNs: 47_000 })
  ])
}

/** One case whose interval straddles the threshold, next to six unchanged. */
export function inconclusive(): PerfCompareResult {
  return compare([
    ...unchanged(6),
    comparison('Maybe/1', 'inconclusive', 7, { ci: { low: -1.5, high: 15.5 } })
  ])
}

/** Six cases, every one inconclusive (identical code on a loaded runner): nothing was judged. */
export function allInconclusive(overrides: Partial<PerfCompareResult> = {}): PerfCompareResult {
  const noisy = [21, 25, 30, 36, 40, 45].map((d, i) =>
    comparison(`Noisy/${i + 1}`, 'inconclusive', d, { ci: { low: -20, high: d + 60 } })
  )
  return compare(noisy, {
    inconclusive: 'pass',
    warnings: [
      'All 6 compared cases were inconclusive: this compare judged nothing: the rounds cannot tell a change of the threshold from noise.'
    ],
    ...overrides
  })
}

/** A compare cancelled in its third round: two rounds of seven cases kept, no verdict. */
export function cancelledCompare(): PerfCompareResult {
  return compare([...unchanged(7)], {
    rounds: 2,
    cancelled: true,
    passed: false,
    reasons: [
      'the compare was cancelled in round 3: what was measured until then is kept, and the gate gives no verdict'
    ]
  })
}

/** A passing snapshot of three cases. */
export function snapshot(overrides: Partial<WalltimeSnapshotResult> = {}): WalltimeSnapshotResult {
  const cases = [
    criterionCase('Put/K16-V16/1', 3_210_000),
    criterionCase('Get/K16/1', 12_400),
    criterionCase('Scan/1000', 1_050_000_000)
  ]
  return {
    schemaVersion: 1,
    tool: 'mace-actions perf',
    mode: 'snapshot',
    headSha: '2222222222222222222222222222222222222222',
    passed: true,
    reasons: [],
    count: cases.length,
    p50: 3_210_000,
    p95: 3_210_000,
    cases,
    startedAt: '2025-06-01T12:00:00.000Z',
    durationMs: 190_000,
    outputDir: 'target/perf_gate',
    ...overrides
  }
}

/** A Criterion case with its median, a mean 2 % above, and a ±1 % interval. */
export function criterionCase(id: string, medianNs: number): CriterionCase {
  return {
    id,
    directory: id,
    medianNs,
    meanNs: medianNs * 1.02,
    medianCi: { low: medianNs * 0.99, high: medianNs * 1.01 },
    sampleCount: 100
  }
}

/** A hostile id regressed, another unchanged, six ordinary cases, and a reason quoting it. */
export function hostileCompare(): PerfCompareResult {
  const result = compare([
    ...unchanged(6),
    comparison(HOSTILE_ID, 'regressed', 40, { reason: `slower on @octocat's ${HOSTILE_ID}` }),
    comparison(`${HOSTILE_ID}/2`, 'unchanged', 0.5)
  ])
  return { ...result, reasons: [`regressed: ${HOSTILE_ID}`] }
}

/**
 * `n` cases with long hostile ids: every tenth regressed, every tenth improved,
 * the rest unchanged. The regressed ones fail the gate.
 */
export function manyCases(n: number): PerfCompareResult {
  const cases = Array.from({ length: n }, (_, i) => {
    const id = `${HOSTILE_ID} ${'<|>`@'.repeat(30)} #${i}`
    if (i % 10 === 0) return comparison(id, 'regressed', 10 + (i % 997) / 10)
    if (i % 10 === 1) return comparison(id, 'improved', -10 - (i % 997) / 10)
    return comparison(id, 'unchanged', ((i % 7) - 3) / 2)
  })
  return compare(cases)
}

/** `n` unchanged cases within ±1.5 %. */
export function unchanged(n: number): CaseComparison[] {
  return Array.from({ length: n }, (_, i) =>
    comparison(`Steady/${i + 1}`, 'unchanged', ((i % 7) - 3) / 2)
  )
}

function countsOf(cases: CaseComparison[]): CompareCounts {
  const count = (verdict: CaseVerdict): number => cases.filter(c => c.verdict === verdict).length
  const judged = ['regressed', 'improved', 'unchanged', 'inconclusive'] as const
  return {
    compared: judged.reduce((sum, verdict) => sum + count(verdict), 0),
    regressed: count('regressed'),
    improved: count('improved'),
    unchanged: count('unchanged'),
    inconclusive: count('inconclusive'),
    skipped: count('skipped'),
    new: count('new'),
    missing: count('missing')
  }
}

/**
 * What in rendered Markdown could let untrusted text out of its place: raw
 * HTML, an unbalanced `<details>`, a table row with an extra cell, a mention
 * GitHub would notify. Empty when there is none.
 */
export function markdownHazards(markdown: string): string[] {
  const hazards: string[] = []
  if (/(?<!\\)<(?:img|script)/i.test(markdown)) hazards.push('raw HTML from an id')
  const opened = markdown.split('<details>').length - 1
  const closed = markdown.split('</details>').length - 1
  if (opened !== closed) hazards.push(`${opened} <details> but ${closed} </details>`)
  // GitHub never links mentions inside code; everywhere else `@` needs the word joiner.
  const outsideCode = markdown.replace(/<code>[^]*?<\/code>/g, '')
  if (/@(?!\u2060)/.test(outsideCode)) hazards.push('a mention outside code')
  let cells: number | undefined
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      cells = undefined
      continue
    }
    const pipes = (line.match(/(?<!\\)\|/g) ?? []).length
    cells ??= pipes
    if (pipes !== cells) hazards.push(`a row with ${pipes - 1} cells: ${line.slice(0, 80)}`)
  }
  return hazards
}
