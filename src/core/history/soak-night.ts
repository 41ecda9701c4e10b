/**
 * A soak night in the history (the `soak/` part): one point per night with the
 * night's p50 and p95 (the median over its perf cycles, their range as the
 * interval, and every cycle's figures), and tonight compared with the earlier
 * nights of the same runner: "p95 +18 % against the last 7 nights".
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Logger } from '../shared/logger.js'
import type { PerfMetric } from '../perf/results.js'
import { describeFingerprint, fingerprintId, runnerFingerprint } from './fingerprint.js'
import { writeHistory, type PlaceHooks } from './place.js'
import { caseValue, valueOf, type HistoryPoint, type SeriesKey } from './point.js'
import type { HistoryPlace, NamedFingerprint, NewSeries } from './results.js'
import type { HistorySettings } from './settings.js'
import { DEFAULT_SHIFT_OPTIONS, median, seriesOf } from './shifts.js'
import { readSeries } from './store.js'
import { commitTime } from './track.js'
import { updateHistory } from './update.js'

const run = promisify(execFile)

/** Earlier nights tonight is compared with, at most. */
export const NIGHTS_COMPARED = 7

/** One perf cycle of the night: its p50 and p95 (ns, or instructions). */
export interface NightSample {
  cycle: number
  p50: number
  p95: number
}

/** Tonight's p50 or p95 against the earlier nights. */
export interface NightComparison {
  series: 'p50' | 'p95'
  /** Tonight: the median over the night's perf cycles. */
  tonight: number
  /** The median of the earlier nights' figures. */
  earlier: number
  /** `(tonight - earlier) / earlier * 100`: positive = slower, or more instructions. */
  delta_pct: number
}

/** What the history made of a soak night (in soak.json as `history`). */
export interface SoakHistory {
  /** Where the night went; absent when it was not added (no perf cycle, or the write failed). */
  place?: HistoryPlace
  fingerprint?: NamedFingerprint
  /** Earlier nights of this runner compared with (at most NIGHTS_COMPARED). */
  nights: number
  comparisons: NightComparison[]
  /** Set when tonight is the first night of this runner. */
  newSeries?: NewSeries
  /** The comparison in one line, or why there is none. */
  message: string
}

/** The night as the history needs it. */
export interface NightInput {
  samples: readonly NightSample[]
  metric: PerfMetric
  bench: string
  workingDirectory: string
  repoRoot: string
  env: NodeJS.ProcessEnv
}

/**
 * Adds the night to the history and compares it with the earlier nights of its runner. Never
 * throws for the history's sake: a write that fails is said in the message.
 */
export async function recordSoakNight(
  night: NightInput,
  history: HistorySettings,
  logger: Logger,
  hooks: PlaceHooks = {}
): Promise<SoakHistory> {
  if (night.samples.length === 0) {
    return {
      nights: 0,
      comparisons: [],
      message: 'No perf cycle tonight: nothing was added to the history.'
    }
  }
  try {
    const fingerprint = await runnerFingerprint(night.metric, night.workingDirectory, night.env)
    const commit = (await run('git', ['rev-parse', 'HEAD'], { cwd: night.repoRoot })).stdout.trim()
    const point = nightPoint(
      night.samples,
      fingerprint,
      commit,
      await commitTime(night.repoRoot, commit),
      history.runUrl
    )
    const key: SeriesKey = { part: 'soak', bench: night.bench, metric: night.metric }
    const options = {
      ...DEFAULT_SHIFT_OPTIONS,
      shiftPct: history.shiftPct,
      maxPoints: history.maxPoints,
      ...(history.commitUrl ? { commitUrl: history.commitUrl } : {})
    }
    const { value, place } = await writeHistory(
      history.location,
      dir => {
        const earlier = seriesOf(readSeries(dir, key).points, fingerprintId(fingerprint)).slice(
          -NIGHTS_COMPARED
        )
        return { earlier, update: updateHistory(dir, key, point, options) }
      },
      () =>
        `soak night: ${commit.slice(0, 12)} (${night.bench}, ${night.metric}, ${night.samples.length} perf cycles)`,
      logger,
      hooks
    )
    const comparisons = compare(point, value.earlier)
    return {
      place,
      fingerprint: { ...fingerprint, id: fingerprintId(fingerprint) },
      nights: value.earlier.length,
      comparisons,
      ...(value.update.newSeries ? { newSeries: value.update.newSeries } : {}),
      message: nightMessage(
        comparisons,
        value.earlier.length,
        value.update.newSeries,
        describeFingerprint(fingerprint)
      )
    }
  } catch (error) {
    const message = `The night was not added to the history: ${(error as Error).message}`
    logger.warning(message)
    return { nights: 0, comparisons: [], message }
  }
}

/** The night as a point: p50 and p95 each the median over its cycles, their range the interval. */
export function nightPoint(
  samples: readonly NightSample[],
  fingerprint: HistoryPoint['fingerprint'],
  commit: string,
  commitTimeIso: string,
  runUrl?: string,
  time = new Date().toISOString()
): HistoryPoint {
  const figure = (xs: number[]): HistoryPoint['cases'][string] =>
    caseValue(median(xs), Math.min(...xs), Math.max(...xs))
  const p50 = samples.map(s => s.p50)
  const p95 = samples.map(s => s.p95)
  return {
    commit,
    commitTime: commitTimeIso,
    time,
    fingerprint,
    cases: { p50: figure(p50), p95: figure(p95) },
    night: { cycle: samples.map(s => s.cycle), p50, p95 },
    ...(runUrl ? { run: runUrl } : {})
  }
}

/** Tonight's p50 and p95 against the median of the earlier nights'. */
export function compare(
  tonight: HistoryPoint,
  earlier: readonly HistoryPoint[]
): NightComparison[] {
  return (['p50', 'p95'] as const).flatMap(series => {
    const before = earlier
      .map(p => p.cases[series])
      .filter(v => v !== undefined)
      .map(v => valueOf(v))
    const now = tonight.cases[series]
    if (before.length === 0 || now === undefined) return []
    const level = median(before)
    return [
      {
        series,
        tonight: valueOf(now),
        earlier: level,
        delta_pct: ((valueOf(now) - level) / level) * 100
      }
    ]
  })
}

function nightMessage(
  c: NightComparison[],
  nights: number,
  fresh: NewSeries | undefined,
  runner: string
): string {
  if (c.length === 0) {
    const why = fresh?.previous ? `the runner changed (${fresh.change})` : 'no earlier night'
    return `The first night of this runner (${runner}): ${why}, so nothing to compare with yet.`
  }
  const last = nights === 1 ? 'the last night' : `the last ${nights} nights`
  return (
    c.map(x => `${x.series} ${x.delta_pct >= 0 ? '+' : ''}${x.delta_pct.toFixed(1)} %`).join(', ') +
    ` against ${last} of this runner.`
  )
}
