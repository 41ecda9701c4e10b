/**
 * Settings of a history: where it is kept (a directory, or a branch of the
 * repository pushed to its remote), the cap, and the smallest shift reported.
 * Input or flag, then the environment variable, then the default.
 */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { runUrlFromEnv } from '../github/client.js'
import { InputError } from '../shared/errors.js'
import { settingReader, type SettingSource } from '../shared/setting-reader.js'
import type { PerfMetric } from '../perf/results.js'
import { DEFAULT_MAX_POINTS } from './squash.js'

/** Where a history is kept. */
export type HistoryLocation =
  | { kind: 'directory'; dir: string }
  | { kind: 'branch'; branch: string; remote: string; repoRoot: string }

/** Everything a history write needs, validated. */
export interface HistorySettings {
  location: HistoryLocation
  /** Smallest |delta_pct| reported as a shift (%). */
  shiftPct: number
  /** Points a series keeps in full; older months are squashed (see squash.ts). */
  maxPoints: number
  /** A commit's web page, `{sha}` standing for the commit, when known: the page links points to it. */
  commitUrl?: string
  /** The workflow run writing, when known: each point added links to it. */
  runUrl?: string
}

/** The branch the action keeps its history on by default. */
export const DEFAULT_HISTORY_BRANCH = 'mace-actions-data'

/** The default smallest shift reported, per metric (%): instruction counts do not move with load. */
export const DEFAULT_SHIFT_PCT: Record<PerfMetric, number> = { walltime: 5, instructions: 1 }

const ENV: Record<string, string> = {
  'history-dir': 'MACE_HISTORY_DIR',
  'history-branch': 'MACE_HISTORY_BRANCH',
  'shift-pct': 'MACE_HISTORY_SHIFT_PCT',
  'history-max-points': 'MACE_HISTORY_MAX_POINTS'
}

/** How the caller names the places a history can be, and which one it takes by default. */
export interface HistoryDefaults {
  /** The branch when neither a directory nor a branch is given (the action's); none: one must be given. */
  branch?: string
  /** The repository the branch belongs to. */
  repoRoot: string
  metric: PerfMetric
  env: NodeJS.ProcessEnv
}

/**
 * Resolves where the history is and how it is judged.
 * @throws InputError when both a directory and a branch are given, neither is (without a default
 * branch), the branch name is not one git takes, or a number is out of range.
 */
export function resolveHistorySettings(
  source: SettingSource,
  cwd: string,
  defaults: HistoryDefaults
): HistorySettings {
  const r = settingReader(source, ENV, defaults.env)
  const dir = r.read('history-dir')
  const branch = r.read('history-branch')
  if (dir && branch) {
    throw new InputError(
      `Invalid ${dir.from} and ${branch.from}: both are set. Expected one place for the history: a directory, or a branch of the repository.`
    )
  }
  let location: HistoryLocation
  if (dir) location = { kind: 'directory', dir: resolve(cwd, dir.value) }
  else {
    const name = branch?.value ?? defaults.branch
    if (name === undefined) {
      throw new InputError(
        `No place for the history: expected ${source.describe('history-dir')} DIR (a directory) or ${source.describe('history-branch')} BRANCH (a branch of the repository, pushed to origin).`
      )
    }
    checkBranchName(name, branch?.from ?? `${source.describe('history-branch')} (default)`)
    location = { kind: 'branch', branch: name, remote: 'origin', repoRoot: defaults.repoRoot }
  }
  return {
    location,
    shiftPct: r.number('shift-pct', DEFAULT_SHIFT_PCT[defaults.metric], 0, 10000),
    maxPoints: r.int('history-max-points', DEFAULT_MAX_POINTS, 30, 100_000),
    ...optional('commitUrl', commitUrlTemplate(defaults.env, defaults.repoRoot)),
    ...optional('runUrl', runUrlFromEnv(defaults.env))
  }
}

/** A branch name git takes (`git check-ref-format --branch`), not starting with `-`. */
function checkBranchName(name: string, from: string): void {
  let ok = !name.startsWith('-')
  if (ok) {
    try {
      execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' })
    } catch {
      ok = false
    }
  }
  if (!ok) {
    throw new InputError(
      `Invalid ${from}: '${name}' is not a branch name git takes. Expected e.g. '${DEFAULT_HISTORY_BRANCH}'.`
    )
  }
}

/**
 * The web page of a commit, `{sha}` standing for it: from the workflow's repository, else from
 * the `origin` remote when it is a web host's (`https://host/owner/repo`, `git@host:owner/repo`).
 */
export function commitUrlTemplate(env: NodeJS.ProcessEnv, repoRoot: string): string | undefined {
  if (env.GITHUB_REPOSITORY) {
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
    return `${server}/${env.GITHUB_REPOSITORY}/commit/{sha}`
  }
  let url: string
  try {
    url = execFileSync('git', ['remote', 'get-url', 'origin'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    }).trim()
  } catch {
    return undefined
  }
  const web =
    /^https:\/\/(?:[^@/]+@)?([^/]+)\/(.+?)(?:\.git)?\/?$/.exec(url) ??
    /^(?:ssh:\/\/)?git@([^:/]+)[:/](.+?)(?:\.git)?\/?$/.exec(url)
  return web ? `https://${web[1]}/${web[2]}/commit/{sha}` : undefined
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>)
}
