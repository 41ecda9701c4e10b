/**
 * `perf track`: a snapshot of the commit, appended as a point to the history
 * of the default branch, with the series' lasting shifts found and the page
 * rendered again; `track.json` in the output directory says what was added and
 * found. A snapshot that measured nothing adds no point and does not pass.
 */
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { PerfSnapshotResult } from '../perf/results.js'
import { runPerfSnapshot, type PerfDependencies } from '../perf/run.js'
import type { PerfSettings } from '../perf/settings.js'
import { fingerprintId, runnerFingerprint } from './fingerprint.js'
import { writeHistory, type PlaceHooks } from './place.js'
import { caseValue, type Fingerprint, type HistoryPoint, type SeriesKey } from './point.js'
import type { TrackResult } from './results.js'
import type { HistorySettings } from './settings.js'
import { DEFAULT_SHIFT_OPTIONS } from './shifts.js'
import { updateHistory } from './update.js'

const run = promisify(execFile)

/** What `perf track` needs beyond the perf core's dependencies. */
export interface TrackDependencies extends PerfDependencies {
  /** Test hooks of the branch write. */
  hooks?: PlaceHooks
  /** The measuring time of the point (default: now). */
  now?: () => Date
}

/** Takes the snapshot, adds its point to the history and writes `<out-dir>/track.json`. */
export async function runPerfTrack(
  perf: PerfSettings,
  history: HistorySettings,
  deps: TrackDependencies
): Promise<TrackResult> {
  const started = Date.now()
  const snapshot = await runPerfSnapshot({ ...perf, mode: 'snapshot' }, deps)
  const env = deps.env ?? process.env
  const fingerprint = await runnerFingerprint(perf.metric, perf.workingDirectory, env)
  const key: SeriesKey = { part: 'perf', bench: perf.bench, metric: perf.metric }
  const base = {
    schemaVersion: 1,
    tool: 'mace-actions perf',
    mode: 'track',
    series: key,
    fingerprint: { ...fingerprint, id: fingerprintId(fingerprint) },
    rule: { ...DEFAULT_SHIFT_OPTIONS, shiftPct: history.shiftPct, maxPoints: history.maxPoints },
    snapshot: join(perf.outDir, 'snapshot.json'),
    startedAt: new Date(started).toISOString(),
    outputDir: perf.outDir
  } as const
  let result: TrackResult
  if (!snapshot.passed || snapshot.cancelled === true || snapshot.count === 0) {
    const why = snapshot.reasons.length > 0 ? snapshot.reasons : ['the snapshot measured no case']
    result = notAdded(base, history, [...why, 'No point was added to the history.'], started)
  } else {
    const time = (deps.now?.() ?? new Date()).toISOString()
    const at = await commitTime(perf.repoRoot, snapshot.headSha)
    const point = snapshotPoint(snapshot, fingerprint, at, time, history.runUrl)
    try {
      result = await addPoint(base, history, key, point, deps, started)
    } catch (error) {
      // The snapshot stays on disk beside track.json: what was measured is not lost.
      const reason = `The point could not be written to the history: ${(error as Error).message}`
      result = notAdded(base, history, [reason], started)
    }
  }
  writeFileSync(join(perf.outDir, 'track.json'), `${JSON.stringify(result, null, 2)}\n`)
  return result
}

type TrackBase = Pick<
  TrackResult,
  | 'schemaVersion'
  | 'tool'
  | 'mode'
  | 'series'
  | 'fingerprint'
  | 'rule'
  | 'snapshot'
  | 'startedAt'
  | 'outputDir'
>

/** Writes the point to the history and says what the write found. */
async function addPoint(
  base: TrackBase,
  history: HistorySettings,
  key: SeriesKey,
  point: HistoryPoint,
  deps: TrackDependencies,
  started: number
): Promise<TrackResult> {
  const options = {
    ...DEFAULT_SHIFT_OPTIONS,
    shiftPct: history.shiftPct,
    maxPoints: history.maxPoints,
    ...(history.commitUrl ? { commitUrl: history.commitUrl } : {})
  }
  const cases = Object.keys(point.cases).length
  const { value: update, place } = await writeHistory(
    history.location,
    dir => updateHistory(dir, key, point, options),
    u => {
      const fresh = u.shifts.filter(s => s.new).length
      const news = fresh > 0 ? `, ${fresh} new shifts` : ''
      return `perf track: ${point.commit.slice(0, 12)} (${key.bench}, ${key.metric}, ${cases} cases${news})`
    },
    deps.logger,
    deps.hooks
  )
  return {
    ...base,
    passed: true,
    reasons: [],
    warnings: trackWarnings(update),
    history: place,
    ...(update.newSeries ? { newSeries: update.newSeries } : {}),
    added: [point],
    seriesPoints: update.seriesPoints,
    shifts: update.shifts,
    cap: update.cap,
    unreadable: update.unreadable,
    durationMs: Date.now() - started
  }
}

/** A run that added no point: it does not pass. */
function notAdded(
  base: TrackBase,
  history: HistorySettings,
  reasons: string[],
  started: number
): TrackResult {
  return {
    ...base,
    passed: false,
    reasons,
    warnings: [],
    history: { kind: history.location.kind, location: locationName(history) },
    added: [],
    seriesPoints: 0,
    shifts: [],
    cap: { squashedMonths: [], dropped: 0 },
    unreadable: [],
    durationMs: Date.now() - started
  }
}

/** A snapshot as a history point: each case's median (ns) with its interval, or its count. */
export function snapshotPoint(
  snapshot: PerfSnapshotResult,
  fingerprint: Fingerprint,
  commitTimeIso: string,
  time: string,
  runUrl?: string
): HistoryPoint {
  const cases =
    snapshot.metric === 'instructions'
      ? snapshot.cases.map(c => [c.id, caseValue(c.instructions)] as const)
      : snapshot.cases.map(
          c => [c.id, caseValue(c.medianNs, c.medianCi?.low, c.medianCi?.high)] as const
        )
  return {
    commit: snapshot.headSha,
    commitTime: commitTimeIso,
    time,
    fingerprint,
    cases: Object.fromEntries([...cases].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    ...(runUrl ? { run: runUrl } : {})
  }
}

/** The committer date of `sha` (ISO 8601, UTC). */
export async function commitTime(repoRoot: string, sha: string): Promise<string> {
  const { stdout } = await run('git', ['show', '-s', '--format=%cI', sha], { cwd: repoRoot })
  return new Date(stdout.trim()).toISOString()
}

function trackWarnings(update: ReturnType<typeof updateHistory>): string[] {
  const warnings: string[] = []
  if (update.newSeries?.previous) {
    warnings.push(
      `The runner changed (${update.newSeries.change}): this point starts a new series, and no shift is judged across the change.`
    )
  }
  if (update.unreadable.length > 0) {
    const first = update.unreadable[0]!
    warnings.push(
      `${update.unreadable.length} line(s) of the history could not be read and were left out (first: ${first.file}:${first.line}, ${first.reason}).`
    )
  }
  if (update.cap.squashedMonths.length > 0) {
    warnings.push(`The cap folded ${update.cap.squashedMonths.join(', ')} into squashed points.`)
  }
  return warnings
}

function locationName(history: HistorySettings): string {
  return history.location.kind === 'directory' ? history.location.dir : history.location.branch
}
