/**
 * `perf track` as people read it: the job summary (Markdown: verdict first,
 * then the shifts as a table, then the runner and the method) and the console
 * report. Pure functions of the track document.
 */
import { escapeMarkdownText, markdownCode } from '../../shared/markdown.js'
import { formatCount, formatNs } from '../../shared/units.js'
import { describeFingerprint } from '../fingerprint.js'
import type { TrackResult, TrackShift } from '../results.js'

/** Shift rows shown at most; the rest are in track.json. */
export const MAX_SHIFT_ROWS = 50

/** The verdict in one line: what was added where, and the new shifts. */
export function trackVerdict(r: TrackResult): string {
  if (!r.passed) return `FAIL: ${r.reasons.join(' ')}`
  const cases = Object.keys(r.added[0]?.cases ?? {}).length
  const fresh = r.shifts.filter(s => s.new)
  const news =
    fresh.length > 0
      ? `; ${fresh.length} new lasting ${fresh.length === 1 ? 'shift' : 'shifts'}: ${shortList(fresh)}`
      : ''
  return `point of ${r.added[0]?.commit.slice(0, 12) ?? '?'} added (${cases} cases, ${r.series.bench}, ${r.series.metric})${news}`
}

/** The job summary (Markdown). */
export function renderTrackSummary(r: TrackResult): string {
  const icon = !r.passed ? '❌' : r.shifts.some(s => s.new && s.delta_pct > 0) ? '⚠️' : '✅'
  const blocks = [
    `## ${icon} perf track: ${escapeMarkdownText(trackVerdict(r))}`,
    ...r.warnings.map(w => `> ⚠️ ${escapeMarkdownText(w)}`),
    placeLine(r),
    shiftsBlock(r),
    `**Runner** (\`${r.fingerprint.id}\`): ${escapeMarkdownText(describeFingerprint(r.fingerprint))}; ${r.seriesPoints} points in its series.`,
    methodLine(r)
  ].filter(b => b !== '')
  return `${blocks.join('\n\n')}\n`
}

/** The console report: the verdict last. */
export function renderTrackConsole(r: TrackResult): string {
  const lines = [`perf track (${r.series.metric}, bench ${r.series.bench})`]
  lines.push(
    `history: ${r.history.kind} ${r.history.location}${r.history.commit ? ` at ${r.history.commit.slice(0, 12)}` : ''}`
  )
  lines.push(
    `runner: ${describeFingerprint(r.fingerprint)} (${r.fingerprint.id}, ${r.seriesPoints} points)`
  )
  for (const w of r.warnings) lines.push(`warning: ${w}`)
  if (r.passed) {
    lines.push(r.shifts.length === 0 ? 'shifts: none' : `shifts (${r.shifts.length}):`)
    for (const s of r.shifts) {
      lines.push(
        `  ${s.new ? 'NEW ' : '    '}${signed(s.delta_pct).padStart(9)}  ${s.id}  ${value(r, s.before)} → ${value(r, s.after)}  at ${s.firstCommit.slice(0, 12)} (after ${s.lastCommitBefore.slice(0, 12)})`
      )
    }
  }
  lines.push(`result: ${trackVerdict(r)}`)
  return `${lines.join('\n')}\n`
}

function placeLine(r: TrackResult): string {
  const h = r.history
  if (h.kind === 'directory')
    return `**History**: directory ${markdownCode(h.location)} (open its \`index.html\`).`
  const commit = h.commit ? ` at ${markdownCode(h.commit.slice(0, 12))}` : ''
  const tries =
    (h.attempts ?? 1) > 1 ? ` after ${h.attempts} pushes (another writer came first)` : ''
  return `**History**: branch ${markdownCode(h.location)}${commit}${tries}; its \`index.html\` is the chart page (GitHub Pages can serve the branch).`
}

function shiftsBlock(r: TrackResult): string {
  if (!r.passed) return ''
  if (r.shifts.length === 0)
    return `### Lasting shifts\n\nNone in this runner's series of ${r.seriesPoints} points.`
  const rows = r.shifts
    .slice(-MAX_SHIFT_ROWS)
    .reverse()
    .map(s => shiftRow(r, s))
  const more =
    r.shifts.length > MAX_SHIFT_ROWS
      ? `\n\n${r.shifts.length - MAX_SHIFT_ROWS} older shifts are in track.json.`
      : ''
  return `### Lasting shifts\n\n| | case | Δ | before | after | first commit at the new level | last commit before | points before / after |\n| --- | --- | ---: | ---: | ---: | --- | --- | ---: |\n${rows.join('\n')}${more}`
}

function shiftRow(r: TrackResult, s: TrackShift): string {
  const mark = s.new ? (s.delta_pct > 0 ? '🆕 🔺' : '🆕') : ''
  return `| ${mark} | ${markdownCode(s.id)} | ${signed(s.delta_pct)} | ${value(r, s.before)} | ${value(r, s.after)} | ${markdownCode(s.firstCommit.slice(0, 12))} | ${markdownCode(s.lastCommitBefore.slice(0, 12))} | ${s.pointsBefore} / ${s.pointsAfter} |`
}

/** How shifts are found, said from the settings the run used. */
function methodLine(r: TrackResult): string {
  const { alpha, minPoints, shiftPct, maxPoints } = r.rule
  return `Shifts are change points of each case's series on this runner (E-Divisive means on ranks, each split kept when a t-test on the ranks of its two sides passes at α ${alpha}, Bonferroni over its candidate splits), with at least ${minPoints} points each side and a change of at least ${shiftPct} %; a change of runner starts a new series and is never a shift. A series keeps ${maxPoints} points in full, older months squashed.`
}

function value(r: TrackResult, v: number): string {
  return r.series.metric === 'instructions' ? formatCount(v) : formatNs(v)
}

function signed(pct: number): string {
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %`
}

function shortList(shifts: readonly TrackShift[]): string {
  const named = shifts.slice(0, 3).map(s => `${s.id} ${signed(s.delta_pct)}`)
  return shifts.length > 3 ? `${named.join(', ')} and ${shifts.length - 3} more` : named.join(', ')
}
