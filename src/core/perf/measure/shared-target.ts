/**
 * Base and head in one target dir, built one after the other, each side's
 * bench binary copied out (`buildBench`) before the other side builds.
 * Cargo names a workspace package's artifacts by a hash of its id, which does
 * not hold the package's path, so both sides build to the same file names;
 * and cargo decides freshness by comparing source mtimes with the build's, so
 * it can take the artifacts built from one checkout as fresh for the other.
 * The workspace's own artifacts are therefore cleared whenever the checkout
 * about to build is not the one that built them last (recorded in the target
 * dir); the compiled dependencies stay shared. Identical sources then build
 * identical binaries: nothing of the base is renamed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { cleanWorkspaceArtifacts } from './bench-runner.js'

/** Holds the directory whose workspace artifacts the target dir has now. */
export const BUILT_FROM_FILE = '.mace-perf-built-from'

/**
 * Makes `targetDir` ready for a build from the checkout at `dir`: clears the workspace's own
 * artifacts (`cargo clean -p … --profile bench`) unless `dir` is the checkout that built them last,
 * then records `dir`. A target dir without the record (fresh, used by hand, or by an earlier
 * release, which built the base under the head's names or under `+mace-perf-base`) is cleared
 * once; artifacts under other names are left alone and harmless.
 * @returns true when it cleared the workspace's artifacts (the side then rebuilds them).
 */
export async function claimTargetDir(
  dir: string,
  env: NodeJS.ProcessEnv,
  targetDir: string,
  packages: string[]
): Promise<boolean> {
  const record = join(targetDir, BUILT_FROM_FILE)
  const me = resolve(dir)
  const last = existsSync(record) ? readFileSync(record, 'utf8').trim() : undefined
  if (last === me) return false
  await cleanWorkspaceArtifacts(dir, { ...env, CARGO_TARGET_DIR: targetDir }, packages)
  mkdirSync(targetDir, { recursive: true })
  // Written before the build: an interrupted build leaves this checkout's own partial artifacts,
  // which cargo's freshness check handles.
  writeFileSync(record, `${me}\n`)
  return true
}
