/**
 * The `target:test` shorthand for a case. libtest names hold `::`
 * (`tests::put`), so the split is at the first `:` that is not part of `::`
 * (after a leading `PKG/` and `bin:`).
 */
import type { PlanCase } from './plan.js'

/**
 * Splits `target:test`; undefined when either side is empty or holds spaces.
 * A workspace target names its package first (`alpha/bin:tool:test`).
 */
export function splitCaseShorthand(text: string): PlanCase | undefined {
  const pkg = /^([A-Za-z0-9_-]+)\//.exec(text)
  if (pkg !== null) {
    const rest = splitCaseShorthand(text.slice(pkg[0].length))
    return rest ? { target: `${pkg[1]}/${rest.target}`, test: rest.test } : undefined
  }
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
