import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  criterionRoot,
  readCriterionCases
} from '../../../../src/core/perf/measure/criterion-reader.js'
import { silentLogger, type Logger } from '../../../../src/core/shared/logger.js'

const SAMPLES = fileURLToPath(new URL('../../../samples/criterion/', import.meta.url))
const LONG_NAME = 'a very long benchmark name that goes well beyond sixty-four bytes of text ok'

type RecordingLogger = Logger & { warnings: string[] }

function recordingLogger(): RecordingLogger {
  const warnings: string[] = []
  return { ...silentLogger, warning: m => void warnings.push(m), warnings }
}

/** id → directory of every case read from `root`, in the order returned. */
function idsAndDirectories(root: string, logger: Logger = silentLogger): [string, string][] {
  return readCriterionCases(root, logger).map(found => [found.id, found.directory])
}

describe('real Criterion output', () => {
  it.each(['criterion-0.8', 'criterion-0.5'])(
    '%s: cases are named by full_id even where the directory was sanitised',
    sample => {
      const logger = recordingLogger()
      expect(idsAndDirectories(join(SAMPLES, sample), logger)).toEqual([
        ['Get/K100-V1024/4', 'Get/K100-V1024/4'],
        ['Put/K16-V16/1', 'Put/K16-V16/1'],
        [LONG_NAME, LONG_NAME.slice(0, 64)],
        ['plain', 'plain'],
        ['scan:range?limit=10', 'scan_range_limit=10'],
        ['x:y', 'x_y'],
        ['x?y', 'x_y_2']
      ])
      expect(logger.warnings).toEqual([])
    }
  )

  it('median, mean and their intervals come from new/estimates.json, the count and the time measured from sample.json', () => {
    const [get] = readCriterionCases(join(SAMPLES, 'criterion-0.8'), silentLogger)
    expect(get).toEqual({
      id: 'Get/K100-V1024/4',
      directory: 'Get/K100-V1024/4',
      medianNs: 153.6284182447244,
      meanNs: 143.84377549133904,
      medianCi: { low: 98.05173916488393, high: 167.28880635448854 },
      meanCi: { low: 121.08666516642708, high: 166.9050219588667 },
      sampleCount: 10,
      // The sum of the samples' times: what Criterion spent measuring, whatever was asked.
      measuredNs:
        1237511 +
        5375724 +
        3623427 +
        8779769 +
        10102321 +
        11144546 +
        8332090 +
        16702342 +
        14783913 +
        20277618
    })
  })

  it('with samples, each sample is its total time over its iterations', () => {
    const found = readCriterionCases(join(SAMPLES, 'criterion-0.8'), silentLogger, {
      samples: true
    })
    const get = found.find(c => c.id === 'Get/K100-V1024/4')
    expect(get?.samplesNs).toHaveLength(10)
    expect(get?.samplesNs?.[0]).toBe(1237511 / 12621)
    expect(get?.samplesNs?.[9]).toBe(20277618 / 126210)
    expect(found.every(c => c.samplesNs?.length === c.sampleCount)).toBe(true)
  })

  it('without samples, none are kept', () => {
    const found = readCriterionCases(join(SAMPLES, 'criterion-0.8'), silentLogger)
    expect(found.every(c => c.samplesNs === undefined)).toBe(true)
  })
})

describe('Criterion before 0.3.3 (hand-written sample)', () => {
  it('reads PascalCase estimates and the [iters, times] sample pair', () => {
    const found = readCriterionCases(join(SAMPLES, 'handwritten-pre-0.3.3'), silentLogger, {
      samples: true
    })
    expect(found).toEqual([
      {
        id: 'Get/K16',
        directory: 'Get/K16',
        medianNs: 121,
        meanNs: 124.75,
        medianCi: { low: 117, high: 125.5 },
        meanCi: { low: 118.5, high: 131.25 },
        sampleCount: 4,
        measuredNs: 121000 + 250000 + 363000 + 480000,
        samplesNs: [121, 125, 121, 120]
      },
      {
        // No benchmark.json: the directory is the id, as in the reference script.
        id: 'Scan',
        directory: 'Scan',
        medianNs: 15500,
        meanNs: 15750,
        medianCi: { low: 14800, high: 16000 },
        meanCi: { low: 15000, high: 16500 },
        sampleCount: 0
      }
    ])
  })
})

describe('damaged or unusual output', () => {
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'criterion-reader-'))
    cpSync(join(SAMPLES, 'criterion-0.8'), root, { recursive: true })
  })
  afterEach(() => {
    rmSync(root, { recursive: true, force: true })
  })

  const file = (...parts: string[]): string => join(root, ...parts)
  const edit = (path: string, change: (text: string) => string): void =>
    writeFileSync(path, change(readFileSync(path, 'utf8')))
  const editJson = (path: string, change: (data: Record<string, unknown>) => void): void =>
    edit(path, text => {
      const data = JSON.parse(text) as Record<string, unknown>
      change(data)
      return JSON.stringify(data)
    })

  it('a truncated or mistyped file costs its case, with a warning naming the file', () => {
    edit(file('plain', 'new', 'estimates.json'), text => text.slice(0, 40))
    // serde_json writes a NaN estimate as null.
    editJson(file('x_y', 'new', 'estimates.json'), data => {
      data.mean = { point_estimate: null }
    })
    edit(file('Put', 'K16-V16', '1', 'new', 'benchmark.json'), text => text.slice(0, 30))
    writeFileSync(file('x_y_2', 'new', 'estimates.json'), '{"median": {"point_estimate": NaN}}')
    writeFileSync(file('scan_range_limit=10', 'new', 'estimates.json'), '[1, 2]')
    const logger = recordingLogger()
    expect(readCriterionCases(root, logger).map(c => c.id)).toEqual(['Get/K100-V1024/4', LONG_NAME])
    expect(logger.warnings).toHaveLength(5)
    const warned = [
      file('plain', 'new', 'estimates.json') + ' is not valid JSON',
      file('x_y', 'new', 'estimates.json') + ' has a median or mean that is not',
      file('Put', 'K16-V16', '1', 'new', 'benchmark.json') + ' is not valid JSON',
      file('x_y_2', 'new', 'estimates.json') + ' is not valid JSON',
      file('scan_range_limit=10', 'new', 'estimates.json') + ' is not a JSON object'
    ]
    for (const text of warned) expect(logger.warnings.join('\n')).toContain(text)
  })

  it('a damaged sample.json leaves the case without samples, with a warning', () => {
    edit(file('plain', 'new', 'sample.json'), text => text.slice(0, 50))
    editJson(file('x_y', 'new', 'sample.json'), data => void (data.iters as number[]).push(1))
    const logger = recordingLogger()
    const found = readCriterionCases(root, logger, { samples: true })
    const plain = found.find(c => c.id === 'plain')
    expect(plain?.sampleCount).toBe(0)
    expect(plain?.samplesNs).toBeUndefined()
    expect(found.find(c => c.id === 'x:y')?.sampleCount).toBe(0)
    expect(logger.warnings).toEqual([
      expect.stringContaining(
        `ignoring ${file('plain', 'new', 'sample.json')}, which is not valid`
      ),
      expect.stringContaining(`ignoring ${file('x_y', 'new', 'sample.json')}, which does not hold`)
    ])
  })

  it('a file without a median is skipped; one without a mean uses the median', () => {
    writeFileSync(file('plain', 'new', 'estimates.json'), '{"mean": {"point_estimate": 5.0}}')
    writeFileSync(file('x_y', 'new', 'estimates.json'), '{"median": {"point_estimate": 7.5}}')
    const logger = recordingLogger()
    const found = readCriterionCases(root, logger)
    expect(found.map(c => c.id)).not.toContain('plain')
    expect(found.find(c => c.id === 'x:y')).toMatchObject({ medianNs: 7.5, meanNs: 7.5 })
    expect(found.find(c => c.id === 'x:y')?.medianCi).toBeUndefined()
    expect(logger.warnings).toEqual([
      `skipping Criterion case plain: ${file('plain', 'new', 'estimates.json')} has no median`
    ])
  })

  it('only new/ counts: base/, change/ and other baselines are not cases', () => {
    const get = file('Get', 'K100-V1024', '4')
    editJson(join(get, 'base', 'estimates.json'), data => {
      data.median = { point_estimate: 999 }
    })
    cpSync(join(get, 'base'), join(get, 'main'), { recursive: true })
    const found = readCriterionCases(root, silentLogger)
    expect(found).toHaveLength(7)
    expect(found[0]?.medianNs).toBe(153.6284182447244)
  })

  it('benchmark.json beside new/ instead of inside it still names the case', () => {
    renameSync(file('x_y_2', 'new', 'benchmark.json'), file('x_y_2', 'benchmark.json'))
    rmSync(file('x_y', 'new', 'benchmark.json'))
    expect(idsAndDirectories(root).slice(-2)).toEqual([
      ['x?y', 'x_y_2'],
      ['x_y', 'x_y']
    ])
  })

  it('a case directory inside another case directory is its own case', () => {
    cpSync(file('plain', 'new'), file('plain', '1', 'new'), { recursive: true })
    editJson(file('plain', '1', 'new', 'benchmark.json'), data => {
      data.full_id = 'plain/1'
    })
    expect(idsAndDirectories(root)).toContainEqual(['plain/1', 'plain/1'])
    expect(idsAndDirectories(root)).toContainEqual(['plain', 'plain'])
  })

  it('a function called `new` is a case like any other', () => {
    cpSync(file('plain', 'new'), file('Put', 'new', 'new'), { recursive: true })
    editJson(file('Put', 'new', 'new', 'benchmark.json'), data => {
      data.full_id = 'Put/new'
    })
    expect(idsAndDirectories(root)).toContainEqual(['Put/new', 'Put/new'])
    expect(readCriterionCases(root, silentLogger)).toHaveLength(8)
  })
})

describe('two directories with one full_id', () => {
  // Real output: `x:y` and `x?y` were first written to x_y and x_y_2; after `x:y` was removed
  // from the bench, a rerun wrote `x?y` to x_y and left the old x_y_2 in place.
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'criterion-renamed-'))
    cpSync(join(SAMPLES, 'criterion-0.8-renamed'), root, { recursive: true })
  })
  afterEach(() => {
    rmSync(root, { recursive: true, force: true })
  })

  const age = (directory: string, seconds: number): void =>
    utimesSync(join(root, directory, 'new', 'estimates.json'), seconds, seconds)

  it('the newer directory wins and the warning names both', () => {
    age('x_y_2', 1_700_000_000)
    age('x_y', 1_700_000_100)
    const logger = recordingLogger()
    expect(idsAndDirectories(root, logger)).toEqual([['x?y', 'x_y']])
    expect(logger.warnings).toEqual([
      'Criterion case x?y is in both x_y and x_y_2; using the newer x_y'
    ])
  })

  it('whichever directory that is', () => {
    age('x_y', 1_700_000_000)
    age('x_y_2', 1_700_000_100)
    const logger = recordingLogger()
    expect(idsAndDirectories(root, logger)).toEqual([['x?y', 'x_y_2']])
    expect(logger.warnings).toEqual([
      'Criterion case x?y is in both x_y_2 and x_y; using the newer x_y_2'
    ])
  })
})

describe('the Criterion root', () => {
  it('a missing or empty root has no cases', () => {
    const empty = mkdtempSync(join(tmpdir(), 'criterion-empty-'))
    try {
      expect(readCriterionCases(join(empty, 'missing'), silentLogger)).toEqual([])
      expect(readCriterionCases(empty, silentLogger)).toEqual([])
      mkdirSync(join(empty, 'report'))
      expect(readCriterionCases(empty, silentLogger)).toEqual([])
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('is $CRITERION_HOME when set, else criterion/ in the target directory', () => {
    expect(criterionRoot('target', {})).toBe(join('target', 'criterion'))
    expect(criterionRoot('/w/target', { CRITERION_HOME: '' })).toBe('/w/target/criterion')
    expect(criterionRoot('/w/target', { CRITERION_HOME: '/data/crit' })).toBe('/data/crit')
  })
})
