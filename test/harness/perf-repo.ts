/**
 * A git repository of the fixture crate with commits to compare: `base`,
 * `aa` (no code change), `slow` (one bench case genuinely 50 % slower),
 * `slow4x` (the same case 4× slower: for tests of what is published, which
 * must not depend on this machine's noise, seen to swing a case 1.7× between
 * runs), `slow1` (one case of the gungraun bench `iai` doing 1 % more work, for
 * the instruction metric), `crash` (both bench binaries panic), `code` (the
 * library's code changed: a different CRC polynomial, so a different binary)
 * and `nobench` (the base before the `perf` bench target existed). Made once
 * under .tmp/.
 */
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
export const PERF_REPO = join(ROOT, '.tmp', 'perf-repo')

/** The case the `slow` commit slows down, and by how much. */
export const SLOW_CASE = 'Scan/K16-V16/1000'
export const SLOW_PCT = 50

/** The gungraun bench target of the fixture, and its case the `slow1` commit slows by 1 %. */
export const IAI_BENCH = 'iai'
export const SLOW1_CASE = 'iai::store::put::k100_v1024_100'

/** The cases of the gungraun bench that the fourth commit of the track line slows, and by how much. */
export const TRACK_SLOW_CASES = [
  'iai::store::get::k16_v16_1000',
  'iai::store::scan::k16_v16_100'
] as const
export const TRACK_SLOW_PCT = 10

/** The tags of the repository. */
export type PerfRepoTag =
  | 'base'
  | 'aa'
  | 'slow'
  | 'slow4x'
  | 'slow1'
  | 'crash'
  | 'code'
  | 'nobench'
  | `track${1 | 2 | 3 | 4 | 5 | 6}`

/** Quick Criterion settings for tests (the figures are real, just short). */
export const QUICK_BENCH_ARGS =
  '--noplot --warm-up-time 0.02 --measurement-time 0.15 --sample-size 10 --nresamples 1000'

const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=perf', '-c', 'user.email=perf@localhost', ...args], {
    cwd: PERF_REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...commitDates }
  }).trim()

/** Set while the track line is made: each of its commits a day after the one before. */
let commitDates: Record<string, string> = {}

/** Creates the repository (once) and checks out `tag`. */
export function perfRepo(tag: PerfRepoTag): string {
  if (!existsSync(join(PERF_REPO, '.git', 'refs', 'tags', 'track6'))) create()
  git('checkout', '-q', '--force', tag)
  return PERF_REPO
}

function create(): void {
  // Keep target/ across test runs: it holds the compiled dependencies.
  for (const entry of ['.git', 'src', 'tests', 'benches', 'Cargo.toml', 'Cargo.lock', 'README']) {
    rmSync(join(PERF_REPO, entry), { recursive: true, force: true })
  }
  rmSync(join(PERF_REPO, 'bench-slowdown.txt'), { force: true })
  mkdirSync(PERF_REPO, { recursive: true })
  for (const entry of ['src', 'tests', 'benches', 'Cargo.toml', 'Cargo.lock']) {
    cpSync(join(ROOT, 'fixture', entry), join(PERF_REPO, entry), { recursive: true })
  }
  writeFileSync(join(PERF_REPO, '.gitignore'), 'target/\n')
  git('init', '-q', '-b', 'master')
  git('add', '-A')
  git('commit', '-q', '-m', 'base')
  git('tag', 'base')
  writeFileSync(join(PERF_REPO, 'README'), 'a change that does not touch the code\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'aa')
  git('tag', 'aa')
  writeFileSync(join(PERF_REPO, 'bench-slowdown.txt'), `${SLOW_CASE}=${SLOW_PCT}\n`)
  git('add', '-A')
  git('commit', '-q', '-m', 'slow')
  git('tag', 'slow')
  writeFileSync(join(PERF_REPO, 'bench-slowdown.txt'), `${SLOW_CASE}=300\n`)
  git('add', '-A')
  git('commit', '-q', '-m', 'slow4x')
  git('tag', 'slow4x')
  // One extra put in a hundred: a real 1 % more work, which callgrind counts as about +1.1 %.
  writeFileSync(join(PERF_REPO, 'bench-slowdown.txt'), `${SLOW1_CASE}=1\n`)
  git('add', '-A')
  git('commit', '-q', '-m', 'slow1')
  git('tag', 'slow1')
  git('checkout', '-q', 'base')
  writeFileSync(join(PERF_REPO, 'bench-slowdown.txt'), 'this is not a slowdown entry\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'crash')
  git('tag', 'crash')
  // A change of the library's code (CRC-32C's polynomial for CRC-32's): the base's binary differs.
  git('checkout', '-q', 'base')
  const checksum = join(PERF_REPO, 'src', 'checksum.rs')
  writeFileSync(checksum, readFileSync(checksum, 'utf8').replace('0xEDB8_8320', '0x82F6_3B78'))
  git('add', '-A')
  git('commit', '-q', '-m', 'code')
  git('tag', 'code')
  // A crate before its Criterion bench was added: no benches/perf.rs, no [[bench]] perf.
  git('checkout', '-q', 'base')
  rmSync(join(PERF_REPO, 'benches', 'perf.rs'))
  const manifest = join(PERF_REPO, 'Cargo.toml')
  writeFileSync(
    manifest,
    readFileSync(manifest, 'utf8').replace('[[bench]]\nname = "perf"\nharness = false\n', '')
  )
  git('add', '-A')
  git('commit', '-q', '-m', 'nobench')
  git('tag', 'nobench')
  createTrackLine()
}

/**
 * Six commits of a default branch, a day apart, for `perf track`: the first three and the last
 * two change no code; the fourth makes TRACK_SLOW_CASES do TRACK_SLOW_PCT % more work.
 */
function createTrackLine(): void {
  git('checkout', '-q', 'base')
  rmSync(join(PERF_REPO, 'bench-slowdown.txt'), { force: true })
  for (let n = 1; n <= 6; n++) {
    const date = `2026-11-0${n}T12:00:00Z`
    commitDates = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
    writeFileSync(join(PERF_REPO, 'README'), `day ${n} of the default branch\n`)
    if (n === 4) {
      const rules = TRACK_SLOW_CASES.map(id => `${id}=${TRACK_SLOW_PCT}\n`).join('')
      writeFileSync(join(PERF_REPO, 'bench-slowdown.txt'), rules)
    }
    git('add', '-A')
    git('commit', '-q', '-m', `track ${n}`)
    git('tag', `track${n}`)
  }
  commitDates = {}
  git('checkout', '-q', 'base')
}

/** Paths of the repository's worktrees (the main one included). */
export function worktrees(): string[] {
  return git('worktree', 'list', '--porcelain')
    .split('\n')
    .filter(l => l.startsWith('worktree '))
    .map(l => l.slice('worktree '.length))
}

/**
 * Compiles the bench targets once (dependencies included) so the first test
 * does not spend its time budget on a cold release build of Criterion.
 */
export async function warmPerfRepo(): Promise<void> {
  perfRepo('base')
  // Asynchronous: a worker blocked for minutes by a cold build misses vitest's RPC deadlines.
  await promisify(execFile)(
    'cargo',
    ['bench', '--bench', 'perf', '--bench', IAI_BENCH, '--no-run', '--quiet'],
    { cwd: PERF_REPO }
  )
}
