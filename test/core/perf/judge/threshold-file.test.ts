import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InputError } from '../../../../src/core/shared/errors.js'
import {
  loadThresholdFile,
  parseThresholdFile
} from '../../../../src/core/perf/judge/threshold-file.js'

/** File text from lines, so that a test can name the line it expects in a message. */
function file(...lines: string[]): string {
  return lines.join('\n') + '\n'
}

/** Key → value of the parsed text. */
function values(text: string): Record<string, string> {
  return Object.fromEntries(
    [...parseThresholdFile(text, 'perf_thresholds.env')].map(([key, { value }]) => [key, value])
  )
}

/** The message of the InputError that `text` is rejected with. */
function rejection(text: string): string {
  try {
    parseThresholdFile(text, 'scripts/perf_thresholds.env')
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error('expected the threshold file to be rejected')
}

const REFERENCE_STYLE = file(
  '# perf gate defaults',
  ': "${MACE_PERF_REGRESS_PCT:=5}"',
  ': "${MACE_PERF_MAX_REGRESS_CASES:=0}"',
  ': "${MACE_PERF_MIN_COMPARE_CASES:=6}"',
  ': "${MACE_PERF_MIN_BASE_NS:=10000}"',
  ': "${MACE_PERF_BENCH_ARGS:=--noplot --warm-up-time 1 --measurement-time 2}"',
  'MACE_PERF_COMPARE_FILTERS=Put,Get'
)

describe('a threshold file in the reference style', () => {
  it('gives each key its value, line and how it was set', () => {
    expect([...parseThresholdFile(REFERENCE_STYLE, 'perf_thresholds.env')]).toEqual([
      ['MACE_PERF_REGRESS_PCT', { value: '5', line: 2, kind: 'default' }],
      ['MACE_PERF_MAX_REGRESS_CASES', { value: '0', line: 3, kind: 'default' }],
      ['MACE_PERF_MIN_COMPARE_CASES', { value: '6', line: 4, kind: 'default' }],
      ['MACE_PERF_MIN_BASE_NS', { value: '10000', line: 5, kind: 'default' }],
      [
        'MACE_PERF_BENCH_ARGS',
        { value: '--noplot --warm-up-time 1 --measurement-time 2', line: 6, kind: 'default' }
      ],
      ['MACE_PERF_COMPARE_FILTERS', { value: 'Put,Get', line: 7, kind: 'assign' }]
    ])
  })

  it('an empty file or one of comments and blank lines sets nothing', () => {
    expect(parseThresholdFile('', 'f')).toEqual(new Map())
    expect(parseThresholdFile(file('', '   # only a comment', '\t', '#x=1'), 'f')).toEqual(
      new Map()
    )
  })
})

describe('accepted line forms', () => {
  it('plain, exported, quoted and empty assignments', () => {
    expect(
      values(
        file(
          'A=1',
          'export B=two',
          "C='single $HOME `x` \\n'",
          'D="double \\"quoted\\" \\$5 \\\\ \\n"',
          'E=',
          'F=""',
          'G=a"b c"\'d\'',
          '  H=indented'
        )
      )
    ).toEqual({
      A: '1',
      B: 'two',
      C: 'single $HOME `x` \\n',
      D: 'double "quoted" $5 \\ \\n',
      E: '',
      F: '',
      G: 'ab cd',
      H: 'indented'
    })
  })

  it('a trailing comment after a value, but a # inside a word is part of it', () => {
    expect(values(file('A=5 # percent', 'B="x y"  # c', 'C=a#b', ': "${D:=7}" # default'))).toEqual(
      {
        A: '5',
        B: 'x y',
        C: 'a#b',
        D: '7'
      }
    )
  })

  it('the `:` default forms, quoted or not, with := or =', () => {
    const parsed = parseThresholdFile(
      file(': "${A:=5}"', ': ${B:=--noplot --quick}', ': "${C=}"', ':   ${D=x,y}'),
      'f'
    )
    expect(Object.fromEntries(parsed)).toEqual({
      A: { value: '5', line: 1, kind: 'default' },
      B: { value: '--noplot --quick', line: 2, kind: 'default' },
      C: { value: '', line: 3, kind: 'default-if-unset' },
      D: { value: 'x,y', line: 4, kind: 'default-if-unset' }
    })
  })

  it('later lines win as in a shell: assignments replace, defaults only fill unset keys', () => {
    const parsed = parseThresholdFile(
      file(
        'A=1',
        ': "${A:=2}"',
        ': "${B:=3}"',
        'B=4',
        'C=',
        ': "${C:=5}"',
        'D=',
        ': "${D=6}"',
        ': "${E:=7}"',
        ': "${E:=8}"'
      ),
      'f'
    )
    expect(Object.fromEntries(parsed)).toEqual({
      A: { value: '1', line: 1, kind: 'assign' },
      B: { value: '4', line: 4, kind: 'assign' },
      C: { value: '5', line: 6, kind: 'default' },
      D: { value: '', line: 7, kind: 'assign' },
      E: { value: '7', line: 9, kind: 'default' }
    })
  })

  it('Windows line endings and a byte-order mark are tolerated', () => {
    expect(values('\uFEFFA=1\r\n: "${B:=2}"\r\n')).toEqual({ A: '1', B: '2' })
  })
})

describe('lines a shell would run are refused, naming file and line', () => {
  it.each([
    ['command substitution', 'A=$(nproc)', 'command substitution is not supported'],
    ['backticks', 'A=`nproc`', 'command substitution is not supported'],
    ['command substitution in quotes', 'A="$(nproc)"', 'command substitution is not supported'],
    ['a variable', 'A=$HOME', '`$` expansion is not supported'],
    ['a variable in double quotes', 'A="${X:-y}"', '`$` expansion is not supported'],
    ['a second command', 'A=1; rm -rf /', '`;` (more than one command, a pipe or a redirection)'],
    ['a pipe', 'A=1|tee x', '`|`'],
    ['a redirection', 'A=1>x', '`>`'],
    ['a command after an assignment', 'A=1 make', 'more than one word after `=`'],
    ['a bare command', 'make bench', 'not an assignment'],
    ['sourcing another file', 'source other.env', 'not an assignment'],
    ['an unterminated quote', 'A="5', 'unterminated " quote'],
    ['a backslash', 'A=a\\ b', 'backslash escapes outside quotes are not supported'],
    ['a tilde', 'A=~/x', '`~` would expand'],
    ['a default that uses :-', ': "${A:-5}"', 'assigns nothing when the file is sourced'],
    ['a default that uses -', ': ${A-5}', 'assigns nothing when the file is sourced'],
    ['the :? expansion', ': "${A:?unset}"', 'the `:?` expansion is not supported'],
    ['an expansion in a default', ': "${A:=${B:-1}}"', '`$` inside a ${…} default'],
    ['a default without closing quote', ': "${A:=5}', 'no closing `"` after `}`'],
    ['a `:` line that is no default', ': do nothing', 'a `:` line must hold'],
    ['a key that is no name', '1A=5', 'not an assignment']
  ])('%s', (_name, line, reason) => {
    const message = rejection(file('# defaults', line))
    expect(message).toContain(`scripts/perf_thresholds.env:2: `)
    expect(message).toContain(reason)
    expect(message).toContain(`\`${line}\``)
    expect(message).toContain('the file is read as data, never run by a shell')
  })
})

describe('loading a threshold file', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'threshold-file-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads the file and names it in errors', async () => {
    const path = join(dir, 'perf_thresholds.env')
    await writeFile(path, REFERENCE_STYLE)
    expect((await loadThresholdFile(path)).get('MACE_PERF_REGRESS_PCT')?.value).toBe('5')
    await writeFile(path, file('A=1', 'B=$(x)'))
    await expect(loadThresholdFile(path)).rejects.toThrow(`${path}:2: command substitution`)
  })

  it('a missing optional file is empty; a missing required file is an input error', async () => {
    const path = join(dir, 'scripts', 'perf_thresholds.env')
    expect(await loadThresholdFile(path)).toEqual(new Map())
    const required = loadThresholdFile(path, { required: true })
    await expect(required).rejects.toBeInstanceOf(InputError)
    await expect(required).rejects.toThrow(`threshold file ${path} not found`)
  })

  it('a directory in its place is an input error', async () => {
    await mkdir(join(dir, 'perf_thresholds.env'))
    await expect(loadThresholdFile(join(dir, 'perf_thresholds.env'))).rejects.toThrow(
      'is a directory'
    )
  })
})
