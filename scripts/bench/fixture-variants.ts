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
} from '../../src/core/perf/measure/bench-runner.js'

/** A head to compare with the base: `slowPct` 0 is the A/A head. */
export interface Variant {
  name: string
  slowPct: number
}

/** Built sides of one bench target: the base, and a head per variant. */
export interface BuiltSides {
  base: BenchSide
  heads: Map<string, BenchSide>
}

/** Built sides of the context's bench target, and of every bench target built, by name. */
export interface BuiltVariants extends BuiltSides {
  byBench: Map<string, BuiltSides>
}

/**
 * The fixture's gungraun cases (all of them: none starts threads), the operations of
 * BENCH_CASES counted in instructions (benches/iai.rs).
 */
export const IAI_CASES = [
  'iai::store::put::k16_v16_1000',
  'iai::store::put::k100_v1024_100',
  'iai::store::get::k16_v16_1000',
  'iai::store::get::k100_v1024_1000',
  'iai::store::scan::k16_v16_10',
  'iai::store::scan::k16_v16_100',
  'iai::store::delete::k16_v16_500',
  'iai::store::open::k16_v16_100'
]

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

/**
 * Creates the repository under `dir` (afresh, keeping `target/`) and builds every side of the
 * context's bench target and of `otherBenches`. `slowed` are the case ids (of any bench) each
 * slowed head's `bench-slowdown.txt` names.
 */
export async function buildVariants(
  root: string,
  dir: string,
  variants: readonly Variant[],
  slowed: readonly string[],
  ctx: Omit<BenchContext, 'outDir'>,
  outDir: (side: string) => string,
  otherBenches: readonly string[] = []
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
  const benches = [ctx.bench, ...otherBenches]
  const build = async (
    name: 'base' | 'head',
    ref: string,
    label: string
  ): Promise<Map<string, BenchSide>> => {
    const tree = join(dir, 'worktrees', label)
    git('worktree', 'add', '-q', '--detach', tree, ref)
    // Same file names in the shared target dir for every side: cargo must not take one as fresh.
    await cleanWorkspaceArtifacts(tree, env, packages)
    ctx.logger.info(`building ${label}`)
    const sides = new Map<string, BenchSide>()
    for (const bench of benches) {
      const side = await buildBench(
        { ...ctx, bench, env, outDir: outDir(label) },
        name,
        tree,
        targetDir
      )
      sides.set(bench, side)
    }
    return sides
  }
  const baseSides = await build('base', 'base', 'base')
  const headSides = new Map<string, Map<string, BenchSide>>()
  for (const v of variants) headSides.set(v.name, await build('head', v.name, v.name))
  const sidesOf = (bench: string): BuiltSides => ({
    base: baseSides.get(bench)!,
    heads: new Map(variants.map(v => [v.name, headSides.get(v.name)!.get(bench)!]))
  })
  return { ...sidesOf(ctx.bench), byBench: new Map(benches.map(b => [b, sidesOf(b)])) }
}
