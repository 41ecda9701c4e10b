/**
 * Every workflow a user may copy works as written: each YAML block of every
 * README (the top one, each action's, docs/) and every file in
 * .github/examples/ and .github/workflows/ parses, and each step that uses
 * one of our actions gives only inputs its action.yml declares, with values
 * the action itself accepts: they are read by the action's own input reader,
 * as the runner would hand them over (action.yml defaults filled in, the
 * step's env beside them). Values that are `${{ }}` expressions are only
 * known at run time and are not judged.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse, parseDocument } from 'yaml'
import { readPerfInputs } from '../../src/actions/perf/inputs.js'
import { isReportMode, readPerfReportInputs } from '../../src/actions/perf/report.js'
import { readSoakInputs } from '../../src/actions/soak/inputs.js'
import { readTestInputs } from '../../src/actions/test/inputs.js'

const ROOT = resolve(import.meta.dirname, '../..')

/** What the action's own entry point does with its inputs, before anything runs. */
const READERS: Record<string, (env: NodeJS.ProcessEnv) => unknown> = {
  'action-test': env => readTestInputs(env),
  'action-perf': env => (isReportMode() ? readPerfReportInputs(env) : readPerfInputs(env)),
  'action-soak': env => readSoakInputs(env)
}

/** A YAML text a user may copy, and where it is. */
interface YamlText {
  where: string
  text: string
}

/** Fenced yaml/yml blocks of a Markdown file, each with its line. */
function markdownBlocks(file: string): YamlText[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return [...text.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].map(m => ({
    where: `${file}:${text.slice(0, m.index).split('\n').length}`,
    text: m[1]!
  }))
}

function filesIn(dir: string, pattern: RegExp): string[] {
  try {
    return readdirSync(join(ROOT, dir))
      .filter(f => pattern.test(f))
      .map(f => `${dir}/${f}`)
  } catch {
    return []
  }
}

const MARKDOWN = [
  'README.md',
  ...readdirSync(ROOT)
    .filter(d => /^action-(test|perf|soak)$/.test(d))
    .map(d => `${d}/README.md`),
  ...filesIn('docs', /\.md$/),
  ...filesIn('packaging/cli', /\.md$/)
]
const WORKFLOWS = [
  ...filesIn('.github/examples', /\.ya?ml$/),
  ...filesIn('.github/workflows', /\.ya?ml$/)
]
const TEXTS: YamlText[] = [
  ...MARKDOWN.flatMap(markdownBlocks),
  ...WORKFLOWS.map(f => ({ where: f, text: readFileSync(join(ROOT, f), 'utf8') }))
]

/** A step that uses one of our actions. */
interface ActionStep {
  action: string
  with: Record<string, unknown>
  env: Record<string, unknown>
}

/** Every `uses: …action-X…` step in a parsed document, wherever it sits. */
function actionSteps(node: unknown): ActionStep[] {
  if (Array.isArray(node)) return node.flatMap(actionSteps)
  if (node === null || typeof node !== 'object') return []
  const map = node as Record<string, unknown>
  const uses =
    typeof map.uses === 'string'
      ? /(?:^|\/)(action-(?:test|perf|soak))(?:@|$)/.exec(map.uses)
      : null
  const here: ActionStep[] = uses
    ? [
        {
          action: uses[1]!,
          with: (map.with as Record<string, unknown>) ?? {},
          env: (map.env as Record<string, unknown>) ?? {}
        }
      ]
    : []
  return [...here, ...Object.values(map).flatMap(actionSteps)]
}

const isExpression = (value: unknown): boolean => typeof value === 'string' && value.includes('${{')

/** An input's text as the runner passes it: YAML scalars only (a map or a list is no input value). */
function scalar(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new Error(
    `an input value must be a string, number or boolean, not ${JSON.stringify(value)}`
  )
}

function declaredInputs(action: string): Record<string, { default?: string }> {
  const meta = parse(readFileSync(join(ROOT, action, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  return meta.inputs
}

/** A workspace as an adopter's: a crate at the root, and the fixture where our own workflows use it. */
let workspace: string
beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'mace-adopter-'))
  writeFileSync(
    join(workspace, 'Cargo.toml'),
    '[package]\nname = "adopter"\nversion = "0.1.0"\nedition = "2021"\n\n[features]\nfailpoints = []\n'
  )
  mkdirSync(join(workspace, 'src'))
  writeFileSync(join(workspace, 'src', 'lib.rs'), '')
  symlinkSync(join(ROOT, 'fixture'), join(workspace, 'fixture'))
})

/** Runs the action's input reader on the step's inputs as the runner passes them. */
async function readAsTheRunner(step: ActionStep): Promise<void> {
  const inputs = declaredInputs(step.action)
  const saved = { ...process.env }
  const env: NodeJS.ProcessEnv = { GITHUB_WORKSPACE: workspace }
  for (const [name, value] of Object.entries(step.env)) {
    if (!isExpression(value)) env[name] = scalar(value)
  }
  try {
    for (const [name, spec] of Object.entries(inputs)) {
      const given = step.with[name]
      const fallback = spec.default !== undefined && !isExpression(spec.default) ? spec.default : ''
      const value = given === undefined || isExpression(given) ? fallback : scalar(given)
      process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
    }
    await READERS[step.action]!(env)
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

describe('YAML a user may copy', () => {
  it('is found: the READMEs, the docs and the example workflows', () => {
    expect(TEXTS.length).toBeGreaterThanOrEqual(10)
    expect(WORKFLOWS).toEqual(
      expect.arrayContaining([
        '.github/examples/prod-test.yml',
        '.github/examples/perf-regression.yml',
        '.github/examples/perf-fork-measure.yml',
        '.github/examples/perf-fork-report.yml',
        '.github/examples/nightly-soak.yml',
        '.github/examples/nightly-soak-history.yml',
        '.github/examples/perf-history.yml',
        '.github/examples/mace-kv-prod-test.yml'
      ])
    )
    for (const action of Object.keys(READERS)) {
      expect(TEXTS.some(t => actionSteps(parse(t.text)).some(s => s.action === action))).toBe(true)
    }
  })

  describe.each(TEXTS)('$where', ({ text }) => {
    it('parses as YAML', () => {
      const document = parseDocument(text)
      expect(document.errors.map(e => e.message)).toEqual([])
    })

    const steps = parseDocument(text).errors.length === 0 ? actionSteps(parse(text)) : []
    it.each(steps.map(s => [s.action, s] as const))(
      'a step using %s gives only inputs it declares, with values it accepts',
      async (action, step) => {
        const declared = Object.keys(declaredInputs(action))
        for (const name of Object.keys(step.with)) {
          expect(declared, `input '${name}' of ${action}`).toContain(name)
        }
        await expect(readAsTheRunner(step)).resolves.toBeUndefined()
      }
    )
  })
})

describe('the check itself', () => {
  it('refuses a value the action refuses, with the action’s own message', async () => {
    await expect(
      readAsTheRunner({ action: 'action-soak', with: { duration: '5 hourz' }, env: {} })
    ).rejects.toThrow("Invalid input 'duration': '5 hourz'.")
    await expect(
      readAsTheRunner({ action: 'action-test', with: { mode: 'everything' }, env: {} })
    ).rejects.toThrow(
      "Invalid input 'mode': 'everything'. Expected one of: fast, stress, chaos, all."
    )
    await expect(
      readAsTheRunner({ action: 'action-perf', with: { comment: 'sometimes' }, env: {} })
    ).rejects.toThrow("Invalid input 'comment': 'sometimes'.")
  })

  it('judges the step env the runner passes beside the inputs', async () => {
    await expect(
      readAsTheRunner({ action: 'action-soak', with: {}, env: { SOAK_THREADS: 'many' } })
    ).rejects.toThrow("Invalid environment variable SOAK_THREADS: 'many'.")
  })

  it('finds our actions in every form a workflow names them', () => {
    const doc: unknown = parse(`steps:
  - uses: mace/action-test@v1
  - uses: someone/mace-actions/action-perf@v1
  - uses: ./action-soak
  - uses: actions/checkout@v5
  - uses: mace/action-testing@v1
`)
    expect(actionSteps(doc).map(s => s.action)).toEqual([
      'action-test',
      'action-perf',
      'action-soak'
    ])
  })
})
