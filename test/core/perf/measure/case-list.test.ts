/** The cases a Criterion binary lists (`--list`), one `<id>: benchmark` line each. */
import { describe, expect, it } from 'vitest'
import { parseCaseList } from '../../../../src/core/perf/measure/case-list.js'

describe('parseCaseList', () => {
  it("reads Criterion 0.8's --list output, blank lines between groups, in order", () => {
    const text = 'Put/K16-V16/1: benchmark\nPut/K16-V16/64: benchmark\n\nGet/K16-V16/1: benchmark\n'
    expect(parseCaseList(text)).toEqual(['Put/K16-V16/1', 'Put/K16-V16/64', 'Get/K16-V16/1'])
  })

  it('keeps ids with colons and spaces whole, ignores other lines and repeats', () => {
    const text = 'warning: x\nGroup/a: b c: benchmark\nGroup/a: b c: benchmark\r\nlib: test\n'
    expect(parseCaseList(text)).toEqual(['Group/a: b c'])
  })
})
