/**
 * The `target:test` shorthand for a case. libtest names hold `::`
 * (`tests::put`), so the split is at the first `:` that is not part of `::`
 * (after a leading `bin:`).
 */
import type { PlanCase } from './plan.js'

/** Splits `target:test`; undefined when either side is empty or holds spaces. */
export function splitCaseShorthand(text: string): PlanCase | undefined {
  if (text.startsWith('bin:')) {
    const rest = splitCaseShorthand(text.slice(4))
    return rest ? { target: `bin:${rest.target}`, test: rest.test } : undefined
  }
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ':') continue
    if (text[i + 1] === ':') {
      i++
      continue
    }
    const target = text.slice(0, i).trim()
    const test = text.slice(i + 1).trim()
    if (target === '' || test === '' || /\s/.test(target + test)) return undefined
    return { target, test }
  }
  return undefined
}
