/**
 * `npm run bench:cost`: what the perf gate costs beyond measuring.
 * 1. A full compare of the fixture from cold target dirs, with dependency
 *    builds shared between base and head (`share-build true`) and with each
 *    side building its own (`false`, as the reference does), in one run.
 * 2. The action's own overhead: start-up of the bundled CLI (minus a bare
 *    `node -e 0`), and reading 10,000 Criterion cases per side, judging them
 *    and rendering the reports, in a separate bundled process whose peak RSS
 *    is its own.
 * 3. The measuring time of the reference rule and of our default on a bench
 *    that sets its budget in code (test/crates/knob_bench, mace-kv's shape),
 *    which split-budget cannot divide.
 * Prints a table and writes JSON.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  buildBench,
  exactFilter,
  type BenchContext,
  type BenchSide
} from '../src/core/perf/measure/bench-runner.js'
import { plainLogger, silentLogger } from '../src/core/shared/logger.js'
import { measureRounds } from '../src/core/perf/measure/rounds.js'
import { medianResolution } from '../src/core/perf/judge/verdict.js'
import { runPerfCompare } from '../src/core/perf/run.js'
import { resolvePerfSettings } from '../src/core/perf/settings.js'
import { BENCH_CASES as CASES, buildVariants } from './bench/fixture-variants.js'
import { writeSyntheticRun } from './bench/synthetic-criterion.js'

const ROOT = resolve(import.meta.dirname, '..')
const WORK = join(ROOT, '.tmp', 'bench-cost')
/** A per-case budget closer to real use (Criterion's defaults are 3 s + 5 s). */
const REAL_BENCH_ARGS = '--noplot --warm-up-time 1 --measurement-time 3'
/** The knobs of the mace-shaped bench: its quick profile, 2 s per case (set in code). */
const CODE_BUDGET_KNOBS = {
  MACE_BENCH_QUICK: '1',
  MACE_BENCH_ITEMS: '2000',
  MACE_BENCH_MEASURE_SECS: '2'
}
const BENCH_ARGS =
  '--noplot --warm-up-time 0.03 --measurement-time 0.1 --sample-size 20 --nresamples 2000'

const { values: flags } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    'skip-compare': { type: 'boolean', default: false },
    'skip-budget': { type: 'boolean', default: false },
    'skip-code-budget': { type: 'boolean', default: false },
    'skip-overhead': { type: 'boolean', default: false },
    'code-budget-runs': { type: 'string', default: '1' },
    'code-budget-threshold': { type: 'string', default: '5' },
    'code-budget-time': { type: 'string', default: '' },
    out: { type: 'string', default: join(ROOT, '.tmp', 'bench-cost.json') },
    help: { type: 'boolean', short: 'h' }
  }
})
if (flags.help) {
  process.stdout.write(
    'npm run bench:cost -- [--cases 10000] [--skip-compare] [--skip-budget] [--skip-code-budget] [--skip-overhead] [--out FILE]\n' +
      '  [--code-budget-runs 1] [--code-budget-threshold 5]  A/A compares of the budget-in-code bench per gate, and their threshold (%)\n' +
      "  [--code-budget-time 2x]  their time-budget (default: the gate's own, 1.5x)\n"
  )
  process.exit(0)
}
const log = plainLogger(process.stdout, process.stderr)
mkdirSync(WORK, { recursive: true })

// Each part's figures are written as soon as it ends: a later part that fails loses none of them.
const doc: {
  takenAt: string
  machine: { cpus: number; model?: string; node: string }
  loadavgAtEnd: number[]
  compare?: Awaited<ReturnType<typeof coldCompares>>
  budget?: Awaited<ReturnType<typeof realBudgetTimes>>
  codeBudget?: Awaited<ReturnType<typeof codeBudgetTimes>>
  overhead?: ReturnType<typeof actionOverhead>
} = {
  takenAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  loadavgAtEnd: loadavg()
}
const save = (): void => {
  doc.loadavgAtEnd = loadavg()
  writeFileSync(flags.out, `${JSON.stringify(doc, null, 1)}\n`)
}
if (!flags['skip-compare']) {
  doc.compare = await coldCompares()
  save()
}
if (!flags['skip-budget']) {
  doc.budget = await realBudgetTimes()
  save()
}
if (!flags['skip-code-budget']) {
  doc.codeBudget = await codeBudgetTimes()
  save()
}
if (!flags['skip-overhead']) {
  doc.overhead = actionOverhead(Number(flags.cases))
  save()
}
process.stdout.write(`\n${table(doc)}\n`)
log.info(`results: ${flags.out}`)

/** Two full compares (threshold gate, one round) from cold target dirs. */
async function coldCompares(): Promise<Record<string, number>> {
  const repo = fixtureRepo()
  const ms: Record<string, number> = {}
  for (const share of ['true', 'false']) {
    rmSync(join(repo, 'target'), { recursive: true, force: true })
    const given: Record<string, string> = {
      'base-ref': 'base',
      'bench-args': BENCH_ARGS,
      'compare-filters': exactFilter(CASES),
      'share-build': share,
      'out-dir': join(WORK, `out-${share}`)
    }
    const s = await resolvePerfSettings(
      { get: n => given[n], describe: n => `--${n}` },
      {},
      repo,
      repo
    )
    log.info(`cold compare, share-build ${share} …`)
    const t0 = Date.now()
    const result = await runPerfCompare(s, { logger: silentLogger })
    ms[share === 'true' ? 'sharedMs' : 'unsharedMs'] = Date.now() - t0
    if (result.counts.compared < CASES.length) throw new Error('the compare measured too few cases')
  }
  return {
    ...ms,
    sharedVsUnshared: ms.sharedMs! / ms.unsharedMs!,
    saved: 1 - ms.sharedMs! / ms.unsharedMs!
  }
}

/**
 * Measuring time of the reference rule and of our default on an A/A head at a
 * realistic budget (sides built once, builds not timed): the accuracy
 * benchmark's tiny budget lets each process's fixed start-up cost dominate.
 */
async function realBudgetTimes(): Promise<Record<string, number | string>> {
  const dir = join(WORK, 'budget')
  const ctx: Omit<BenchContext, 'outDir'> = {
    bench: 'perf',
    benchArgs: [],
    cargoArgs: [],
    env: process.env,
    buildTimeoutSeconds: 1800,
    runTimeoutSeconds: 1800,
    repoRoot: join(dir, 'repo'),
    logger: silentLogger
  }
  log.info('building an A/A pair for the realistic-budget timing …')
  const built = await buildVariants(ROOT, dir, [{ name: 'aa', slowPct: 0 }], [], ctx, side =>
    join(dir, 'bin', side)
  )
  const out: Record<string, number | string> = { benchArgs: REAL_BENCH_ARGS }
  for (const gate of ['reference', 'default']) {
    const given: Record<string, string> = {
      'bench-args': REAL_BENCH_ARGS,
      'regress-pct': '5',
      'compare-filters': exactFilter(CASES),
      ...(gate === 'reference' ? { gate: 'threshold' } : {})
    }
    const s = await resolvePerfSettings(
      { get: n => given[n], describe: n => `--${n}` },
      {},
      ROOT,
      ROOT
    )
    const runDir = join(dir, 'run')
    mkdirSync(join(runDir, 'logs'), { recursive: true })
    log.info(`measuring with the ${gate} rule at ${REAL_BENCH_ARGS} …`)
    const t0 = Date.now()
    const m = await measureRounds({ ...ctx, outDir: runDir }, built.base, built.heads.get('aa')!, s)
    out[`${gate}Ms`] = Date.now() - t0
    out[`${gate}Rounds`] = m.rounds
  }
  out.defaultVsReference = (out.defaultMs as number) / (out.referenceMs as number)
  return out
}

/**
 * Measuring time of the reference rule (one run per side) and of our default on a bench that
 * sets its Criterion budget per group in code (knob_bench, the shape of mace-kv's), A/A: one
 * binary as both sides, builds not timed.
 */
async function codeBudgetTimes(): Promise<Record<string, unknown>> {
  const dir = join(WORK, 'code-budget')
  const crate = join(dir, 'knob_bench')
  rmSync(crate, { recursive: true, force: true })
  cpSync(join(ROOT, 'test', 'crates', 'knob_bench'), crate, { recursive: true })
  const ctx: BenchContext = {
    bench: 'perf',
    benchArgs: [],
    cargoArgs: [],
    env: { ...process.env, ...CODE_BUDGET_KNOBS, CARGO_TARGET_DIR: join(dir, 'target') },
    buildTimeoutSeconds: 1800,
    runTimeoutSeconds: 1800,
    repoRoot: crate,
    outDir: join(dir, 'run'),
    logger: silentLogger
  }
  mkdirSync(join(ctx.outDir, 'logs'), { recursive: true })
  log.info('building the mace-shaped bench (budget set in code) …')
  const head = await buildBench(ctx, 'head', crate)
  const base = { ...head, name: 'base' as const }
  const out: Record<string, unknown> = {
    knobs: CODE_BUDGET_KNOBS,
    thresholdPct: Number(flags['code-budget-threshold']),
    timeBudget: flags['code-budget-time'] || 'default (1.5x)'
  }
  const runs = Number(flags['code-budget-runs'])
  const compares: Record<string, unknown>[] = []
  for (let run = 1; run <= runs; run++) {
    for (const gate of ['reference', 'duet', 'sequential']) {
      compares.push({ run, gate, ...(await codeBudgetCompare(ctx, base, head, gate, dir)) })
      out.compares = compares
    }
  }
  for (const gate of ['reference', 'duet', 'sequential']) {
    const mine = compares.filter(c => c.gate === gate)
    const ms = mine.map(c => c.ms as number)
    out[`${gate}Ms`] = ms.reduce((a, b) => a + b, 0) / ms.length
    out[`${gate}Rounds`] = mine.map(c => c.rounds as number)
    out[`${gate}Decisive`] = mine.reduce((n, c) => n + (c.unchanged as number), 0)
    out[`${gate}Cases`] = mine.reduce((n, c) => n + (c.compared as number), 0)
    out[`${gate}Resolution`] = mine.map(c => c.resolutionPct)
  }
  out.defaultVsReference = (out.duetMs as number) / (out.referenceMs as number)
  out.sequentialVsReference = (out.sequentialMs as number) / (out.referenceMs as number)
  return out
}

/** One A/A compare of the budget-in-code bench with one gate: its time, rounds and verdicts. */
async function codeBudgetCompare(
  ctx: BenchContext,
  base: BenchSide,
  head: BenchSide,
  gate: string,
  dir: string
): Promise<Record<string, unknown>> {
  const given: Record<string, string> = {
    'regress-pct': flags['code-budget-threshold'],
    ...(flags['code-budget-time'] ? { 'time-budget': flags['code-budget-time'] } : {}),
    ...(gate === 'reference' ? { gate: 'threshold', 'min-base-ns': '0' } : { pairing: gate })
  }
  {
    const s = await resolvePerfSettings(
      { get: n => given[n], describe: n => `--${n}` },
      {},
      ROOT,
      ROOT
    )
    log.info(`measuring the mace-shaped bench with the ${gate} rule …`)
    const runCtx = { ...ctx, outDir: join(dir, gate) }
    rmSync(runCtx.outDir, { recursive: true, force: true })
    mkdirSync(join(runCtx.outDir, 'logs'), { recursive: true })
    const t0 = Date.now()
    const m = await measureRounds(runCtx, base, head, s)
    const counts = m.decision.counts
    return {
      ms: Date.now() - t0,
      load1: loadavg()[0],
      rounds: m.rounds,
      // One directory per Criterion process.
      processes: readdirSync(join(runCtx.outDir, 'runs')).length,
      outcome: m.decision.outcome,
      compared: counts.compared,
      unchanged: counts.unchanged,
      inconclusive: counts.inconclusive,
      regressed: counts.regressed,
      resolutionPct: medianResolution(m.comparisons),
      cases: m.comparisons.map(c => ({
        id: c.id,
        verdict: c.verdict,
        delta_pct: c.delta_pct,
        ci: c.ci,
        rounds: Math.min(c.baseRounds.length, c.headRounds.length)
      })),
      cost: m.cost
    }
  }
}

/** The fixture as a git repo: `base`, and a head that changes no code. */
function fixtureRepo(): string {
  const repo = join(WORK, 'repo')
  rmSync(repo, { recursive: true, force: true })
  mkdirSync(repo, { recursive: true })
  for (const entry of ['src', 'tests', 'benches', 'Cargo.toml', 'Cargo.lock']) {
    cpSync(join(ROOT, 'fixture', entry), join(repo, entry), { recursive: true })
  }
  writeFileSync(join(repo, '.gitignore'), 'target/\n')
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@localhost', ...args], {
      cwd: repo,
      stdio: 'ignore'
    })
  }
  git('init', '-q', '-b', 'main')
  git('add', '-A')
  git('commit', '-q', '-m', 'base')
  git('tag', 'base')
  writeFileSync(join(repo, 'README'), 'no code change\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'head')
  return repo
}

/** Start-up of the bundled CLI and the bundled overhead process on `count` cases per side. */
function actionOverhead(count: number): Record<string, number> {
  const dir = join(WORK, 'synthetic')
  rmSync(dir, { recursive: true, force: true })
  log.info(`writing ${count} synthetic Criterion cases per side …`)
  writeSyntheticRun(join(dir, 'base'), count, 1)
  writeSyntheticRun(join(dir, 'head'), count, 1.01)
  const bundle = join(WORK, 'overhead')
  execFileSync('npx', ['ncc', 'build', 'scripts/bench/overhead.ts', '-o', bundle, '--quiet'], {
    cwd: ROOT,
    stdio: 'inherit'
  })
  const runs = [1, 2, 3].map(() => {
    const out = execFileSync(process.execPath, [join(bundle, 'index.js'), dir], {
      encoding: 'utf8'
    })
    return JSON.parse(out) as Record<string, number>
  })
  const best = runs.sort((a, b) => a.totalMs! - b.totalMs!)[1]! // the median of three
  const nodeMs = medianMs([process.execPath, '-e', '0'])
  const cliMs = medianMs([process.execPath, join(ROOT, 'dist', 'cli', 'index.js'), '--help'])
  const bare = spawnSync(process.execPath, [
    '-e',
    'process.stdout.write(String(process.resourceUsage().maxRSS / 1024))'
  ])
  return {
    cases: count,
    ...best,
    startupMs: cliMs - nodeMs,
    nodeBareMs: nodeMs,
    nodeBareRssMb: Number(bare.stdout.toString()),
    totalWithStartupMs: best.totalMs! + cliMs - nodeMs
  }
}

/** Median wall time of 11 runs of a command. */
function medianMs(argv: string[]): number {
  const times = Array.from({ length: 11 }, () => {
    const t0 = performance.now()
    spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore' })
    return performance.now() - t0
  }).sort((a, b) => a - b)
  return times[5]!
}

function table(d: typeof doc): string {
  const rows: string[][] = [['measure', 'value']]
  if (d.compare) {
    const c = d.compare
    rows.push(
      ['cold compare, share-build true', `${(c.sharedMs! / 1000).toFixed(1)} s`],
      [
        'cold compare, share-build false (each side builds)',
        `${(c.unsharedMs! / 1000).toFixed(1)} s`
      ],
      [
        'shared / unshared',
        `${c.sharedVsUnshared!.toFixed(2)} (saves ${(c.saved! * 100).toFixed(0)} %)`
      ]
    )
  }
  if (d.budget) {
    const b = d.budget
    rows.push(
      [
        `A/A measuring time at "${b.benchArgs}", reference rule`,
        `${((b.referenceMs as number) / 1000).toFixed(1)} s`
      ],
      [
        `same, our default (${b.defaultRounds} rounds incl. re-measured)`,
        `${((b.defaultMs as number) / 1000).toFixed(1)} s`
      ],
      ['default / reference', `${(b.defaultVsReference as number).toFixed(2)}`]
    )
  }
  if (d.codeBudget) {
    const c = d.codeBudget
    const knobs = Object.entries(c.knobs as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')
    rows.push(
      [
        `budget set in code (knob_bench, ${knobs}), reference rule`,
        `${((c.referenceMs as number) / 1000).toFixed(1)} s`
      ],
      ...['duet', 'sequential'].map(gate => [
        `same, noise-aware ${gate} (rounds incl. extra: ${(c[`${gate}Rounds`] as number[]).join(', ')}; ` +
          `A/A cases unchanged at ${c.thresholdPct as number} %: ${c[`${gate}Decisive`] as number}/${c[`${gate}Cases`] as number}; ` +
          `resolution ${(c[`${gate}Resolution`] as (number | undefined)[]).map(r => (r === undefined ? 'none' : `±${r.toFixed(1)} %`)).join(', ')})`,
        `${((c[`${gate}Ms`] as number) / 1000).toFixed(1)} s`
      ]),
      ['duet / reference (budget set in code)', `${(c.defaultVsReference as number).toFixed(2)}`],
      [
        'sequential / reference (budget set in code)',
        `${(c.sequentialVsReference as number).toFixed(2)}`
      ]
    )
  }
  const o = d.overhead
  if (o) {
    rows.push(
      [
        'CLI start-up (node dist/cli/index.js --help minus node -e 0)',
        `${o.startupMs!.toFixed(0)} ms`
      ],
      [`read ${o.cases} Criterion cases (one side)`, `${o.readBaseMs!.toFixed(0)} ms`],
      [`read ${o.cases} + ${o.cases} Criterion cases (both sides)`, `${o.readMs!.toFixed(0)} ms`],
      ['judge them (compareCases + gate)', `${o.judgeMs!.toFixed(0)} ms`],
      ['render and write the reports', `${o.renderMs!.toFixed(0)} ms`],
      ['overhead total incl. start-up', `${o.totalWithStartupMs!.toFixed(0)} ms`],
      [
        'peak RSS of that process',
        `${o.maxRssMb!.toFixed(0)} MB (bare node: ${o.nodeBareRssMb!.toFixed(0)} MB)`
      ]
    )
  }
  const w = [0, 1].map(i => Math.max(...rows.map(r => r[i]!.length)))
  const line = (r: string[]): string => `| ${r[0]!.padEnd(w[0]!)} | ${r[1]!.padEnd(w[1]!)} |`
  return [line(rows[0]!), line(w.map(n => '-'.repeat(n))), ...rows.slice(1).map(line)].join('\n')
}
