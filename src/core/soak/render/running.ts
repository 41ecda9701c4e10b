/**
 * The line of a stopped soak's summary that says what was running when it stopped: the cycle
 * and step, and inside a test step its case (or build) and command. Hours into a soak, a cancel
 * or the job's timeout otherwise leaves the reader guessing what hung.
 */
import type { SoakResult, SoakStep } from '../results.js'
import type { RunningStep } from '../../layers/results.js'
import { markdownCode } from '../../shared/markdown.js'
import { formatDuration, truncate } from '../../shared/text.js'

// A command line that long is flags nobody reads; the step's own log has it whole.
const MAX_COMMAND_CHARS = 1_000

/**
 * `**Running when it stopped:** cycle 3, step stress: case <code>stress:x</code>, for 4m 10s:
 * <code>cargo test …</code>`; '' when the soak names nothing running.
 */
export function runningBlock(r: SoakResult): string {
  const running = r.running
  if (running === undefined) return ''
  const where =
    running.cycle === 0 ? 'the post-check' : `cycle ${running.cycle}, step ${running.step}`
  const step = stepOf(r)
  const inner = step?.running
  const ms = ranFor(r, step)
  const ran = Number.isFinite(ms) && ms >= 0 ? `, for ${formatDuration(ms)}` : ''
  const command =
    inner?.argv === undefined
      ? ''
      : `: ${markdownCode(truncate(inner.argv.join(' '), MAX_COMMAND_CHARS))}`
  const what = inner === undefined ? '' : `, ${testWork(inner)}`
  return `**Running when it stopped:** ${where}${what}${ran}${command}`
}

/**
 * How long what was running had run when it was cut, in ms: from the case's (or build's)
 * start inside the step, else the step's, to the step's end at the cut (its own `durationMs`),
 * so a post-check or report after the cut is not counted. A soak killed before the step was
 * recorded has only its last write for an end. NaN when a time is missing.
 */
function ranFor(r: SoakResult, step: SoakStep | undefined): number {
  const stepStart = Date.parse(r.running!.startedAt)
  const end =
    step === undefined ? Date.parse(r.startedAt) + r.durationMs : stepStart + step.durationMs
  const innerStart = step?.running === undefined ? NaN : Date.parse(step.running.startedAt)
  return end - (innerStart >= stepStart ? innerStart : stepStart)
}

/** The recorded step the mark names, once the step was recorded as cut short. */
function stepOf(r: SoakResult): SoakStep | undefined {
  const running = r.running!
  if (running.cycle === 0) return r.postCheck
  const cycle = r.cycles.find(c => c.cycle === running.cycle)
  return cycle?.steps.find(s => s.kind === running.step && s.interrupted === true)
}

function testWork(inner: RunningStep): string {
  const features = markdownCode(inner.features || '(none)')
  if (inner.step === 'case') return `case ${markdownCode(inner.case ?? '?')}`
  if (inner.step === 'build') return `the build (features ${features})`
  return `the listing of the tests (features ${features})`
}
