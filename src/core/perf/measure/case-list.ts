/**
 * The cases a Criterion bench binary would run, from its `--list` output
 * (one `<id>: benchmark` line per case, as libtest lists its tests), without
 * measuring anything. Every wall-time run lists first: a duet round runs one
 * pair of processes per case, so it needs the ids before it starts; a compare
 * filter that selects nothing on either side is named with the cases that
 * exist before anything is measured; a binary that does not answer `--list` as
 * Criterion does (a `harness = false` program of its own, a gungraun bench) is
 * named as such within a minute instead of timing out after the run timeout.
 * The time one listing takes is also the fixed cost of starting one bench
 * process, which the time budget uses.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { runBenchProcess, type BenchContext, type BenchSide } from './bench-runner.js'
import { BENCH_SETTING } from './bench-targets.js'
import { isGungraunBinary } from './gungraun-setup.js'
import { criterionFilter, noMatchMessage } from '../compare-filters.js'
import { InputError } from '../../shared/errors.js'

/** Seconds a listing may take: Criterion lists in well under a second, set-up included. */
export const LIST_TIMEOUT_SECONDS = 60

/** What a side's binary lists, how long one listing process took and all of them (ms). */
export interface CaseListing {
  ids: string[]
  /** The ids each filter selects, in the filters' order (one entry, all ids, without filters). */
  perFilter: string[][]
  wallMs: number
  totalMs: number
}

/** Ids from `--list` output: the lines ending in `: benchmark`, in order, without repeats. */
export function parseCaseList(text: string): string[] {
  const ids: string[] = []
  for (const line of text.split(/\r?\n/)) {
    const m = /^(.*): benchmark$/.exec(line)
    if (m && !ids.includes(m[1]!)) ids.push(m[1]!)
  }
  return ids
}

/** True when `--list` output is libtest's (`name: test`, `name: bench`, `N tests, M benchmarks`). */
export function isLibtestList(text: string): boolean {
  return /^(.+: (test|bench)|\d+ tests?, \d+ benchmarks?)$/m.test(text)
}

/**
 * Lists the side's cases matching each of `filters` (compare filters as written; all cases when
 * none), one `--list` process per filter, as the runs would filter them.
 * @throws InputError when the binary is not a Criterion bench (it lists as libtest, it is a
 *   gungraun bench, or it does not list within LIST_TIMEOUT_SECONDS), or when Criterion refuses a
 *   filter as a regex (named with `filtersFrom`); Error naming the side and the log otherwise.
 */
export async function listCases(
  ctx: BenchContext,
  side: BenchSide,
  filters: readonly string[],
  filtersFrom = "input 'compare-filters'"
): Promise<CaseListing> {
  const ids: string[] = []
  const perFilter: string[][] = []
  let wallMs = 0
  const parts = filters.length > 0 ? filters : [undefined]
  for (const [i, filter] of parts.entries()) {
    const home = join(ctx.outDir, 'runs', `${side.name}.list${i}`)
    rmSync(home, { recursive: true, force: true })
    const logPath = join(ctx.outDir, 'logs', `${side.name}.list${i}.log`)
    const regex = filter === undefined ? undefined : criterionFilter(filter)
    const started = Date.now()
    const why = await runBenchProcess(ctx, side, {
      argv: [side.executable, '--bench', '--list', ...(regex ? [regex] : [])],
      env: { ...ctx.env, CRITERION_HOME: home },
      logPath,
      group: `${side.name}: list the cases${filter ? ` matching ${filter}` : ''}`,
      timeoutSeconds: LIST_TIMEOUT_SECONDS
    })
    wallMs += Date.now() - started
    const text = readFileSync(logPath, 'utf8')
    if (why !== undefined)
      throw listingError(ctx, side, { why, text, logPath, filter, filtersFrom })
    if (isLibtestList(text) && parseCaseList(text).length === 0) {
      throw new InputError(
        `Invalid ${BENCH_SETTING}: '${ctx.bench}' lists its cases as libtest does (log: ${logPath}): it is a libtest #[bench] bench, not Criterion. Name a Criterion bench (harness = false, criterion_main!).`
      )
    }
    const mine = parseCaseList(text)
    perFilter.push(mine)
    for (const id of mine) if (!ids.includes(id)) ids.push(id)
  }
  return { ids, perFilter, wallMs: wallMs / parts.length, totalMs: wallMs }
}

/**
 * Lists both sides with the compare filters.
 * @throws InputError naming the first filter that selects no case on either side, with the
 *   head's cases (or the base's, when the head lists none).
 */
export async function listSides(
  ctx: BenchContext,
  sides: { base: BenchSide; head: BenchSide },
  filters: readonly string[],
  filtersFrom: string
): Promise<{ base: CaseListing; head: CaseListing }> {
  const base = await listCases(ctx, sides.base, filters, filtersFrom)
  const head = await listCases(ctx, sides.head, filters, filtersFrom)
  const empty = filters.findIndex(
    (_, i) => base.perFilter[i]!.length === 0 && head.perFilter[i]!.length === 0
  )
  if (empty >= 0) {
    let all = (await listCases(ctx, sides.head, [])).ids
    if (all.length === 0) all = (await listCases(ctx, sides.base, [])).ids
    throw new InputError(noMatchMessage(filtersFrom, filters[empty]!, ctx.bench, all))
  }
  return { base, head }
}

/** Why a listing failed: a regex Criterion refused, a binary that is not Criterion, or the exit. */
function listingError(
  ctx: BenchContext,
  side: BenchSide,
  l: { why: string; text: string; logPath: string; filter?: string; filtersFrom: string }
): Error {
  const refused = /Unable to parse '[\s\S]*' as a regular expression: ([\s\S]*?)(?:\nnote:|$)/.exec(
    l.text
  )
  if (refused && l.filter !== undefined) {
    return new InputError(
      `Invalid ${l.filtersFrom}: '${l.filter}' is not a regex Criterion accepts (Rust regex syntax): ${refused[1]!.trim()}. To select a case by its id as written, write '=${l.filter}'.`
    )
  }
  if (isGungraunBinary(side.executable)) {
    return new InputError(
      `Invalid ${BENCH_SETTING}: '${ctx.bench}' is a gungraun bench (its binary starts gungraun-runner), not Criterion: set metric instructions to count its instructions, or name a Criterion bench for wall time.`
    )
  }
  if (l.why.startsWith('timed out')) {
    return new InputError(
      `Invalid ${BENCH_SETTING}: '${ctx.bench}' did not list its cases within ${LIST_TIMEOUT_SECONDS} s ` +
        `(\`${side.executable} --bench --list\`, log: ${l.logPath}), which a Criterion bench does at once: ` +
        'it is not a Criterion bench but a harness = false program of its own, which ignores ' +
        "Criterion's arguments. Name a Criterion bench (harness = false, criterion_main!), or a gungraun bench with metric instructions."
    )
  }
  return new Error(`Listing the ${side.name} benchmarks failed (${l.why}); log: ${l.logPath}`)
}
