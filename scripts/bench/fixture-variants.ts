/**
 * The fixture crate as a git repository with one base commit and one head
 * commit per variant (an A/A head that changes no code, and heads whose
 * `bench-slowdown.txt` makes chosen cases genuinely slower), each checked out
 * in its own worktree and built once with the perf core's own builder, all in
 * one target dir (shared dependencies, like `share-build`).
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildBench,
  cargoWorkspace,
  cleanWorkspaceArtifacts,
  type BenchContext,
  type BenchSide
} from '../../src/core/perf/bench-runner.js'

/** A head to compare with the base: `slowPct` 0 is the A/A head. */
export interface Variant {
  name: string
  slowPct: number
}

/** Built sides: the base, and a head per variant. */
export interface BuiltVariants {
  base: BenchSide
  heads: Map<string, BenchSide>
}

/** Cases of at least 10 µs that do not start threads (a 2-core machine cannot run those fairly). */
export const BENCH_CASES = [
  'Put/K16-V16/64',
  'Put/K100-V1024/16',
  'Scan/K16-V16/1000',
  'Scan/K100-V1024/100',
  'Delete/K16-V16/64',
  'Delete/K100-V1024/16',
  'Open/K16-V16/1000'
]

const FIXTURE_ENTRIES = ['src', 'tests', 'benches', 'Cargo.toml', 'Cargo.lock']

/** Creates the repository under `dir` (afresh, keeping `target/`) and builds every side. */
export async function buildVariants(
  root: string,
  dir: string,
  variants: readonly Variant[],
  slowed: readonly string[],
  ctx: Omit<BenchContext, 'outDir'>,
  outDir: (side: string) => string
): Promise<BuiltVariants> {
  const repo = join(dir, 'repo')
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    }).trim()
  if (existsSync(join(repo, '.git'))) git('worktree', 'prune')
  for (const entry of ['.git', 'bench-slowdown.txt', 'README', ...FIXTURE_ENTRIES]) {
    rmSync(join(repo, entry), { recursive: true, force: true })
  }
  rmSync(join(dir, 'worktrees'), { recursive: true, force: true })
  mkdirSync(repo, { recursive: true })
  for (const entry of FIXTURE_ENTRIES) {
    cpSync(join(root, 'fixture', entry), join(repo, entry), { recursive: true })
  }
  writeFileSync(join(repo, '.gitignore'), 'target/\n')
  git('init', '-q', '-b', 'main')
  git('add', '-A')
  git('commit', '-q', '-m', 'base')
  git('tag', 'base')
  for (const v of variants) {
    git('checkout', '-q', '-B', v.name, 'base')
    if (v.slowPct > 0) {
      writeFileSync(
        join(repo, 'bench-slowdown.txt'),
        slowed.map(id => `${id}=${v.slowPct}\n`).join('')
      )
    } else {
      writeFileSync(join(repo, 'README'), 'a change that does not touch the code\n')
    }
    git('add', '-A')
    git('commit', '-q', '-m', v.name)
  }
  git('checkout', '-q', 'base')
  // Every side lives in its own worktree: the bench binary reads bench-slowdown.txt from the
  // directory it was built in, so each must stay where it was built while it runs.
  const targetDir = join(dir, 'target')
  const env = { ...ctx.env, CARGO_TARGET_DIR: targetDir }
  const { packages } = await cargoWorkspace(repo, env)
  const build = async (name: 'base' | 'head', ref: string, label: string): Promise<BenchSide> => {
    const tree = join(dir, 'worktrees', label)
    git('worktree', 'add', '-q', '--detach', tree, ref)
    // Same file names in the shared target dir for every side: cargo must not take one as fresh.
    await cleanWorkspaceArtifacts(tree, env, packages)
    ctx.logger.info(`building ${label}`)
    return buildBench({ ...ctx, env, outDir: outDir(label) }, name, tree, targetDir)
  }
  const base = await build('base', 'base', 'base')
  const heads = new Map<string, BenchSide>()
  for (const v of variants) heads.set(v.name, await build('head', v.name, v.name))
  return { base, heads }
}
