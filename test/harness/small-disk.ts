/**
 * A real small filesystem for full-disk tests: a tmpfs of a few MiB mounted
 * on a fresh directory (the test machines and CI run as root), so a write
 * past its size fails with ENOSPC as on a full runner disk. Unmounted after.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A mounted tmpfs and how to take it away. */
export interface SmallDisk {
  /** The mount point. */
  dir: string
  /** Unmounts (lazily, should a process still hold a file there) and removes the mount point. */
  unmount(): void
}

/** Mounts a tmpfs of `sizeMiB` MiB on a new directory under the system's temp dir. */
export function mountSmallDisk(sizeMiB: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'mace-small-disk-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', dir])
  return {
    dir,
    unmount: () => {
      execFileSync('umount', ['-l', dir])
      rmdirSync(dir)
    }
  }
}
