/** The soak's progress line at the start of each cycle: where it is, and when the loop ends. */
import { formatDuration } from '../shared/text.js'
import type { SoakSettings } from './settings.js'

/**
 * `cycle 3, 12m 30s / 6h 00m elapsed, ETA 5h 47m`: the cycle starting, the
 * time spent of the duration, and the time until the loop stops starting
 * cycles (the duration, the deadline, or `max-cycles` at the mean cycle time so
 * far, whichever comes first). The last cycle and the post-check come after.
 */
export function cycleProgress(
  s: Pick<SoakSettings, 'durationSecs' | 'deadlineSecs' | 'maxCycles'>,
  cycle: number,
  elapsedMs: number
): string {
  const endMs = Math.min(s.durationSecs, s.deadlineSecs ?? Infinity) * 1000
  let leftMs = Math.max(0, endMs - elapsedMs)
  if (s.maxCycles > 0 && cycle > 1) {
    leftMs = Math.min(leftMs, (elapsedMs / (cycle - 1)) * (s.maxCycles - cycle + 1))
  }
  return `cycle ${cycle}, ${formatDuration(elapsedMs)} / ${formatDuration(s.durationSecs * 1000)} elapsed, ETA ${formatDuration(leftMs)}`
}
