/** `mace-actions test`: the test layers, as action-test runs them. */
import { existsSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { InputError } from '../core/shared/errors.js'
import { claimOutputDirectory } from '../core/shared/paths.js'
import { mergeShardResults } from '../core/layers/merge.js'
import { TEST_OUTPUT_OWNER } from '../core/layers/preflight.js'
import { readTestResults, resultsPath, writeTestResults } from '../core/layers/results-file.js'
import type { TestRunResult } from '../core/layers/results.js'
import { plainLogger, type Logger } from '../core/shared/logger.js'
import { writeTestReports } from '../core/layers/reports.js'
import { runTestLayers } from '../core/layers/run.js'
import { resolveTestSettings } from '../core/layers/settings.js'
import { gitTopLevel, type CliContext } from './context.js'
import { withCancellation } from './cancellation.js'
import type { ParsedArgs } from './program.js'

/** Runs the test layers; returns the exit code. */
export async function testCommand(args: ParsedArgs, ctx: CliContext): Promise<number> {
  const { positionals } = args
  if (positionals[0] === 'merge') return mergeCommand(positionals.slice(1), args, ctx)
  if (positionals.length > 2) {
    throw new InputError(
      `Too many arguments: ${positionals.join(' ')}. Expected at most [mode] [threads], as prod_test.sh takes.`
    )
  }
  // `mace-actions test all 8` reads like `prod_test.sh all 8`.
  const raw: Record<string, string | undefined> = {
    mode: positionals[0],
    threads: positionals[1],
    ...args.flags,
    env: args.env.length > 0 ? args.env.join('\n') : undefined
  }
  const source = {
    get: (name: string) => raw[name],
    describe: (name: string) =>
      name === 'mode' || name === 'threads'
        ? `mode/threads argument or --${name}`
        : `flag --${name}`
  }
  const settings = resolveTestSettings(source, ctx.env, ctx.cwd, undefined)
  const repoRoot = gitTopLevel(settings.workingDirectory) ?? settings.workingDirectory
  const logger: Logger = plainLogger(ctx.out, ctx.err)
  const quietLogger: Logger = { ...logger, write: () => undefined }
  return withCancellation(async signal => {
    const result = await runTestLayers(
      { ...settings, repoRoot },
      { logger: args.quiet ? quietLogger : logger, signal, env: ctx.env }
    )
    const reports = writeTestReports(result)
    ctx.out.write(`\n${reports.console}\n`)
    ctx.out.write(`results: ${reports.resultsPath}\njunit: ${reports.junitPath}\n`)
    return result.passed ? 0 : 1
  })
}

/**
 * `mace-actions test merge RESULTS.json|DIR…`: one verdict over a matrix's shards,
 * as action-test's `mode: merge` gives it, from documents on disk (a shard's
 * output directory stands for the results.json in it).
 */
function mergeCommand(files: string[], args: ParsedArgs, ctx: CliContext): number {
  if (files.length === 0) {
    throw new InputError(
      "Nothing to merge. Expected: mace-actions test merge RESULTS.json|DIR… (each shard's results.json, or the --output-dir holding it, from runs with --shard K/N)."
    )
  }
  const stray = Object.keys(args.flags).find(flag => flag !== 'output-dir')
  if (stray !== undefined || args.env.length > 0) {
    throw new InputError(
      `Invalid flag --${stray ?? 'env'} with 'test merge': a merge runs no test, it reads the shards' results. Expected only --output-dir (and --quiet): mace-actions test merge RESULTS.json… --output-dir DIR.`
    )
  }
  const out = args.flags['output-dir'] ?? 'target/mace-actions/test-merged'
  const outputDir = resolve(ctx.cwd, out)
  claimOutputDirectory(outputDir, 'flag --output-dir', TEST_OUTPUT_OWNER)
  const docs = files.map(file => shardDocument(file, ctx.cwd))
  const result = mergeShardResults(docs, {
    outputDir,
    expectedSource: (index, total) => `the results.json of a run with --shard ${index}/${total}`
  })
  writeTestResults(result)
  const reports = writeTestReports(result)
  ctx.out.write(`\n${reports.console}\n`)
  ctx.out.write(`results: ${reports.resultsPath}\njunit: ${reports.junitPath}\n`)
  return result.passed ? 0 : 1
}

/**
 * A shard's document from FILE: its results.json, or a shard's output directory
 * holding one (`--output-dir` of the run).
 * @throws InputError when it is a directory without results.json, or not a results document.
 */
function shardDocument(file: string, cwd: string): { source: string; result: TestRunResult } {
  const path = resolve(cwd, file)
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    return { source: file, result: readTestResults(path) }
  }
  const inside = resultsPath(path)
  if (!existsSync(inside)) {
    throw new InputError(
      `Invalid shard results '${file}': a directory without results.json. Expected a shard's results.json, or the --output-dir of a run with --shard K/N that holds it.`
    )
  }
  return { source: join(file, 'results.json'), result: readTestResults(inside) }
}
