/**
 * A git repository of test/crates/knob_bench, the bench shape of mace-kv
 * 0.0.28 (its budget from env knobs that scripts/perf_thresholds.env sets,
 * set per group in code), with commits to compare: `base`, `aa` (no code
 * change), and `slow` (the `Get` case does four times the lookups, compiled
 * in). Made once under .tmp/, keeping its target dir across runs.
 */
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const ROOT = resolve(import.meta.dirname, '../..')
const CRATE = join(ROOT, 'test', 'crates', 'knob_bench')
export const KNOB_REPO = join(ROOT, '.tmp', 'knob-repo')

/** The tags of the repository. */
export type KnobRepoTag = 'base' | 'aa' | 'slow'

/** The item count the threshold file sets (MACE_BENCH_ITEMS), which the case ids carry. */
export const FILE_ITEMS = 2000

/** The case ids as the threshold file's knobs shape them. */
export const KNOB_CASES = ['Get/items/2000', 'Insert/items/2000', 'Scan/items/2000']

/** The case the `slow` commit makes four times slower. */
export const SLOW_KNOB_CASE = 'Get/items/2000'

const ENTRIES = ['src', 'benches', 'tests', 'scripts', 'Cargo.toml', 'Cargo.lock']

const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=knob', '-c', 'user.email=knob@localhost', ...args], {
    cwd: KNOB_REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()

/** Creates the repository (once) and checks out `tag`. */
export function knobRepo(tag: KnobRepoTag): string {
  if (!existsSync(join(KNOB_REPO, '.git', 'refs', 'tags', 'slow'))) create()
  git('checkout', '-q', '--force', tag)
  return KNOB_REPO
}

function create(): void {
  for (const entry of ['.git', 'README', '.gitignore', ...ENTRIES]) {
    rmSync(join(KNOB_REPO, entry), { recursive: true, force: true })
  }
  mkdirSync(KNOB_REPO, { recursive: true })
  for (const entry of ENTRIES) {
    cpSync(join(CRATE, entry), join(KNOB_REPO, entry), { recursive: true })
  }
  writeFileSync(join(KNOB_REPO, '.gitignore'), 'target/\n')
  git('init', '-q', '-b', 'master')
  git('add', '-A')
  git('commit', '-q', '-m', 'base')
  git('tag', 'base')
  writeFileSync(join(KNOB_REPO, 'README'), 'a change that does not touch the code\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'aa')
  git('tag', 'aa')
  const bench = join(KNOB_REPO, 'benches', 'perf.rs')
  const text = readFileSync(bench, 'utf8')
  if (!text.includes('for _ in 0..64 {')) throw new Error('knob_bench: the Get loop moved')
  writeFileSync(bench, text.replace('for _ in 0..64 {', 'for _ in 0..256 {'))
  git('add', '-A')
  git('commit', '-q', '-m', 'slow: Get does four times the lookups')
  git('tag', 'slow')
}

/** The commit a tag names. */
export function knobSha(tag: KnobRepoTag): string {
  return git('rev-parse', tag)
}

/**
 * Compiles the bench target once (Criterion included) so that a test's time goes to what it
 * tests, not to a cold release build.
 */
export async function warmKnobRepo(): Promise<void> {
  knobRepo('base')
  // Asynchronous: a worker blocked for minutes by a cold build misses vitest's RPC deadlines.
  await promisify(execFile)('cargo', ['bench', '--bench', 'perf', '--no-run', '--quiet'], {
    cwd: KNOB_REPO
  })
}

/** Whether cargo compiled the crate itself in a build whose log is at `logPath`. */
export function compiledCrate(logPath: string): boolean {
  return /Compiling knob_bench v/.test(readFileSync(logPath, 'utf8'))
}
