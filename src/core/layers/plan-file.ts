/**
 * The test plan file: which targets form the fast layer, which ignored tests
 * are stress and chaos cases, which cases need other features, and the
 * environment every command gets. YAML; every section is optional:
 *
 * ```yaml
 * version: 1                                   # optional; must be 1
 * fast:
 *   targets: [basic, recovery, lib]            # `lib`, `bin:NAME` or an integration test name
 * stress:
 *   - stress:stress_bucket_rounds              # "target:test" shorthand
 *   - { target: stress, test: stress_bucket_churn }
 * chaos:
 *   - chaos:chaos_crash_mid_put
 * groups:
 *   - name: extra_check                        # [A-Za-z0-9_.-]+, unique
 *     features: failpoints,extra_check         # or a list; normalized to `a,b`
 *     layer: fast                              # fast (default), stress or chaos
 *     cases:
 *       - { target: extra_check, test: extra_check_invariants }        # mode normal, exact true
 *       - { target: extra_check, test: chaos_extra_check_crash, mode: crash }
 * env:                                         # numbers and booleans are kept as written
 *   MACE_PROD_BUCKET_STRESS_ROUNDS: 512
 * ```
 *
 * The shorthand splits at the first single `:`. A `::` belongs to the libtest
 * path (`stress:tests::churn` is target `stress`, test `tests::churn`) and a
 * `bin:` prefix to the target (`bin:mace:tests::smoke`).
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { isScalar, isSeq } from 'yaml'
import { InputError } from '../shared/errors.js'
import {
  FirstSeen,
  GROUP_CASE_HINT,
  readCases,
  readGroupCases,
  readTarget,
  TARGET_HINT
} from './plan-cases.js'
import type { PlanGroup, TestPlan } from './plan.js'
import { LAYERS, type LayerName } from './results.js'
import {
  absent,
  describe,
  quote,
  readYaml,
  type Field,
  type YamlReader
} from '../shared/yaml-reader.js'

const PLAN_KEYS = ['version', 'fast', 'stress', 'chaos', 'groups', 'env']
const FAST_KEYS = ['targets']
const GROUP_KEYS = ['name', 'features', 'layer', 'cases']

const GROUP_HINT = 'a group { name, features, layer, cases }'
const GROUP_NAME_HINT = 'a group name of letters, digits, _ . or -'
const FEATURES_HINT =
  'a comma-separated list of feature names ([A-Za-z0-9_/-]+), e.g. failpoints,extra_check'
const GROUP_NAME = /^[A-Za-z0-9_.-]+$/
const FEATURE_NAME = /^[A-Za-z0-9_/-]+$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Reads and checks the plan file at `path`. Throws an InputError for a
 * missing file and for every mistake in it, each with its line and key path.
 */
export async function loadPlanFile(path: string): Promise<TestPlan> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputError(
        `plan file ${path} not found (looked for ${resolve(path)}); point the \`plan\` input ` +
          'or the `--plan` flag at a plan YAML file, or leave it unset to discover the tests'
      )
    }
    if (code === 'EISDIR') {
      throw new InputError(`plan file ${path} is a directory; expected a plan YAML file`)
    }
    throw error
  }
  return parsePlan(text, path)
}

/**
 * Parses plan YAML; `fileName` is only used in messages and the plan's source.
 * Missing sections become empty; an empty text is an empty plan.
 */
export function parsePlan(text: string, fileName: string): TestPlan {
  const { reader, root } = readYaml(text, fileName)
  const top = reader.map(root, PLAN_KEYS, `a mapping with keys ${PLAN_KEYS.join(', ')}`)
  const section = (name: string): Field => top?.get(name) ?? absent(root, name)
  checkVersion(reader, top?.get('version'))
  const plan: TestPlan = {
    source: { kind: 'file', path: fileName },
    fast: { targets: readFast(reader, section('fast')) },
    stress: readCases(reader, section('stress')),
    chaos: readCases(reader, section('chaos')),
    groups: readGroups(reader, section('groups')),
    env: readEnv(reader, section('env'))
  }
  reader.throwIfProblems()
  return plan
}

function checkVersion(reader: YamlReader, field: Field | undefined): void {
  if (field === undefined) return
  if (isScalar(field.node) && field.node.value === 1) return
  reader.report(field, `got ${describe(field.node)}; expected 1, the only plan format so far`)
}

function readFast(reader: YamlReader, field: Field): string[] {
  const keys = reader.map(field, FAST_KEYS, 'a mapping { targets: [...] }')
  const targets = keys?.get('targets')
  if (targets === undefined) return []
  const seen = new FirstSeen(reader, 'target', 'list each target once')
  return reader.list(targets, `a list of cargo targets: ${TARGET_HINT}`).flatMap(item => {
    const target = readTarget(reader, item)
    return target !== undefined && seen.isNew(item, target, quote(target)) ? [target] : []
  })
}

function readGroups(reader: YamlReader, field: Field): PlanGroup[] {
  const names = new FirstSeen(reader, 'group', 'give each group its own name')
  return reader
    .list(field, `a list of groups, each ${GROUP_HINT}`)
    .flatMap(item => readGroup(reader, item, names) ?? [])
}

function readGroup(reader: YamlReader, field: Field, names: FirstSeen): PlanGroup | undefined {
  const keys = reader.map(field, GROUP_KEYS, GROUP_HINT)
  if (keys === undefined) return undefined
  const nameField = reader.need(field, keys, 'name', GROUP_NAME_HINT)
  const name = nameField && readGroupName(reader, nameField, names)
  const featuresField = reader.need(field, keys, 'features', FEATURES_HINT)
  const features = featuresField && readFeatures(reader, featuresField)
  const layerField = keys.get('layer')
  const layer = layerField === undefined ? 'fast' : readLayer(reader, layerField)
  const casesField = reader.need(field, keys, 'cases', `a list of cases, each ${GROUP_CASE_HINT}`)
  const cases = casesField && readGroupCases(reader, casesField)
  if (name === undefined || features === undefined || layer === undefined) return undefined
  return cases && { name, features, layer, cases }
}

function readGroupName(reader: YamlReader, field: Field, names: FirstSeen): string | undefined {
  const name = reader.string(field, GROUP_NAME_HINT)
  if (name === undefined) return undefined
  if (!GROUP_NAME.test(name)) {
    reader.report(field, `${quote(name)} is not a group name; expected ${GROUP_NAME_HINT}`)
    return undefined
  }
  return names.isNew(field, name, quote(name)) ? name : undefined
}

/** Features as `a,b`: the form `cargo test --features` takes and reports show. */
function readFeatures(reader: YamlReader, field: Field): string | undefined {
  const names = isSeq(field.node)
    ? reader.list(field, FEATURES_HINT).map(item => reader.string(item, 'a feature name'))
    : reader.string(field, FEATURES_HINT)?.split(',')
  if (names === undefined || names.length === 0 || names.includes(undefined)) {
    if (names?.length === 0) reader.report(field, `got an empty list; expected ${FEATURES_HINT}`)
    return undefined
  }
  const trimmed = names.map(name => (name ?? '').trim())
  const bad = trimmed.find(name => !FEATURE_NAME.test(name))
  if (bad !== undefined) {
    const what = bad === '' ? 'an empty feature name' : `${quote(bad)}, not a feature name`
    reader.report(field, `got ${what}; expected ${FEATURES_HINT}`)
    return undefined
  }
  return trimmed.join(',')
}

function readLayer(reader: YamlReader, field: Field): LayerName | undefined {
  const expected = LAYERS.map(layer => `"${layer}"`).join(', ')
  const text = reader.string(field, `one of ${expected}`)
  if (text === undefined) return undefined
  const layer = LAYERS.find(name => name === text)
  if (layer === undefined)
    reader.report(field, `${quote(text)} is not a layer; expected ${expected}`)
  return layer
}

function readEnv(reader: YamlReader, field: Field): Record<string, string> {
  const accepted = 'a string, number or boolean (write "" for an empty value)'
  const keys = reader.map(field, undefined, 'a mapping of variable names to values')
  const entries: Array<[string, string]> = []
  for (const [name, value] of keys ?? []) {
    if (!ENV_NAME.test(name)) {
      reader.report(
        value,
        `${quote(name)} is not an environment variable name; expected letters, digits and _, ` +
          'not starting with a digit'
      )
      continue
    }
    const text = reader.scalarText(value, accepted)
    if (text !== undefined) entries.push([name, text])
  }
  // fromEntries defines own properties, so even a variable named __proto__ survives.
  return Object.fromEntries(entries)
}
