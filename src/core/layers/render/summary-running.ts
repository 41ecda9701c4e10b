/**
 * The line of a stopped run's summary that says what was running when it stopped: the build,
 * the listing or the case, for how long, and its command. A cancelled job, or one that hit its
 * `timeout-minutes`, otherwise leaves the reader guessing which test hung.
 */
import type { RunningStep, TestRunResult } from '../results.js'
import { markdownCode } from '../../shared/markdown.js'
import { formatDuration, truncate } from '../../shared/text.js'

// A command line that long is flags nobody reads; the log has it whole.
const MAX_COMMAND_CHARS = 1_000

/**
 * `**Running when it stopped:** case <code>stress:x</code>, for 4m 10s: <code>cargo test …</code>`,
 * or undefined when the document names nothing running.
 */
export function runningLine(result: TestRunResult): string | undefined {
  const running = result.running
  if (running === undefined) return undefined
  const ms = stoppedAt(result) - Date.parse(running.startedAt)
  const ran = Number.isFinite(ms) ? `, for ${formatDuration(ms)}` : ''
  const command =
    running.argv === undefined
      ? ''
      : `: ${markdownCode(truncate(running.argv.join(' '), MAX_COMMAND_CHARS))}`
  return `**Running when it stopped:** ${what(running)}${ran}${command}`
}

function what(running: RunningStep): string {
  const features = markdownCode(running.features || '(none)')
  if (running.step === 'case') return `case ${markdownCode(running.case ?? '?')}`
  if (running.step === 'build') return `the build (features ${features})`
  return `the listing of the tests (features ${features})`
}

/** When the run stopped: its start plus its duration (ms since the epoch). */
function stoppedAt(result: TestRunResult): number {
  return Date.parse(result.startedAt) + result.durationMs
}
