/**
 * What a stopped compare was running: which side was being built or measured, in which round,
 * with which filter. A cancelled compare, or one that hit the job's timeout, otherwise leaves
 * the reader guessing where the time went.
 */
import type { PerfCompareResult, PerfRunning } from '../results.js'
import { codeBlock, markdownCode } from '../../shared/markdown.js'
import { formatDuration, truncate } from '../../shared/text.js'

// The error of a stopped compare names a round or a command; longer is a log, which the artifact has.
const MAX_REASON_CHARS = 2_000

/**
 * `**Running when it stopped:** round 3 of 5, the head side, filter <code>Put</code>, for
 * 1m 10s`; '' when the compare finished.
 */
export function compareRunningLine(result: PerfCompareResult): string {
  if (result.running === undefined) return ''
  return runningLine(result.running, Date.parse(result.startedAt) + result.durationMs)
}

/**
 * The job summary of a compare stopped before it had a result (cancelled, or at the job's
 * timeout): that it stopped, why (the error, as a text block), and what was running then.
 * `stoppedAt` is ms since the epoch.
 */
export function renderStoppedCompareSummary(
  running: PerfRunning | undefined,
  reason: string,
  stoppedAt: number
): string {
  return [
    '## ⏹️ perf compare: stopped before it finished',
    ...(running === undefined ? [] : [runningLine(running, stoppedAt)]),
    codeBlock(truncate(reason, MAX_REASON_CHARS)),
    'Nothing was gated: a stopped compare neither passes nor fails a case.'
  ].join('\n\n')
}

function runningLine(running: PerfRunning, stoppedAt: number): string {
  const round =
    running.rounds === undefined ? `${running.round}` : `${running.round} of ${running.rounds}`
  const what =
    running.step === 'build'
      ? `building the ${running.side} side`
      : `${running.step === 're-measure' ? 're-measuring round' : 'round'} ${round}, ${running.side === 'both' ? 'base and head at once (duet)' : `the ${running.side} side`}`
  const filter = running.filter === undefined ? '' : `, filter ${markdownCode(running.filter)}`
  const ms = stoppedAt - Date.parse(running.startedAt)
  const ran = Number.isFinite(ms) ? `, for ${formatDuration(ms)}` : ''
  return `**Running when it stopped:** ${what}${filter}${ran}`
}
