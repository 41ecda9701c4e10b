/**
 * What a test run will execute, whatever it came from (plan file, inline
 * inputs, or discovery). Targets are cargo target selectors: `lib` means
 * `--lib`, `bin:NAME` means `--bin NAME`, `doc:lib` the library's doc tests
 * (`--doc`, never beside another selector), anything else `--test NAME`; in a
 * run over several packages, `PKG/lib` adds `-p PKG` (see `cargo/target-ids.ts`).
 */
import { splitTargetId } from '../cargo/target-ids.js'
import { DOC_TESTS_TARGET } from '../libtest/list.js'
import type { LayerName } from './results.js'

/** One exact libtest test inside one cargo target. */
export interface PlanCase {
  target: string
  test: string
  /**
   * Its id in the failures list when `layer:test` would name two cases (one test name
   * in two packages): `layer:target:test`. Set when the plan's targets are resolved.
   */
  id?: string
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

/** Cargo arguments that select a target: `--lib`, `--bin NAME`, `--test NAME`, after `-p PKG`. */
export function targetArgs(target: string): string[] {
  return targetsArgs([target])
}

/**
 * Cargo arguments that select targets, in one command: each package once
 * (`-p a -p b`), then each selector once. Cargo applies every selector to
 * every package named (and skips a package without that target), so targets
 * of several packages select their cross product: `a/lib` and `b/basic`
 * select `b/lib` and `a/basic` too, when those exist.
 */
export function targetsArgs(targets: string[]): string[] {
  const parts = targets.map(splitTargetId)
  const packages = [...new Set(parts.flatMap(p => (p.package === undefined ? [] : [p.package])))]
  const selectors = [...new Set(parts.map(p => p.selector))]
  return [
    ...packages.flatMap(p => ['-p', p]),
    ...selectors.flatMap(selector => {
      if (selector === 'lib') return ['--lib']
      if (selector === DOC_TESTS_TARGET) return ['--doc']
      if (selector.startsWith('bin:')) return ['--bin', selector.slice(4)]
      return ['--test', selector]
    })
  ]
}

/** Reference name of a case in the `failures` list. */
export function caseId(layer: LayerName, test?: string, group?: string): string {
  if (group !== undefined) return `${layer}:${group}:${test ?? ''}`
  return test === undefined ? layer : `${layer}:${test}`
}
