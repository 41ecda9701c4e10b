/**
 * The compare document (compare.json) assembled from what the sides measured:
 * the verdict, a cancelled run's partial results, and the warnings a reader
 * must see though the gate did not fail on them (a case-thresholds pattern
 * that matched nothing, a bench that sets its own budget, a compare that could
 * judge no case).
 */
import { unmatchedPatterns } from './judge/case-thresholds.js'
import type { BenchEnvEntry, MeasuringCost, PerfCompareResult } from './results.js'
import type { PerfSettings } from './settings.js'
import type { MeasuredSides } from './measure/sides.js'
import { countVerdicts, isAllInconclusive, medianResolution } from './judge/verdict.js'
import { formatDuration, plural } from '../shared/text.js'

/** What the run knows besides the measurements. */
export interface CompareFacts {
  baseSha: string
  headSha: string
  /** The checkout had uncommitted changes: the head is headSha plus them. */
  headDirty: boolean
  sameTree: boolean
  benchEnv: Record<string, BenchEnvEntry>
  started: number
  cancelled: boolean
}

/** The compare document; a cancelled run fails with that reason, keeping what it measured. */
export function compareResult(
  s: PerfSettings,
  measured: MeasuredSides,
  facts: CompareFacts
): PerfCompareResult {
  const cancelled = facts.cancelled || measured.cancelled
  const { decision } = measured
  const result: PerfCompareResult = {
    schemaVersion: 1,
    tool: 'mace-actions perf',
    mode: 'compare',
    metric: s.metric,
    gate: s.gate,
    baseRef: s.baseRef,
    baseSha: facts.baseSha,
    headSha: facts.headSha,
    ...(facts.headDirty ? { headDirty: true } : {}),
    thresholdPct: s.regressPct,
    maxRegressCases: s.maxRegressCases,
    minCompareCases: s.minCompareCases,
    minBaseNs: s.minBaseNs,
    rounds: measured.rounds,
    ...(s.metric === 'walltime'
      ? { inconclusive: s.inconclusive, allInconclusive: s.inconclusive }
      : {}),
    outcome: cancelled ? 'not-judged' : decision.outcome,
    passed: !cancelled && decision.passed,
    ...(measured.pairing ? { pairing: measured.pairing } : {}),
    ...resolutionOf(measured),
    ...(cancelled ? { cancelled: true } : {}),
    reasons: cancelled ? [cancelReason(measured)] : decision.reasons,
    warnings: cancelled ? [] : compareWarnings(s, measured),
    counts: decision.counts,
    ...(measured.baseHasNoBench ? { baseHasNoBench: true } : {}),
    sameTree: facts.sameTree,
    benchEnv: facts.benchEnv,
    cost: measured.cost,
    cases: measured.comparisons,
    startedAt: new Date(facts.started).toISOString(),
    durationMs: Date.now() - facts.started,
    outputDir: s.outDir
  }
  return result
}

/** The median resolution of the compared cases, when any had an interval. */
function resolutionOf(measured: MeasuredSides): { resolutionPct?: number } {
  const resolutionPct = medianResolution(measured.comparisons)
  return resolutionPct === undefined ? {} : { resolutionPct }
}

/** Nothing measured: a compare cancelled before its sides were measured. */
export function nothingMeasured(): MeasuredSides {
  const counts = countVerdicts([])
  return {
    comparisons: [],
    decision: { outcome: 'not-judged', passed: false, reasons: [], counts },
    rounds: 0,
    cost: { measuringMs: 0, roundMs: [] },
    cancelled: true
  }
}

/** The warnings of a finished compare, in the order a reader needs them. */
export function compareWarnings(s: PerfSettings, measured: MeasuredSides): string[] {
  const warnings: string[] = []
  const counts = measured.decision.counts
  const budget = budgetWarning(s, measured.cost)
  if (budget !== undefined) warnings.push(budget)
  if (s.metric === 'walltime' && counts.inconclusive > 0) {
    const all = isAllInconclusive(counts)
    const what = all
      ? `All ${plural(counts.compared, 'compared case')} were inconclusive: this compare judged nothing`
      : `${counts.inconclusive} of ${plural(counts.compared, 'compared case')} could not be judged (inconclusive)`
    warnings.push(
      `${what}: the rounds cannot tell a change of the threshold from noise. A larger ` +
        'time-budget, a quieter runner or metric instructions let the gate judge them' +
        (s.inconclusive === 'pass' ? '; inconclusive: fail fails such a compare.' : '.')
    )
  }
  const compared = measured.comparisons.filter(c => c.delta_pct !== undefined).map(c => c.id)
  if (compared.length > 0) {
    for (const pattern of unmatchedPatterns(s.caseThresholds, compared)) {
      warnings.push(
        `case-thresholds: the pattern '${pattern}' matched no compared case, so its threshold ` +
          `applied to nothing (${plural(compared.length, 'case')} compared, e.g. '${compared[0]}').`
      )
    }
  }
  return warnings
}

/**
 * Said when Criterion did not run the budget the rounds asked for and that changed the plan:
 * what it ran, what the rounds were planned to fit, and how to give the gate its rounds.
 */
function budgetWarning(s: PerfSettings, cost: MeasuringCost): string | undefined {
  const { requested, observed } = cost
  if (cost.budgetHonoured !== false || !requested || !observed) return undefined
  if (s.rounds <= 1 && s.remeasureRounds === 0) return undefined
  const ran =
    `${range(observed.samples.low, observed.samples.high)} samples over ` +
    `${range(observed.measuredSeconds.low, observed.measuredSeconds.high, 2)} s per case`
  const asked = `${requested.sampleSize} over ${requested.measurementSeconds} s were asked`
  const cases = cost.departedCases?.length ? ` (${cost.departedCases.join(', ')})` : ''
  const plan =
    cost.timeBudgetMs === undefined
      ? ''
      : ` The rounds were planned to fit the time budget of ${formatDuration(cost.timeBudgetMs)}` +
        `, ${cost.timeBudgetFrom}` +
        (cost.referenceMs === undefined
          ? ''
          : `; the reference's measuring time (one plain run per side), estimated from round 1, was ${formatDuration(cost.referenceMs)}`) +
        `: ${ranRounds(cost)}.`
  return (
    `The bench sets its own Criterion budget: Criterion ran ${ran} where ${asked}${cases}, ` +
    'so split-budget could not divide it and every round cost a full run.' +
    plan +
    ' A case needs 3 paired rounds for an interval, and is inconclusive without one. To give the gate its rounds, set the ' +
    'budget on the Criterion config of criterion_group! (the flags then win) rather than on each group, or raise time-budget.'
  )
}

function ranRounds(cost: MeasuringCost): string {
  const parts = [`${cost.roundsRun ?? 0} of ${cost.plannedRounds ?? 0} rounds`]
  if (cost.remeasureRoundsRun !== undefined && cost.remeasureRoundsRun > 0) {
    parts.push(
      `${cost.remeasureRoundsRun} re-measuring ${cost.remeasureRoundsRun === 1 ? 'round' : 'rounds'}`
    )
  }
  return parts.join(' and ') + (cost.cut === undefined ? '' : ` (${cost.cut})`)
}

function cancelReason(measured: MeasuredSides): string {
  const done = measured.rounds
  return done === 0
    ? 'the compare was cancelled before it measured anything'
    : `the compare was cancelled in round ${done}: what was measured until then is kept, and the gate gives no verdict`
}

function range(low: number, high: number, decimals = 0): string {
  const f = (x: number): string => x.toFixed(decimals)
  return f(low) === f(high) ? f(low) : `${f(low)}–${f(high)}`
}
