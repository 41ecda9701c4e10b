/** Where a duet's two processes run: two allowed CPUs and taskset, or why it runs unpinned. */
import { describe, expect, it } from 'vitest'
import { duetCpus, parseCpuList, pinnedTo } from '../../../../src/core/perf/measure/pinning.js'
import { duetCpu, duetStartOrder } from '../../../../src/core/perf/measure/duet.js'

const status = (list: string) => (): string => `Name:\tnode\nCpus_allowed_list:\t${list}\n`

describe('duetCpus', () => {
  it('pins the sides to the last two CPUs this process may use', () => {
    expect(duetCpus('linux', status('0-1'), () => true)).toEqual({ cpus: [0, 1] })
    expect(duetCpus('linux', status('0-3,6'), () => true)).toEqual({ cpus: [3, 6] })
  })

  it('runs unpinned, saying why, with one CPU, without taskset, or off Linux', () => {
    expect(duetCpus('linux', status('2'), () => true)).toEqual({
      unpinned: 'this process may use only CPU 2: two are needed to give each side its own'
    })
    expect(duetCpus('linux', status('0-1'), () => false)).toEqual({
      unpinned: 'taskset (util-linux) is not installed'
    })
    expect(duetCpus('darwin', status('0-1'), () => true)).toEqual({
      unpinned: 'CPU pinning needs Linux (this is darwin)'
    })
    expect(
      duetCpus(
        'linux',
        () => {
          throw new Error('no /proc')
        },
        () => true
      )
    ).toEqual({ unpinned: 'the CPUs this process may use could not be read (/proc/self/status)' })
  })

  it("reads this machine's own CPU set (real /proc and taskset)", () => {
    const found = duetCpus()
    if ('cpus' in found) expect(found.cpus[0]).toBeLessThan(found.cpus[1])
    else expect(found.unpinned).toMatch(/\w/)
  })
})

describe('parseCpuList', () => {
  it('expands ranges and drops repeats', () => {
    expect(parseCpuList('0-2,2,5')).toEqual([0, 1, 2, 5])
    expect(parseCpuList('')).toEqual([])
    expect(() => parseCpuList('0-x')).toThrow("not a CPU list: '0-x'")
  })

  it('pins with taskset -c', () => {
    expect(pinnedTo(1)).toEqual(['taskset', '-c', '1'])
  })
})

describe('duetCpu', () => {
  it('swaps the sides between the two CPUs every round, and pins nothing when unpinned', () => {
    const cpus = { cpus: [2, 3] as [number, number] }
    const rounds = [1, 2, 3, 4].map(r => [duetCpu(cpus, 'base', r), duetCpu(cpus, 'head', r)])
    expect(rounds).toEqual([
      [2, 3],
      [3, 2],
      [2, 3],
      [3, 2]
    ])
    expect(duetCpu({ unpinned: 'no taskset' }, 'base', 1)).toBeUndefined()
  })
})

describe('duetStartOrder', () => {
  it('starts the base first in odd rounds and the head first in even ones', () => {
    expect([1, 2, 3, 4].map(duetStartOrder)).toEqual([
      ['base', 'head'],
      ['head', 'base'],
      ['base', 'head'],
      ['head', 'base']
    ])
  })
})
