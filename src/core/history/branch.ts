/**
 * A history kept on a branch of the repository (`mace-actions-data` by
 * default), written with git plumbing so the user's checkout, index and
 * branches are never touched: fetch the branch's tip, lay its tree out in a
 * temporary directory, let the caller change the files, commit the result
 * with the tip as parent and push it. When another writer pushed in between,
 * the push is refused; the whole change is then made again on the new tip
 * (the caller's work runs again, so its point is appended to what the other
 * writer left) and pushed again: a point is never lost, and never pushed over.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import type { Logger } from '../shared/logger.js'

const run = promisify(execFile)

/** Where the branch is and how to write it. */
export interface BranchTarget {
  /** A directory of the repository (its checkout). */
  repoRoot: string
  /** The remote to fetch from and push to (`origin`). */
  remote: string
  branch: string
}

/** What a write on the branch came to. */
export interface BranchWrite<T> {
  /** The caller's result, from the attempt that was pushed. */
  value: T
  /** The commit pushed (the branch's new tip), or undefined when nothing changed. */
  commit: string | undefined
  attempts: number
}

/** Pushes tried before giving up: each refusal means another writer's push landed meanwhile. */
export const MAX_PUSH_ATTEMPTS = 8

/** The identity history commits are made with. */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'mace-actions',
  GIT_AUTHOR_EMAIL: 'mace-actions@users.noreply.github.com',
  GIT_COMMITTER_NAME: 'mace-actions',
  GIT_COMMITTER_EMAIL: 'mace-actions@users.noreply.github.com'
}

/**
 * Runs `change(dir)` on the branch's files and pushes what it changed, again on the new tip
 * whenever another writer's push came first.
 * @param message the commit message, from the caller's value.
 * @throws Error when git fails otherwise (no remote, no permission), or after MAX_PUSH_ATTEMPTS refusals.
 */
export async function writeBranch<T>(
  target: BranchTarget,
  change: (dir: string) => Promise<T> | T,
  message: (value: T) => string,
  logger: Logger,
  hooks: { beforePush?: (attempt: number) => Promise<void> } = {}
): Promise<BranchWrite<T>> {
  for (let attempt = 1; ; attempt++) {
    const work = mkdtempSync(join(tmpdir(), 'mace-history-'))
    try {
      const parent = await fetchTip(target)
      const tree = join(work, 'tree')
      mkdirSync(tree)
      const gitDir = await git(target.repoRoot, process.env, 'rev-parse', '--absolute-git-dir')
      const env = { ...process.env, GIT_INDEX_FILE: join(work, 'index'), ...IDENTITY }
      const g = (...args: string[]): Promise<string> =>
        git(tree, env, `--git-dir=${gitDir}`, `--work-tree=${tree}`, ...args)
      if (parent) {
        await g('read-tree', parent)
        await g('checkout-index', '--all', '--force')
      } else await g('read-tree', '--empty')
      const value = await change(tree)
      await g('add', '--all', '--force', '.')
      const newTree = await g('write-tree')
      if (parent && newTree === (await g('rev-parse', `${parent}^{tree}`))) {
        return { value, commit: undefined, attempts: attempt }
      }
      const commit = await g(
        'commit-tree',
        newTree,
        ...(parent ? ['-p', parent] : []),
        '-m',
        message(value)
      )
      await hooks.beforePush?.(attempt)
      if (await push(target, commit)) return { value, commit, attempts: attempt }
      if (attempt >= MAX_PUSH_ATTEMPTS) {
        throw new Error(
          `The history branch '${target.branch}' moved under ${attempt} pushes in a row; gave up. Nothing was lost: run again.`
        )
      }
      logger.info(
        `history: ${target.remote}/${target.branch} moved meanwhile; writing again on its new tip (attempt ${attempt + 1})`
      )
      await sleep(200 * attempt + Math.floor(Math.random() * 300))
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }
}

/**
 * The branch's tip on the remote, fetched (undefined when the branch does not exist yet). The tip
 * is the one `ls-remote` names, not FETCH_HEAD, which another writer in the same checkout may
 * overwrite; a tip that moved on between the two is fetched again.
 */
async function fetchTip(t: BranchTarget): Promise<string | undefined> {
  const env = process.env
  // A shallow checkout (actions/checkout's default) takes only the tip; a full one stays full.
  const shallow = (await git(t.repoRoot, env, 'rev-parse', '--is-shallow-repository')) === 'true'
  for (let tries = 1; ; tries++) {
    const listed = await git(
      t.repoRoot,
      env,
      'ls-remote',
      '--heads',
      t.remote,
      `refs/heads/${t.branch}`
    )
    const tip = /^([0-9a-f]{40,64})\s/.exec(listed)?.[1]
    if (tip === undefined) return undefined
    if (!(await hasCommit(t.repoRoot, tip))) {
      await git(
        t.repoRoot,
        env,
        'fetch',
        '--quiet',
        '--no-tags',
        ...(shallow ? ['--depth=1'] : []),
        t.remote,
        `refs/heads/${t.branch}`
      )
    }
    if ((await hasCommit(t.repoRoot, tip)) || tries >= 5) {
      if (!(await hasCommit(t.repoRoot, tip))) {
        throw new Error(`Could not fetch ${tip} of ${t.remote}/${t.branch}: it keeps moving.`)
      }
      return tip
    }
  }
}

async function hasCommit(cwd: string, sha: string): Promise<boolean> {
  try {
    await git(cwd, process.env, 'cat-file', '-e', `${sha}^{commit}`)
    return true
  } catch {
    return false
  }
}

/** Pushes `commit` as the branch; false when refused because the branch moved. */
async function push(t: BranchTarget, commit: string): Promise<boolean> {
  try {
    await git(
      t.repoRoot,
      process.env,
      'push',
      '--quiet',
      '--no-verify',
      t.remote,
      `${commit}:refs/heads/${t.branch}`
    )
    return true
  } catch (error) {
    const text = (error as Error).message
    if (
      /\[rejected\]|non-fast-forward|fetch first|failed to update ref|cannot lock ref|stale info/i.test(
        text
      )
    ) {
      return false
    }
    throw new Error(
      `${text}\nThe history is pushed to ${t.remote} as the branch '${t.branch}': the job needs \`permissions: contents: write\`, and actions/checkout's credentials (persist-credentials, on by default).`
    )
  }
}

async function git(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 })
    return stdout.trim()
  } catch (e) {
    const err = e as { stderr?: string; message: string }
    throw new Error(`git ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`)
  }
}
