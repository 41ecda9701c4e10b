/**
 * What a test run will execute, whatever it came from (plan file, inline
 * inputs, or discovery). Targets are cargo target selectors: `lib` means
 * `--lib`, `bin:NAME` means `--bin NAME`, anything else `--test NAME`.
 */
import type { LayerName } from './results.js'

/** One exact libtest test inside one cargo target. */
export interface PlanCase {
  target: string
  test: string
}

/** How a case of a feature-gated group runs. */
export type GroupCaseMode = 'normal' | 'crash'

/** A case of a feature-gated group. */
export interface GroupCase extends PlanCase {
  /** `normal`: a plain run; `crash`: an `#[ignore]` test run with `--ignored`. */
  mode: GroupCaseMode
  /** `true`: `--exact`, must list exactly one test; `false`: a filter, must list at least one. */
  exact: boolean
}

/** A set of cases that needs other features than the main ones. */
export interface PlanGroup {
  name: string
  features: string
  /** Layer the group runs in (the reference runs its group in `fast`). */
  layer: LayerName
  cases: GroupCase[]
}

/** Where a plan came from, for the report. */
export type PlanSource =
  { kind: 'file'; path: string } | { kind: 'inputs' } | { kind: 'discovered' }

/** Everything a run may execute; the mode picks the layers. */
export interface TestPlan {
  source: PlanSource
  fast: { targets: string[] }
  stress: PlanCase[]
  chaos: PlanCase[]
  groups: PlanGroup[]
  /** Extra environment for every command (plan file `env:`): defaults that the process environment and inputs override. */
  env: Record<string, string>
}

/** Cargo arguments that select a target. */
export function targetArgs(target: string): string[] {
  if (target === 'lib') return ['--lib']
  if (target.startsWith('bin:')) return ['--bin', target.slice(4)]
  return ['--test', target]
}

/** Reference name of a case in the `failures` list. */
export function caseId(layer: LayerName, test?: string, group?: string): string {
  if (group !== undefined) return `${layer}:${group}:${test ?? ''}`
  return test === undefined ? layer : `${layer}:${test}`
}
