/**
 * The balance of shards on a crate shaped like lsm-tree (one lib of many quick
 * unit tests beside slow integration targets), generated here with real
 * sleeps: for each runner, the whole run once (its results.json is the
 * timings), then N shards dealt by count and N shards dealt by those times
 * (`--shard-timings`), each set started at once as a matrix would. Each
 * shard's wall time and layers time, and the slowest over the fastest.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TestRunResult } from '../../src/core/layers/results.js'

/** One shard's (or the whole run's) figures. */
export interface ShardRun {
  wallSecs: number
  /** The layers' own time, which the dealing decides (no build, no listing). */
  layerSecs: number
  tests: number
  passed: boolean
  /** What the shard expected, dealt by time. */
  expectedSecs?: number
}

/** One runner's figures. */
export interface BalanceFigures {
  runner: string
  whole: ShardRun
  byCount: ShardRun[]
  byTime: ShardRun[]
}

/** The crate's shape. */
export interface CrateShape {
  quickTests: number
  quickMs: number
  slowTargets: number
}

/**
 * Writes the crate: a lib of `quickTests` unit tests of `quickMs` each, and
 * `slowTargets` integration targets of one to three tests of 1 to 4 s each
 * (a fixed pattern, so every run generates the same crate).
 */
export function writeLsmShapedCrate(dir: string, shape: CrateShape): void {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'src'), { recursive: true })
  mkdirSync(join(dir, 'tests'), { recursive: true })
  writeFileSync(
    join(dir, 'Cargo.toml'),
    '[package]\nname = "lsm_shaped"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n'
  )
  const unit = Array.from(
    { length: shape.quickTests },
    (_, i) =>
      `    #[test] fn unit_${String(i).padStart(3, '0')}() { std::thread::sleep(std::time::Duration::from_millis(${shape.quickMs})); }`
  )
  writeFileSync(join(dir, 'src', 'lib.rs'), `#[cfg(test)]\nmod tests {\n${unit.join('\n')}\n}\n`)
  for (let t = 0; t < shape.slowTargets; t++) {
    const tests = Array.from({ length: 1 + (t % 3) }, (_, i) => {
      const ms = 1000 + ((t * 7 + i * 3) % 13) * 250
      return `#[test] fn scenario_${i}() { std::thread::sleep(std::time::Duration::from_millis(${ms})); }`
    })
    writeFileSync(
      join(dir, 'tests', `it_${String(t).padStart(2, '0')}.rs`),
      `${tests.join('\n')}\n`
    )
  }
  writeFileSync(join(dir, '.gitignore'), 'target/\n')
}

/** What a balance run needs: the CLI, the crate, where outputs go, how to spawn. */
export interface BalanceContext {
  cli: string
  crate: string
  work: string
  shards: number
  threads: string
  run: (cmd: string, args: string[], cwd: string, env: Record<string, string>) => Promise<number>
  log: (text: string) => void
}

/** One runner's whole run, shards by count and shards by time. */
export async function balanceFigures(ctx: BalanceContext, runner: string): Promise<BalanceFigures> {
  const target = join(ctx.work, `balance-target-${runner}`)
  ctx.log(`balance, ${runner}: the whole run (its results.json is the timings) …`)
  const whole = await cliRun(ctx, runner, target, [], `balance-${runner}-whole`)
  const timings = join(ctx.work, 'out', `balance-${runner}-whole`, 'results.json')
  const shards = async (extra: string[], name: string): Promise<ShardRun[]> =>
    Promise.all(
      Array.from({ length: ctx.shards }, (_, i) =>
        cliRun(
          ctx,
          runner,
          target,
          ['--shard', `${i + 1}/${ctx.shards}`, ...extra],
          `${name}-${i + 1}`
        )
      )
    )
  ctx.log(`balance, ${runner}: ${ctx.shards} shards by count, at once …`)
  const byCount = await shards([], `balance-${runner}-count`)
  ctx.log(`balance, ${runner}: ${ctx.shards} shards by time, at once …`)
  const byTime = await shards(['--shard-timings', timings], `balance-${runner}-time`)
  return { runner, whole, byCount, byTime }
}

async function cliRun(
  ctx: BalanceContext,
  runner: string,
  target: string,
  extra: string[],
  name: string
): Promise<ShardRun> {
  const out = join(ctx.work, 'out', name)
  const args = [
    ctx.cli,
    'test',
    'fast',
    ctx.threads,
    '--runner',
    runner,
    '--features',
    '',
    '--quiet'
  ]
  const t0 = Date.now()
  const status = await ctx.run('node', [...args, '--output-dir', out, ...extra], ctx.crate, {
    CARGO_TARGET_DIR: target
  })
  const wallSecs = (Date.now() - t0) / 1000
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as TestRunResult
  const layerSecs = doc.layers.reduce((sum, l) => sum + l.durationMs, 0) / 1000
  const tests = doc.layers
    .flatMap(l => l.cases)
    .reduce((sum, c) => sum + (c.attempts.at(-1)?.tests.length ?? 0), 0)
  const expected = doc.shard?.expectedSeconds?.[doc.shard.index - 1]
  return {
    wallSecs,
    layerSecs,
    tests,
    passed: doc.passed && status === 0,
    ...(expected !== undefined ? { expectedSecs: expected } : {})
  }
}

/** The Markdown table and the ratio lines. */
export function balanceTable(all: BalanceFigures[]): string {
  const s = (n: number): string => n.toFixed(1)
  const rows = [
    '| runner | dealt by | shard | wall s | layers s | expected s | tests | passed |',
    '| ------ | -------- | ----: | -----: | -------: | ---------: | ----: | ------ |'
  ]
  const lines: string[] = []
  for (const f of all) {
    rows.push(
      `| ${f.runner} | whole run | – | ${s(f.whole.wallSecs)} | ${s(f.whole.layerSecs)} | – | ${f.whole.tests} | ${f.whole.passed ? 'yes' : 'NO'} |`
    )
    for (const [how, set] of [
      ['count', f.byCount],
      ['time', f.byTime]
    ] as const) {
      set.forEach((m, i) =>
        rows.push(
          `| ${f.runner} | ${how} | ${i + 1} | ${s(m.wallSecs)} | ${s(m.layerSecs)} | ${m.expectedSecs === undefined ? '–' : s(m.expectedSecs)} | ${m.tests} | ${m.passed ? 'yes' : 'NO'} |`
        )
      )
      const ratio = (key: 'wallSecs' | 'layerSecs'): string =>
        (Math.max(...set.map(m => m[key])) / Math.min(...set.map(m => m[key]))).toFixed(2)
      lines.push(
        `${f.runner}, by ${how}: slowest/fastest shard ${ratio('layerSecs')}× (layers), ${ratio('wallSecs')}× (wall)`
      )
    }
  }
  return `${rows.join('\n')}\n\n${lines.join('\n')}`
}

/** Runs a command in its own process group (so Ctrl-C can kill it); resolves to its status. */
export function spawnGroup(
  children: Set<number>
): (cmd: string, args: string[], cwd: string, env: Record<string, string>) => Promise<number> {
  return (cmd, args, cwd, env) =>
    new Promise((done, fail) => {
      const child = spawn(cmd, args, {
        cwd,
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
