/** A plan made of the inline inputs (`fast-targets`, `stress-cases`, `chaos-cases`). */
import type { TestPlan } from './plan.js'
import type { TestSettings } from './settings.js'

/** The plan the inline inputs describe, or undefined when none is given (then we discover). */
export function inlinePlan(inline: TestSettings['inline']): TestPlan | undefined {
  const { fastTargets, stressCases, chaosCases } = inline
  if (!fastTargets && !stressCases && !chaosCases) return undefined
  return {
    source: { kind: 'inputs' },
    fast: { targets: fastTargets ?? [] },
    stress: stressCases ?? [],
    chaos: chaosCases ?? [],
    groups: [],
    env: {}
  }
}

/** How the report names where the plan came from. */
export function planSourceLabel(plan: TestPlan | undefined): string {
  if (!plan) return 'discovered'
  return plan.source.kind === 'file' ? `file:${plan.source.path}` : plan.source.kind
}
