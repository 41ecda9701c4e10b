/** Each action.yml declares exactly the inputs and outputs its code reads and sets. */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { PERF_INPUTS, PERF_OUTPUTS } from '../../src/actions/perf/constants.js'
import { SOAK_INPUTS, SOAK_OUTPUTS } from '../../src/actions/soak/constants.js'
import { TEST_INPUTS, TEST_OUTPUTS } from '../../src/actions/test/constants.js'

const ROOT = resolve(import.meta.dirname, '../..')
const meta = (
  action: string
): { inputs: object; outputs: object; runs: { using: string; main: string } } =>
  parse(readFileSync(join(ROOT, action, 'action.yml'), 'utf8')) as never

describe('action.yml files', () => {
  it.each([
    ['action-test', TEST_INPUTS, TEST_OUTPUTS, '../dist/test/index.js'],
    ['action-perf', PERF_INPUTS, PERF_OUTPUTS, '../dist/perf/index.js'],
    ['action-soak', SOAK_INPUTS, SOAK_OUTPUTS, '../dist/soak/index.js']
  ] as const)(
    '%s declares the inputs and outputs the code uses and runs its bundle on node24',
    (action, inputs, outputs, main) => {
      const m = meta(action)
      expect(Object.keys(m.inputs).sort()).toEqual([...inputs].sort())
      expect(Object.keys(m.outputs).sort()).toEqual([...outputs].sort())
      expect(m.runs).toEqual({ using: 'node24', main })
    }
  )
})
