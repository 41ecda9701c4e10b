/**
 * The page's data (`data.js` beside `index.html`): every series of the
 * history, compacted for the browser. Loaded by a `<script src>`, not
 * `fetch()`, so the page works opened from the file system too.
 */
import { fingerprintId, describeFingerprint } from '../fingerprint.js'
import { seriesFolder, type CaseValue, type SeriesKey } from '../point.js'
import { readSeen } from '../seen-shifts.js'
import { listSeries, readSeries } from '../store.js'

/** One series as the page draws it. */
export interface PageSeries extends SeriesKey {
  /** The unit of the values: `ns` or `instructions`. */
  unit: 'ns' | 'instructions'
  /** Fingerprint id → its description. */
  fingerprints: Record<string, string>
  /** Per point, in series order: [commit, commit time, measuring time, fingerprint id, points squashed into it (0: none), run URL]. */
  points: [string, string, string, string, number, string][]
  /** Case id → its figure at each point (null where the point has no such case). */
  cases: Record<string, (CaseValue | null)[]>
  /** The shifts announced: case id, first commit at the new level, delta_pct. */
  shifts: [string, string, number][]
}

/** The whole page's data. */
export interface PageData {
  /** When the page was made (ISO 8601). */
  generated: string
  /** A commit's web page, `{sha}` standing for the commit; absent when unknown. */
  commitUrl?: string
  series: PageSeries[]
}

/** Reads every series of the history in `dir` into the page's data. */
export function pageData(dir: string, commitUrl: string | undefined, now: Date): PageData {
  const series = listSeries(dir).map(key => pageSeries(dir, key))
  return {
    generated: now.toISOString(),
    ...(commitUrl && /^https?:\/\//.test(commitUrl) ? { commitUrl } : {}),
    series
  }
}

function pageSeries(dir: string, key: SeriesKey): PageSeries {
  const { points } = readSeries(dir, key)
  const fingerprints: Record<string, string> = {}
  for (const p of points)
    fingerprints[fingerprintId(p.fingerprint)] = describeFingerprint(p.fingerprint)
  const ids = [...new Set(points.flatMap(p => Object.keys(p.cases)))].sort()
  return {
    ...key,
    unit: key.metric === 'instructions' ? 'instructions' : 'ns',
    fingerprints,
    points: points.map(p => [
      p.commit,
      p.commitTime,
      p.time,
      fingerprintId(p.fingerprint),
      p.squashed?.points ?? 0,
      p.run ?? ''
    ]),
    cases: Object.fromEntries(ids.map(id => [id, points.map(p => p.cases[id] ?? null)])),
    shifts: readSeen(dir, key).map(s => [s.id, s.firstCommit, s.delta_pct])
  }
}

/** The `data.js` text: one assignment, safe to load as a classic script. */
export function dataScript(data: PageData): string {
  // JSON is a JavaScript expression; U+2028/9 are escaped anyway for old parsers.
  const json = JSON.stringify(data)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
  return `// The data of index.html, written by mace-actions (${seriesNote(data)}).\nwindow.MACE_HISTORY = ${json};\n`
}

function seriesNote(data: PageData): string {
  return data.series.map(s => seriesFolder(s)).join(', ') || 'no series yet'
}
