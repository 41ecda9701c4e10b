/**
 * `npm run bench:gate`: the accuracy benchmark of the perf gate on the
 * fixture's benches. For each noise level (quiet; noisy: one injected burner
 * with a random duty cycle; busy: two CPU-bound processes beside the compare)
 * and each head (A/A: no change; A/B: chosen cases made 1, 2, 5, 10 % slower),
 * it runs the reference rule, our default verdict on wall time (Criterion)
 * with its default pairing or duet or sequential rounds, and the instruction
 * gate (gungraun), `--runs` times each, interleaved, on sides built once, and
 * counts false alarms, detections, decisive A/A verdicts, compares left not
 * judged, the resolution the compares reported and wall time. Prints a table
 * (with its flags and the machine's load) and writes every compare to JSON.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  exactFilter,
  type BenchContext,
  type BenchSide
} from '../src/core/perf/measure/bench-runner.js'
import { plainLogger, silentLogger } from '../src/core/shared/logger.js'
import {
  measureRounds,
  runBenchArgs,
  type MeasuredCompare
} from '../src/core/perf/measure/rounds.js'
import { resolvePerfSettings, type PerfSettings } from '../src/core/perf/settings.js'
import { criterionBudget } from '../src/core/perf/measure/round-budget.js'
import { medianResolution } from '../src/core/perf/judge/verdict.js'
import {
  BENCH_CASES as CASES,
  buildVariants,
  IAI_CASES,
  type Variant
} from './bench/fixture-variants.js'
import { exitOnSignals, startBusy, startNoise, type Noise } from './bench/noise.js'
import { rejudge } from './bench/rejudge.js'
import { renderSlotTable, slotFigures } from './bench/slots.js'
import { summarise, renderTable, type CompareRecord, type SlowedCases } from './bench/gate-table.js'
import {
  checkInstructionGate,
  compareInstructions,
  IAI_BENCH,
  IAI_SLOWED,
  instructionSettings
} from './bench/instruction-gate.js'

const ROOT = resolve(import.meta.dirname, '..')
const IAI_CASE_COUNT = IAI_CASES.length

const SLOWED = ['Put/K100-V1024/16', 'Scan/K16-V16/1000']
const GATES = ['reference', 'default', 'duet', 'sequential', 'instructions']
const NOISES = ['quiet', 'noisy', 'busy']
/** The slowed cases each gate sees: Criterion ids for wall time, gungraun ids for instructions. */
const SLOWED_BY_GATE: Record<string, string[]> = {
  reference: SLOWED,
  default: SLOWED,
  duet: SLOWED,
  sequential: SLOWED,
  instructions: IAI_SLOWED
}
/** The default gate's limits (max-regress-cases, min-compare-cases, min-base-ns defaults). */
const DEFAULT_LIMITS = { maxRegressCases: 0, minCompareCases: 6, minBaseNs: 10000 }
const BENCH_ARGS =
  '--noplot --warm-up-time 0.03 --measurement-time 0.1 --sample-size 20 --nresamples 2000'

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    threshold: { type: 'string', default: '5' },
    'instructions-threshold': { type: 'string' },
    slowdowns: { type: 'string', default: '1,2,5,10' },
    noise: { type: 'string', default: 'quiet,noisy' },
    gates: { type: 'string', default: GATES.join(',') },
    'bench-args': { type: 'string', default: BENCH_ARGS },
    out: { type: 'string', default: join(ROOT, '.tmp', 'bench-gate.json') },
    work: { type: 'string', default: join(ROOT, '.tmp', 'bench-gate') },
    set: { type: 'string', default: '' },
    from: { type: 'string' },
    rejudge: { type: 'boolean' },
    slots: { type: 'boolean' },
    estimate: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' }
  }
})
if (flags.help) {
  process.stdout.write(
    'npm run bench:gate -- [--runs 20] [--threshold 5] [--slowdowns 1,2,5,10] [--noise quiet,noisy] (or busy: two CPU-bound processes)\n' +
      `  [--gates ${GATES.join(',')}] [--bench-args="${BENCH_ARGS}"] [--out .tmp/bench-gate.json]\n` +
      "  [--instructions-threshold 1]  the instruction gate's threshold (default: its own, 1 %)\n" +
      '  [--set rounds=7,remeasure-rounds=2]  settings of the default gate to try instead\n' +
      '  [--work .tmp/bench-gate]  where the fixture repo, its builds and the runs go (one per concurrent run)\n' +
      '  [--from .tmp/bench-gate.json]  print the table of a finished run again\n' +
      "  [--rejudge]  with --from: judge the default gate's recorded rounds with this checkout's verdict\n" +
      "  [--slots]  with --from: the duet rounds' odd against even rounds (the side started first)\n" +
      '  [--estimate]  print how long these settings would take, and stop\n'
  )
  process.exit(0)
}
if (flags.from) {
  // Re-print the table of a finished benchmark (the counts are recomputed from its records).
  const saved = JSON.parse(readFileSync(flags.from, 'utf8')) as {
    records: CompareRecord[]
    slowed: SlowedCases
    thresholdPct: number
    settings: Record<string, { rounds: number }>
  }
  let records = saved.records
  if (flags.rejudge) {
    const s = saved.settings['default']
    if (!s) throw new Error(`--rejudge: ${flags.from} has no default gate`)
    const replay = { rounds: s.rounds, thresholdPct: saved.thresholdPct }
    const out = rejudge(records, 'default', { ...replay, ...DEFAULT_LIMITS })
    records = out.records
    process.stdout.write(`re-judged; suspects that could not be replayed: ${out.unreplayed}\n`)
  }
  process.stdout.write(`${renderTable(summarise(records, saved.slowed))}\n`)
  if (flags.slots)
    process.stdout.write(`\n${renderSlotTable(slotFigures(records, saved.slowed))}\n`)
  process.exit(0)
}
const runs = positiveInt(flags.runs, '--runs')
const noises = list(flags.noise, NOISES, '--noise')
const gates = list(flags.gates, GATES, '--gates')
const variants: Variant[] = [
  { name: 'aa', slowPct: 0 },
  ...flags.slowdowns
    .split(',')
    .filter(s => s !== '')
    .map(s => ({ name: `slow${s}`, slowPct: Number(s) }))
]

exitOnSignals()
const work = resolve(flags.work)
const runDir = join(work, 'run')
mkdirSync(join(runDir, 'logs'), { recursive: true })
const log = plainLogger(process.stdout, process.stderr)
const baseCtx: Omit<BenchContext, 'outDir'> = {
  bench: 'perf',
  benchArgs: [],
  cargoArgs: [],
  env: process.env,
  buildTimeoutSeconds: 1800,
  runTimeoutSeconds: 600,
  repoRoot: join(work, 'repo'),
  logger: log
}

const settings = async (gate: string): Promise<PerfSettings> => {
  if (gate === 'instructions') return instructionSettings(ROOT, flags['instructions-threshold'])
  const given: Record<string, string> = {
    'bench-args': flags['bench-args'],
    'regress-pct': flags.threshold,
    'compare-filters': exactFilter(CASES),
    ...(gate === 'reference'
      ? { gate: 'threshold' }
      : gate === 'duet' || gate === 'sequential'
        ? { ...overrides, pairing: gate }
        : overrides)
  }
  // Our defaults exactly as a user gets them: only the threshold, filter and budget are given.
  return resolvePerfSettings({ get: n => given[n], describe: n => `--${n}` }, {}, ROOT, ROOT)
}
const overrides = Object.fromEntries(
  flags.set
    .split(',')
    .filter(kv => kv.includes('='))
    .map(kv => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])
)
const gateSettings = new Map<string, PerfSettings>()
for (const g of gates) gateSettings.set(g, await settings(g))

// Before any build: Valgrind and a runner of the fixture's gungraun, or the fix.
const gungraunVersion = gates.includes('instructions')
  ? await checkInstructionGate(ROOT, process.env)
  : ''
estimate()
if (flags.estimate) process.exit(0)
const started = Date.now()
const built = await buildVariants(
  ROOT,
  work,
  variants,
  gates.includes('instructions') ? [...SLOWED, ...IAI_SLOWED] : SLOWED,
  baseCtx,
  side => join(work, 'bin', side),
  gates.includes('instructions') ? [IAI_BENCH] : []
)
log.info(`built ${1 + variants.length} sides in ${seconds(Date.now() - started)} s`)

const records: CompareRecord[] = []
for (const noise of noises) {
  const burner: Noise | undefined =
    noise === 'noisy' ? startNoise() : noise === 'busy' ? startBusy(2) : undefined
  try {
    for (let run = 1; run <= runs; run++) {
      // Every cell once per run, in a fresh random order: drift of the machine hits all alike.
      const cells = shuffle(variants.flatMap(v => gates.map(g => ({ v, g }))))
      for (const { v, g } of cells) {
        const sides = built.byBench.get(g === 'instructions' ? IAI_BENCH : 'perf')!
        records.push(await compareOnce(noise, v, g, run, sides.base, sides.heads.get(v.name)!))
      }
      log.info(`${noise}: run ${run}/${runs} done (${seconds(Date.now() - started)} s so far)`)
      save()
    }
  } finally {
    burner?.stop()
  }
}
save()
process.stdout.write(`\n${header()}\n${renderTable(summarise(records, SLOWED_BY_GATE))}\n`)
log.info(`results: ${flags.out}; total ${seconds(Date.now() - started)} s`)

/** What ran, on what, under which load: the table's own description. */
function header(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  return [
    `bench:gate ${new Date(started).toISOString()} – ${new Date().toISOString()}: ${runs} runs, noise ${noises.join(',')}, gates ${gates.join(',')}, heads ${variants.map(v => v.name).join(',')}, threshold ${flags.threshold} %`,
    `Criterion budget of one run: ${flags['bench-args']} (the rounds of the noise-aware gates share it)`,
    `machine: ${cpus().length} × ${cpu}, node ${process.version}; load average at the end ${loadavg()
      .map(l => l.toFixed(2))
      .join(' ')}`
  ].join('\n')
}

async function compareOnce(
  noise: string,
  v: Variant,
  gate: string,
  run: number,
  base: BenchSide,
  head: BenchSide
): Promise<CompareRecord> {
  const s = gateSettings.get(gate)!
  const ctx = { ...baseCtx, logger: silentLogger, outDir: runDir }
  const t0 = Date.now()
  const m =
    gate === 'instructions'
      ? await compareInstructions(ctx, base, head, s, gungraunVersion)
      : await measureRounds(ctx, base, head, s)
  return {
    noise,
    variant: v.name,
    slowPct: v.slowPct,
    gate,
    run,
    wallMs: Date.now() - t0,
    load1: loadavg()[0]!,
    passed: m.decision.passed,
    outcome: m.decision.outcome,
    rounds: m.rounds,
    ...resolutionOf(m.comparisons),
    ...costOf(m),
    flagged: m.comparisons.filter(c => c.verdict === 'regressed').map(c => c.id),
    cases: m.comparisons.map(c => ({
      id: c.id,
      verdict: c.verdict,
      delta_pct: c.delta_pct,
      ci: c.ci,
      resolutionPct: c.resolutionPct,
      outlierRounds: c.outlierRounds,
      baseRounds: c.baseRounds,
      headRounds: c.headRounds
    }))
  }
}

/** Why a wall-time compare's extra rounds stopped, and its estimate of the reference's time. */
function costOf(m: object): { stoppedBy?: string; referenceMs?: number } {
  if (!('cost' in m)) return {}
  const cost = (m as MeasuredCompare).cost
  return {
    ...(cost.stoppedBy ? { stoppedBy: cost.stoppedBy } : {}),
    ...(cost.referenceMs !== undefined ? { referenceMs: cost.referenceMs } : {})
  }
}

/** The median resolution of a compare's cases (%), when any had an interval. */
function resolutionOf(cases: readonly { resolutionPct?: number }[]): { resolutionPct?: number } {
  const resolutionPct = medianResolution(cases)
  return resolutionPct === undefined ? {} : { resolutionPct }
}

function save(): void {
  mkdirSync(dirname(flags.out), { recursive: true })
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    node: process.version,
    loadavgAtEnd: loadavg()
  }
  const settingsOut = Object.fromEntries(
    [...gateSettings].map(([g, s]) => [
      g,
      {
        metric: s.metric,
        gate: s.gate,
        thresholdPct: s.regressPct,
        rounds: s.rounds,
        remeasureRounds: s.remeasureRounds,
        pairing: s.pairing,
        timeBudget: s.timeBudget,
        splitBudget: s.splitBudget,
        runBenchArgs: s.metric === 'instructions' ? s.benchArgs : runBenchArgs(s)
      }
    ])
  )
  const doc = {
    startedAt: new Date(started).toISOString(),
    machine,
    runs,
    command: `npm run bench:gate -- ${process.argv.slice(2).join(' ')}`,
    noises,
    thresholdPct: Number(flags.threshold),
    cases: CASES,
    slowed: SLOWED_BY_GATE,
    benchArgs: flags['bench-args'],
    settings: settingsOut,
    summary: summarise(records, SLOWED_BY_GATE),
    records
  }
  writeFileSync(flags.out, `${JSON.stringify(doc, null, 1)}\n`)
}

/**
 * A rough forecast: Criterion time per case plus ~0.6 s per process (start-up, fixtures,
 * analysis, measured here); an instruction compare ~0.6 s per gungraun case and side.
 */
function estimate(): void {
  let perRun = 0
  for (const s of gateSettings.values()) {
    if (s.metric === 'instructions') {
      perRun += 2 * 0.6 * IAI_CASE_COUNT * variants.length
      continue
    }
    const b = criterionBudget(runBenchArgs(s))
    const perCase = b.warmUpSeconds + b.measurementSeconds
    // Sequential: two processes a round; duet: a pair of processes per case, both sides at once.
    const round =
      s.pairing === 'duet' ? CASES.length * (perCase + 0.6) : 2 * (CASES.length * perCase + 0.6)
    perRun += s.rounds * round * variants.length
  }
  const total = perRun * runs * noises.length
  log.info(
    `bench:gate: ${runs} runs × ${noises.length} noise levels × ${variants.length} heads × ` +
      `${gates.length} gates on ${CASES.length} Criterion cases` +
      (gates.includes('instructions') ? ` and ${IAI_CASE_COUNT} gungraun cases` : '') +
      `; estimated ${Math.ceil(total / 60)} min ` +
      `(+ ~3 min of builds when cold; re-measuring adds a little)`
  )
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[xs[i], xs[j]] = [xs[j]!, xs[i]!]
  }
  return xs
}

function positiveInt(text: string, name: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} ${text}: expected a whole number >= 1`)
  return n
}

function list(text: string, allowed: string[], name: string): string[] {
  const items = text.split(',').filter(s => s !== '')
  const bad = items.filter(i => !allowed.includes(i))
  if (bad.length > 0)
    throw new Error(`${name} ${bad.join(',')}: expected some of ${allowed.join(',')}`)
  return items
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(0)
}
