/**
 * The tracking issue's text for new lasting slowdowns: which cases, by how
 * much, and the range of commits each came in (a compare link when the
 * repository's web address is known). Improvements are listed in the summary
 * and track.json, never announced in an issue.
 */
import { escapeMarkdownText, markdownCode } from '../../shared/markdown.js'
import { formatCount, formatNs } from '../../shared/units.js'
import { describeFingerprint } from '../fingerprint.js'
import type { TrackResult, TrackShift } from '../results.js'

/** Rows an issue comment lists at most; the rest are counted. */
export const MAX_ISSUE_ROWS = 40

/** The new slowdowns of a track run: what an issue announces. */
export function newSlowdowns(r: TrackResult): TrackShift[] {
  return r.shifts.filter(s => s.new && s.delta_pct > 0)
}

/**
 * The issue body (or comment) for the new slowdowns. `commitUrl` is the commit page with `{sha}`;
 * its `/commit/` base gives the compare link of each range.
 */
export function renderShiftIssue(r: TrackResult, commitUrl: string | undefined): string {
  const shifts = newSlowdowns(r)
  const value = (v: number): string =>
    r.series.metric === 'instructions' ? formatCount(v) : formatNs(v)
  const rows = shifts.slice(0, MAX_ISSUE_ROWS).map(s => {
    const range = `${s.lastCommitBefore.slice(0, 12)}..${s.firstCommit.slice(0, 12)}`
    const link = commitUrl?.includes('/commit/{sha}')
      ? `[${range}](${commitUrl.replace('/commit/{sha}', `/compare/${s.lastCommitBefore}...${s.firstCommit}`)})`
      : markdownCode(range)
    return `| ${markdownCode(s.id)} | +${s.delta_pct.toFixed(1)} % | ${value(s.before)} | ${value(s.after)} | ${link} | ${s.pointsBefore} / ${s.pointsAfter} |`
  })
  const more =
    shifts.length > MAX_ISSUE_ROWS
      ? `\n\n${shifts.length - MAX_ISSUE_ROWS} more in the run's track.json.`
      : ''
  return [
    `### ${shifts.length} lasting ${shifts.length === 1 ? 'slowdown' : 'slowdowns'} on the default branch (bench ${escapeMarkdownText(r.series.bench)}, ${r.series.metric})`,
    `Found in the history by change-point detection over ${r.seriesPoints} points of one runner (${escapeMarkdownText(describeFingerprint(r.fingerprint))}): each case's level moved at the commit range shown and stayed there for the points after it.`,
    `| case | Δ | before | after | commits | points before / after |\n| --- | ---: | ---: | ---: | --- | ---: |\n${rows.join('\n')}${more}`,
    'Closing this issue acknowledges these shifts: they are not announced again. A later shift opens a new issue, or comments here while this one is open.'
  ].join('\n\n')
}
