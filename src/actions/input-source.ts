/** Action inputs as a SettingSource: errors name the input, and an undeclared name is a bug. */
import * as core from '@actions/core'
import type { SettingSource } from '../core/shared/setting-reader.js'

/** Reads declared inputs with @actions/core (empty = unset, then env fallbacks apply). */
export function inputSource(declared: readonly string[]): SettingSource {
  const known = new Set(declared)
  return {
    get: name => {
      if (!known.has(name)) throw new Error(`bug: input '${name}' is not declared in action.yml`)
      return core.getInput(name)
    },
    describe: name => `input '${name}'`
  }
}
