/**
 * `npm run bench:shards`: what a job matrix of shards buys, for each runner
 * (cargo, nextest), measured with the bundled CLI as users run it.
 * Part `balance` (scripts/bench/shard-balance.ts): on a generated crate shaped
 * like lsm-tree (a lib of --quick-tests quick tests, --slow-targets slow
 * integration targets, real sleeps), --balance-shards shards dealt by count and
 * by the whole run's times: each shard's time, and the slowest over the fastest.
 * Part `build-once`, on the fixture:
 * 1. The whole run (`test all`) from a cold target dir: its build and layers.
 * 2. N shards run concurrently on this machine from the warm target dir (as
 *    each matrix job would from its cache): each shard's wall time and the
 *    slowest.
 * 3. nextest only: `cargo nextest archive` from a cold target dir, then the N
 *    shards concurrently from that archive with no target dir at all: the
 *    build-once saving is N cold builds against one archive build.
 * On a 2-core machine N concurrent shards share the cores, so their wall times
 * are an upper bound of what N machines would take. Prints a table and
 * writes JSON; Ctrl-C kills every child process group.
 */
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { TestRunResult } from '../src/core/layers/results.js'
import {
  balanceFigures,
  balanceTable,
  spawnGroup,
  writeLsmShapedCrate,
  type BalanceContext,
  type BalanceFigures
} from './bench/shard-balance.js'

const ROOT = resolve(import.meta.dirname, '..')
const WORK = join(ROOT, '.tmp', 'bench-shards')
const CLI = join(ROOT, 'dist', 'cli', 'index.js')

const { values: flags } = parseArgs({
  options: {
    shards: { type: 'string', default: '4' },
    runners: { type: 'string', default: 'cargo,nextest' },
    threads: { type: 'string', default: '2' },
    out: { type: 'string', default: join(ROOT, '.tmp', 'bench-shards.json') },
    part: { type: 'string', default: 'all' },
    'balance-shards': { type: 'string', default: '2' },
    'quick-tests': { type: 'string', default: '200' },
    'slow-targets': { type: 'string', default: '20' },
    help: { type: 'boolean', short: 'h' }
  }
})
if (flags.help) {
  process.stdout.write(
    'npm run bench:shards -- [--part all|balance|build-once] [--shards 4] [--balance-shards 2] [--quick-tests 200] [--slow-targets 20] [--runners cargo,nextest] [--threads 2] [--out FILE]\n'
  )
  process.exit(0)
}
const total = Number(flags.shards)
if (!Number.isInteger(total) || total < 2)
  throw new Error(`--shards: '${flags.shards}', expected an integer ≥ 2`)

/** Seconds, tests and the pass of one CLI run. */
interface Measured {
  wallSecs: number
  buildSecs: number
  layerSecs: number
  tests: number
  passed: boolean
}

/** One runner's figures. */
interface RunnerFigures {
  runner: string
  whole: Measured
  shards: Measured[]
  /** Wall time of the N shards run at once. */
  concurrentSecs: number
  archiveSecs?: number
  archiveShards?: Measured[]
  archiveConcurrentSecs?: number
}

const children = new Set<number>()
process.on('SIGINT', () => {
  for (const pid of children) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  process.exit(130)
})

if (!['all', 'balance', 'build-once'].includes(flags.part)) {
  throw new Error(`--part: '${flags.part}', expected all, balance or build-once`)
}
const crate = join(WORK, 'crate')
rmSync(WORK, { recursive: true, force: true })
mkdirSync(WORK, { recursive: true })
const runners = flags.runners.split(',').map(r => r.trim())
const takenAt = new Date().toISOString()

const balance: BalanceFigures[] = []
if (flags.part !== 'build-once') {
  const lsm = join(WORK, 'lsm-shaped')
  writeLsmShapedCrate(lsm, {
    quickTests: Number(flags['quick-tests']),
    quickMs: 20,
    slowTargets: Number(flags['slow-targets'])
  })
  const ctx: BalanceContext = {
    cli: CLI,
    crate: lsm,
    work: WORK,
    shards: Number(flags['balance-shards']),
    threads: flags.threads,
    run: spawnGroup(children),
    log
  }
  for (const runner of runners) balance.push(await balanceFigures(ctx, runner))
}
const figures: RunnerFigures[] = []
if (flags.part !== 'balance') {
  cpSync(join(ROOT, 'fixture'), crate, {
    recursive: true,
    filter: src => !src.startsWith(join(ROOT, 'fixture', 'target'))
  })
  for (const runner of runners) figures.push(await runnerFigures(runner))
}
const doc = {
  takenAt,
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  shards: total,
  threads: Number(flags.threads),
  loadavgAtEnd: loadavg(),
  balance,
  figures
}
writeFileSync(flags.out, `${JSON.stringify(doc, null, 1)}\n`)
const tables = [
  ...(balance.length > 0 ? [balanceTable(balance)] : []),
  ...(figures.length > 0 ? [table(figures)] : [])
]
process.stdout.write(`\n${tables.join('\n\n')}\n\nresults: ${flags.out}\n`)

async function runnerFigures(runner: string): Promise<RunnerFigures> {
  const target = join(WORK, `target-${runner}`)
  rmSync(target, { recursive: true, force: true })
  log(`${runner}: whole run from a cold target dir …`)
  const whole = await cli(runner, target, [], 'whole')
  // One warm target dir for all: cargo holds its lock only while it checks
  // the build, so the shards' tests run side by side.
  log(`${runner}: ${total} shards at once from the warm target dir …`)
  const t0 = Date.now()
  const shards = await Promise.all(
    range(total).map(k => cli(runner, target, ['--shard', `${k}/${total}`], `shard-${k}`))
  )
  const concurrentSecs = (Date.now() - t0) / 1000
  if (runner !== 'nextest') return { runner, whole, shards, concurrentSecs }
  const archiveTarget = join(WORK, 'target-archive')
  rmSync(archiveTarget, { recursive: true, force: true })
  const archive = join(WORK, 'tests.tar.zst')
  log('nextest: cargo nextest archive from a cold target dir …')
  const t1 = Date.now()
  const argv = ['nextest', 'archive', '--features', 'failpoints', '--archive-file', archive]
  const status = await run('cargo', argv, { CARGO_TARGET_DIR: archiveTarget })
  if (status !== 0) throw new Error(`cargo ${argv.join(' ')} exited ${status}`)
  const archiveSecs = (Date.now() - t1) / 1000
  log(`nextest: ${total} shards at once from the archive, no target dir …`)
  const t2 = Date.now()
  const archiveShards = await Promise.all(
    range(total).map(k =>
      cli(
        runner,
        join(WORK, `target-none-${k}`),
        ['--shard', `${k}/${total}`, '--archive-file', archive],
        `archive-${k}`
      )
    )
  )
  const archiveConcurrentSecs = (Date.now() - t2) / 1000
  return {
    runner,
    whole,
    shards,
    concurrentSecs,
    archiveSecs,
    archiveShards,
    archiveConcurrentSecs
  }
}

async function cli(
  runner: string,
  target: string,
  extra: string[],
  name: string
): Promise<Measured> {
  const out = join(WORK, 'out', `${runner}-${name}`)
  const args = [CLI, 'test', 'all', flags.threads, '--runner', runner, '--quiet']
  const t0 = Date.now()
  const status = await run('node', [...args, '--output-dir', out, ...extra], {
    CARGO_TARGET_DIR: target
  })
  const wallSecs = (Date.now() - t0) / 1000
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as TestRunResult
  const buildSecs = doc.builds.reduce((sum, b) => sum + b.command.durationMs, 0) / 1000
  const layerSecs = doc.layers.reduce((sum, l) => sum + l.durationMs, 0) / 1000
  // Tests that ran: each case's last attempt, as the summary counts them.
  const tests = doc.layers
    .flatMap(l => l.cases)
    .reduce((sum, c) => sum + (c.attempts.at(-1)?.tests.length ?? 0), 0)
  return { wallSecs, buildSecs, layerSecs, tests, passed: doc.passed && status === 0 }
}

/** Runs a command in its own process group; resolves to its exit status. */
function run(cmd: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, {
      cwd: crate,
      env: { ...process.env, ...env },
      stdio: 'ignore',
      detached: true
    })
    if (child.pid) children.add(child.pid)
    child.on('error', fail)
    child.on('exit', code => {
      if (child.pid) children.delete(child.pid)
      done(code ?? 1)
    })
  })
}

function table(all: RunnerFigures[]): string {
  const s = (n: number): string => n.toFixed(1)
  const rows = [
    '| runner | what | wall s | build s | layers s | tests | passed |',
    '| ------ | ---- | -----: | ------: | -------: | ----: | ------ |'
  ]
  const row = (runner: string, what: string, m: Measured): string =>
    `| ${runner} | ${what} | ${s(m.wallSecs)} | ${s(m.buildSecs)} | ${s(m.layerSecs)} | ${m.tests} | ${m.passed ? 'yes' : 'NO'} |`
  const lines: string[] = []
  for (const f of all) {
    rows.push(row(f.runner, 'whole run, cold build', f.whole))
    f.shards.forEach((m, i) => rows.push(row(f.runner, `shard ${i + 1}/${total}, warm`, m)))
    f.archiveShards?.forEach((m, i) =>
      rows.push(row(f.runner, `shard ${i + 1}/${total}, from archive`, m))
    )
    const slowest = Math.max(...f.shards.map(m => m.wallSecs))
    lines.push(
      `${f.runner}: whole run ${s(f.whole.wallSecs)} s (build ${s(f.whole.buildSecs)} s, layers ${s(f.whole.layerSecs)} s); ${total} warm shards at once ${s(f.concurrentSecs)} s, slowest shard ${s(slowest)} s`
    )
    if (f.archiveShards && f.archiveSecs !== undefined && f.archiveConcurrentSecs !== undefined) {
      const slowestArchive = Math.max(...f.archiveShards.map(m => m.wallSecs))
      const saved = total * f.whole.buildSecs - f.archiveSecs
      lines.push(
        `${f.runner}: archive built once ${s(f.archiveSecs)} s, then ${total} shards from it at once ${s(f.archiveConcurrentSecs)} s (slowest ${s(slowestArchive)} s); build-once saving: ${total} cold builds (${s(total * f.whole.buildSecs)} s) − one archive = ${s(saved)} s of build`
      )
    }
  }
  return `${rows.join('\n')}\n\n${lines.join('\n')}`
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1)
}

function log(text: string): void {
  process.stderr.write(`${text}\n`)
}
