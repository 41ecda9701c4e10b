/**
 * Writing a file so a reader never sees half of it: the text goes to
 * `<path>.tmp`, which is renamed over `path` only once it is whole. A write
 * that fails (a full disk) leaves the last whole version in place and no
 * half-written `.tmp` behind.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs'

/**
 * Replaces `path` with `text` atomically.
 * @throws the write's or the rename's error (e.g. ENOSPC), after removing the `.tmp` half.
 */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`
  try {
    writeFileSync(tmp, text)
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}
