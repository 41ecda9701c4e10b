/**
 * Room on the filesystem of an output directory. A run that starts on a full
 * disk fails in ways that look like the code's fault (a test that cannot print
 * is a failed test; a results document that cannot be written is lost), so an
 * output directory with too little room is refused before anything runs, and
 * a soak stops cleanly when its metrics directory fills up.
 */
import { statfsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { InputError } from './errors.js'
import { formatBytes } from './units.js'

/**
 * The least free space an output directory's filesystem must have when a run
 * starts, and a soak's metrics directory before each step: 64 MiB, room for
 * results documents, logs of chatty tests and JUnit, far below any CI
 * runner's free disk.
 */
export const MIN_FREE_BYTES = 64 * 1024 * 1024

/**
 * Free bytes for an unprivileged writer on the filesystem holding `path`
 * (its nearest existing ancestor when it does not exist yet); undefined on a
 * filesystem that has no size to speak of (`/proc` and other virtual ones say 0 blocks).
 */
export function freeBytes(path: string): number | undefined {
  let at = resolve(path)
  for (;;) {
    try {
      const fs = statfsSync(at)
      return fs.blocks === 0 ? undefined : fs.bavail * fs.bsize
    } catch (e) {
      const up = dirname(at)
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || up === at) throw e
      at = up
    }
  }
}

/**
 * Refuses an output directory whose filesystem has less than `MIN_FREE_BYTES` free.
 * @param from how the user named it, e.g. `input 'output-dir'`.
 * @throws InputError naming the input, the directory, its free space and the minimum.
 */
export function checkFreeSpace(dir: string, from: string): void {
  let free: number | undefined
  try {
    free = freeBytes(dir)
  } catch {
    free = undefined
  }
  // A filesystem that cannot say: the directory checks that follow speak for it.
  if (free === undefined || free >= MIN_FREE_BYTES) return
  // Tagged ENOSPC too, so a soak that meets it in a step stops on a full disk, as on a failed write.
  throw Object.assign(
    new InputError(
      `Invalid ${from}: '${dir}' is on a disk too full for a run (${formatBytes(free)} free; at least ${formatBytes(MIN_FREE_BYTES)} needed for results and logs, or a test that cannot write its output would fail for that alone). Free some space, or choose a directory on another filesystem.`
    ),
    { code: 'ENOSPC' }
  )
}

/** True for an error that says the disk is full (`ENOSPC`, or its words, from a child's panic too). */
export function isDiskFull(error: unknown): boolean {
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC') return true
  return mentionsDiskFull(error instanceof Error ? error.message : String(error))
}

/** True when `text` (an error, a test's panic) says the disk was full: `ENOSPC`, `os error 28`. */
export function mentionsDiskFull(text: string): boolean {
  return /ENOSPC|No space left on device|os error 28\b/.test(text)
}
