/**
 * The few git operations the perf gate needs: resolve (or fetch) the base,
 * find the merge base, and a detached worktree that is always removed.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { InputError } from '../../shared/errors.js'
import type { Logger } from '../../shared/logger.js'

const run = promisify(execFile)

/** Runs git in `cwd` and returns trimmed stdout; the error carries git's stderr. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 })
    return stdout.trim()
  } catch (e) {
    const err = e as { stderr?: string; message: string }
    throw new Error(`git ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`)
  }
}

/** The commit a ref names, or undefined when it does not resolve locally. */
export async function resolveCommit(cwd: string, ref: string): Promise<string | undefined> {
  try {
    return await git(cwd, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`)
  } catch {
    return undefined
  }
}

/** How an unresolvable base ref is named in its InputError, and what is accepted. */
const BASE_REF = 'base-ref (flag --base-ref, MACE_PERF_BASE_REF; default origin/master)'
const ACCEPTED =
  "Expected a commit, tag or branch of this repository (e.g. 'main' or a commit sha), or a " +
  "remote branch such as 'origin/main' of a remote the checkout has (actions/checkout with " +
  'fetch-depth: 0 fetches the history).'

/**
 * Resolves the base ref, fetching it from the remote when it is not here
 * (a shallow CI checkout often lacks it): `origin/master` fetches `master`
 * (`+refs/heads/master:refs/remotes/origin/master`), from `origin` or, when the
 * checkout has no remote of that name, from its first remote.
 * @throws InputError naming base-ref, the value and what is accepted, when the ref does not
 * resolve and there is no remote to fetch it from, the remote has no such branch, or what was
 * fetched still does not resolve.
 */
export async function resolveOrFetch(cwd: string, ref: string, logger: Logger): Promise<string> {
  const local = await resolveCommit(cwd, ref)
  if (local) return local
  const remotes = (await git(cwd, 'remote')).split('\n').filter(Boolean)
  const bad = (why: string): InputError =>
    new InputError(`Invalid ${BASE_REF}: '${ref}'. ${why} ${ACCEPTED}`)
  if (remotes.length === 0) {
    throw bad(`It does not resolve in ${cwd}, and the checkout has no git remote to fetch it from.`)
  }
  const { remote, branch } = fetchTarget(ref, remotes)
  const sha = /^[0-9a-f]{40}$/.test(ref)
  const refspec = sha ? ref : `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`
  logger.info(`Base ref ${ref} is not available locally: fetching ${refspec} from ${remote}`)
  try {
    await git(cwd, 'fetch', '--no-tags', remote, refspec)
  } catch (e) {
    const message = (e as Error).message
    if (/couldn't find remote ref|not our ref|no such remote ref/i.test(message)) {
      throw bad(`It does not resolve here, and remote '${remote}' has no ${refspec} (${message}).`)
    }
    throw new Error(
      `The base ref '${ref}' does not resolve and could not be fetched (${message}). Check the base-ref input (MACE_PERF_BASE_REF) and that the checkout has the remote (actions/checkout with fetch-depth: 0).`
    )
  }
  const fetched = await resolveCommit(cwd, sha ? ref : `${remote}/${branch}`)
  if (!fetched) throw bad(`It was fetched from '${remote}' but still does not resolve.`)
  return fetched
}

/**
 * The remote and branch a ref names: `upstream/main` with a remote `upstream` is that remote's
 * `main`; `origin/main` without a remote `origin` is still the branch `main` (of the first remote):
 * `origin` is the name every clone gives its remote; any other ref is a branch of the first remote.
 */
export function fetchTarget(ref: string, remotes: string[]): { remote: string; branch: string } {
  const m = /^([^/]+)\/(.+)$/.exec(ref)
  if (m && remotes.includes(m[1]!)) return { remote: m[1]!, branch: m[2]! }
  const remote = remotes[0] ?? 'origin'
  if (m && m[1] === 'origin') return { remote, branch: m[2]! }
  return { remote, branch: ref }
}

/** The merge base of two commits, or undefined when they share no history here. */
export async function mergeBase(cwd: string, a: string, b: string): Promise<string | undefined> {
  try {
    return await git(cwd, 'merge-base', a, b)
  } catch {
    return undefined
  }
}

/** A detached worktree of `commit`; `remove` must run in a finally. */
export interface Worktree {
  path: string
  remove(): Promise<void>
}

/** Adds a detached worktree in a fresh temp directory. */
export async function addWorktree(
  cwd: string,
  commit: string,
  tempRoot = tmpdir()
): Promise<Worktree> {
  const parent = await mkdtemp(join(tempRoot, 'mace-perf-base-'))
  const path = join(parent, 'base')
  await git(cwd, 'worktree', 'add', '--detach', '--force', path, commit)
  return {
    path,
    remove: async () => {
      try {
        await git(cwd, 'worktree', 'remove', '--force', path)
      } finally {
        await rm(parent, { recursive: true, force: true })
        await git(cwd, 'worktree', 'prune').catch(() => undefined)
      }
    }
  }
}

/**
 * True when the base is the head's commit and the checkout holds nothing else (no change to a
 * tracked file, no untracked file git does not ignore): an A/A compare, whose two sides are one
 * tree and need one build.
 */
/** True when the checkout has uncommitted changes (tracked changes or untracked files). */
export async function isDirty(cwd: string): Promise<boolean> {
  return (await git(cwd, 'status', '--porcelain', '--untracked-files=normal')) !== ''
}

export async function isSameTree(cwd: string, baseSha: string, headSha: string): Promise<boolean> {
  if (baseSha !== headSha) return false
  return !(await isDirty(cwd))
}
