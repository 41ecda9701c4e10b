/**
 * The cargo command lines of each kind of case, as the reference script
 * builds them (so users can copy one from the report and rerun it).
 */
import { featureArgs } from '../cargo/build.js'
import { targetArgs, targetsArgs, type GroupCase } from './plan.js'

/** Shared parts of every command. */
export interface CommandBase {
  cargoArgs: string[]
  threads: number
}

/**
 * `cargo test --features F --test T1 --test T2 … -- --nocapture --test-threads=N`.
 * `--no-fail-fast` makes cargo run every target even after one fails, so the
 * report names every failing test, not only those of the first failing binary.
 */
export function fastArgv(base: CommandBase, features: string, targets: string[]): string[] {
  return [
    'cargo',
    'test',
    ...base.cargoArgs,
    ...featureArgs(features),
    '--no-fail-fast',
    ...targetsArgs(targets),
    '--',
    '--nocapture',
    `--test-threads=${base.threads}`
  ]
}

/** `cargo test --features F --test target test -- --ignored --exact --nocapture --test-threads=N`. */
export function ignoredCaseArgv(
  base: CommandBase,
  features: string,
  target: string,
  test: string
): string[] {
  return [
    'cargo',
    'test',
    ...base.cargoArgs,
    ...featureArgs(features),
    ...targetArgs(target),
    test,
    '--',
    '--ignored',
    '--exact',
    '--nocapture',
    `--test-threads=${base.threads}`
  ]
}

/** A feature-gated group case: a plain run (`normal`) or an ignored one (`crash`). */
export function groupCaseArgv(base: CommandBase, features: string, c: GroupCase): string[] {
  return [
    'cargo',
    'test',
    ...base.cargoArgs,
    ...featureArgs(features),
    ...targetArgs(c.target),
    c.test,
    '--',
    ...(c.mode === 'crash' ? ['--ignored'] : []),
    ...(c.exact ? ['--exact'] : []),
    '--nocapture',
    `--test-threads=${base.threads}`
  ]
}
