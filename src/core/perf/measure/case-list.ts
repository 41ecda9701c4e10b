/**
 * The cases a Criterion bench binary would run, from its `--list` output
 * (one `<id>: benchmark` line per case, as libtest lists its tests), without
 * measuring anything. A duet round runs one pair of processes per case, so it
 * needs the ids before it starts; the time the listing takes is also the
 * fixed cost of starting one bench process, which the time budget uses.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { runBenchProcess, type BenchContext, type BenchSide } from './bench-runner.js'

/** What a side's binary lists, how long one listing process took and all of them (ms). */
export interface CaseListing {
  ids: string[]
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

/**
 * Lists the side's cases matching any of `filters` (all cases when none), one `--list` process
 * per filter, as the runs would filter them.
 * @throws Error naming the side and the log when the binary fails.
 */
export async function listCases(
  ctx: BenchContext,
  side: BenchSide,
  filters: readonly string[]
): Promise<CaseListing> {
  const ids: string[] = []
  let wallMs = 0
  const parts = filters.length > 0 ? filters : [undefined]
  for (const [i, filter] of parts.entries()) {
    const home = join(ctx.outDir, 'runs', `${side.name}.list${i}`)
    rmSync(home, { recursive: true, force: true })
    const logPath = join(ctx.outDir, 'logs', `${side.name}.list${i}.log`)
    const started = Date.now()
    const why = await runBenchProcess(ctx, side, {
      argv: [side.executable, '--bench', '--list', ...(filter ? [filter] : [])],
      env: { ...ctx.env, CRITERION_HOME: home },
      logPath,
      group: `${side.name}: list the cases${filter ? ` matching ${filter}` : ''}`
    })
    wallMs += Date.now() - started
    if (why !== undefined) {
      throw new Error(`Listing the ${side.name} benchmarks failed (${why}); log: ${logPath}`)
    }
    for (const id of parseCaseList(readFileSync(logPath, 'utf8'))) {
      if (!ids.includes(id)) ids.push(id)
    }
  }
  return { ids, wallMs: wallMs / parts.length, totalMs: wallMs }
}
