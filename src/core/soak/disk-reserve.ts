/**
 * Room kept back in a soak's metrics directory for its last words. A chatty
 * test can fill the disk in the middle of a step; then nothing could record
 * why the soak stopped. The soak holds a file of `RESERVE_BYTES` from its
 * start and deletes it when the disk fills (or the soak ends), so the final
 * soak.json and its reports always fit.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freeBytes, MIN_FREE_BYTES } from '../shared/disk-space.js'
import { formatBytes } from '../shared/units.js'

/** Held back for the final soak.json, soak-summary.md and soak-report.txt (8 MiB). */
export const RESERVE_BYTES = 8 * 1024 * 1024

/** The reserve file of one metrics directory. */
export class DiskReserve {
  private readonly path: string
  private held = false

  constructor(private readonly dir: string) {
    this.path = join(dir, '.mace-soak-reserve')
  }

  /** Writes the reserve file (real blocks, not a sparse file). A disk too full for it holds none. */
  hold(): void {
    try {
      writeFileSync(this.path, Buffer.alloc(RESERVE_BYTES))
      this.held = true
    } catch {
      rmSync(this.path, { force: true })
    }
  }

  /** Gives the reserve back to the filesystem; true when there was one to give. */
  release(): boolean {
    if (!this.held) return false
    rmSync(this.path, { force: true })
    this.held = false
    return true
  }

  /**
   * `metrics dir X is full (N free, …)` when the directory's filesystem has
   * less than `MIN_FREE_BYTES` free besides the reserve; undefined while there is room.
   */
  fullMessage(): string | undefined {
    let free: number | undefined
    try {
      free = freeBytes(this.dir)
    } catch {
      return undefined
    }
    return free !== undefined && free < MIN_FREE_BYTES ? diskFullMessage(this.dir, free) : undefined
  }
}

/** How a soak names a full metrics directory. */
export function diskFullMessage(dir: string, free?: number): string {
  const room = free === undefined ? 'a write failed with ENOSPC' : `${formatBytes(free)} free`
  return `metrics dir ${dir} is full (${room}; a soak needs ${formatBytes(MIN_FREE_BYTES)} free to go on)`
}
