/**
 * Looking at the paths a user gave before anything runs: a crate directory
 * must exist and hold a Cargo.toml (never created, never silently replaced by
 * a parent crate); an output directory must be creatable and writable, and is
 * ours to clear only when we wrote it (a marker file), so a run never deletes
 * a file the user wrote. Directories are created one level at a time: Node's
 * recursive mkdir spins forever on some paths (under /proc), and a check must
 * fail in well under a second.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { dirname, join, parse, resolve } from 'node:path'
import { checkFreeSpace } from './disk-space.js'
import { InputError } from './errors.js'

/** The file that says a directory was created by mace-actions and may be cleared by it. */
export const OWNER_MARKER = '.mace-actions'

/** Who writes into an output directory, and what an earlier run of it leaves there. */
export interface DirectoryOwner {
  /** e.g. `mace-actions test`. */
  tool: string
  /**
   * Files that only this tool (or the reference script it replaces) writes: a
   * directory holding one of them, from a run before markers existed, is ours.
   * A JSON file that names a `tool` must name this one.
   */
  ownFiles: readonly string[]
}

/**
 * Checks that `dir` is a crate or workspace directory: it exists, is a
 * directory and holds a Cargo.toml.
 * @param from how the user named it, e.g. `input 'working-directory'`.
 * @throws InputError naming the input, the path and the nearest crate above it.
 */
export function checkCrateDirectory(dir: string, from: string): void {
  const expected = 'Expected the directory of a Rust crate or workspace (holding Cargo.toml)'
  const kind = statKind(dir)
  if (kind === 'missing') {
    throw new InputError(`Invalid ${from}: '${dir}' does not exist. ${expected}.`)
  }
  if (kind !== 'directory') {
    throw new InputError(`Invalid ${from}: '${dir}' is not a directory. ${expected}.`)
  }
  if (!existsSync(join(dir, 'Cargo.toml'))) {
    const above = nearestCrateAbove(dir)
    const hint = above === undefined ? '' : ` The nearest crate above it is '${above}'.`
    throw new InputError(`Invalid ${from}: '${dir}' holds no Cargo.toml. ${expected}.${hint}`)
  }
}

/**
 * Makes sure `dir` exists, creating missing levels one at a time.
 * @throws InputError naming the input when a level cannot be created (a file
 * in the way, no permission, a read-only or virtual file system).
 */
export function ensureDirectory(dir: string, from: string): void {
  const missing: string[] = []
  let at = resolve(dir)
  while (statKind(at) === 'missing') {
    missing.unshift(at)
    const up = dirname(at)
    if (up === at) break
    at = up
  }
  if (statKind(at) === 'other') {
    throw new InputError(
      `Invalid ${from}: '${dir}' cannot be created: '${at}' is a file, not a directory. Expected a directory path.`
    )
  }
  for (const level of missing) {
    try {
      mkdirSync(level)
    } catch (e) {
      throw new InputError(
        `Invalid ${from}: '${dir}' cannot be created (${(e as Error).message}). Expected a directory you can write to, e.g. under target/.`
      )
    }
  }
}

/**
 * Takes `dir` as an output directory of `owner`: checks its filesystem has
 * room (`MIN_FREE_BYTES`), creates it when missing and marks it, or checks an
 * existing one is empty, marked, or holds the owner's own files; then checks
 * it is writable by writing the marker.
 * @throws InputError naming the input when the directory is on a full disk,
 * cannot be created or written, or is not empty and was not written by mace-actions.
 */
export function claimOutputDirectory(dir: string, from: string, owner: DirectoryOwner): void {
  checkFreeSpace(dir, from)
  ensureDirectory(dir, from)
  if (statKind(dir) !== 'directory') {
    throw new InputError(`Invalid ${from}: '${dir}' is not a directory. Expected a directory path.`)
  }
  const entries = readdirSync(dir)
  if (entries.includes(OWNER_MARKER)) return
  const ours =
    entries.length === 0 ||
    owner.ownFiles.some(file => entries.includes(file) && writtenBy(join(dir, file), owner.tool))
  if (!ours) {
    throw new InputError(
      `Invalid ${from}: '${dir}' is not empty and was not written by mace-actions (it has no ${OWNER_MARKER} marker), so a run could overwrite or clear files you wrote there. Expected a new or empty directory, or one an earlier run wrote, e.g. under target/.`
    )
  }
  try {
    writeFileSync(
      join(dir, OWNER_MARKER),
      `${JSON.stringify({ tool: owner.tool, note: 'Written by mace-actions. A run clears only what it wrote here.' })}\n`
    )
  } catch (e) {
    throw new InputError(
      `Invalid ${from}: '${dir}' is not writable (${(e as Error).message}). Expected a directory you can write to.`
    )
  }
}

/**
 * Removes `dir/sub`, something a run wrote, from an output directory it owns.
 * Throws (a bug, not a user error) when `dir` is not marked as ours.
 */
export function clearOwned(dir: string, sub: string): void {
  if (!existsSync(join(dir, OWNER_MARKER))) {
    throw new Error(`bug: refusing to clear '${sub}' in '${dir}', which mace-actions did not mark`)
  }
  rmSync(join(dir, sub), { recursive: true, force: true })
}

/** False for a JSON document that says another tool wrote it. */
function writtenBy(path: string, tool: string): boolean {
  if (!path.endsWith('.json')) return true
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { tool?: unknown }
    return doc.tool === undefined || doc.tool === tool
  } catch {
    return false
  }
}

function statKind(path: string): 'missing' | 'directory' | 'other' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other'
  } catch {
    return 'missing'
  }
}

function nearestCrateAbove(dir: string): string | undefined {
  let at = dirname(resolve(dir))
  const root = parse(at).root
  for (;;) {
    if (existsSync(join(at, 'Cargo.toml'))) return at
    if (at === root) return undefined
    at = dirname(at)
  }
}
