// The inputs and outputs tables of each action's README, generated from its
// action.yml so they cannot drift: `npm run docs` (scripts/docs.ts) rewrites the blocks between
// the markers below; test/docs/action-readme.test.ts checks they are current.
// The release split (scripts/release-split.ts) publishes these READMEs.
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import prettier from 'prettier'
import { parse } from 'yaml'

const ROOT = resolve(import.meta.dirname, '..')

/** The actions, each a folder with action.yml and README.md. */
export const ACTIONS = ['action-test', 'action-perf', 'action-soak'] as const

/** What the tables are made from: action.yml's inputs and outputs. */
export interface ActionMeta {
  inputs?: Record<string, { description?: string; default?: string | number | boolean }>
  outputs?: Record<string, { description?: string }>
}

const start = (kind: string): string =>
  `<!-- ${kind}: generated from action.yml by npm run docs -->`
const end = (kind: string): string => `<!-- end of ${kind} -->`

/** Markdown cell text: one line; what Markdown would read as markup (`*`, `<x>`, `|`) escaped. */
function cell(text: string): string {
  return String(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[\\*[\]|`]/g, '\\$&')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .trim()
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``
}

/** The inputs table: name, default, description, in action.yml's order. */
export function inputsTable(meta: ActionMeta): string {
  const rows = Object.entries(meta.inputs ?? {}).map(([name, spec]) => {
    const fallback =
      spec.default === undefined || spec.default === '' ? '' : code(String(spec.default))
    return `| ${code(name)} | ${fallback} | ${cell(spec.description ?? '')} |`
  })
  return ['| input | default | description |', '| --- | --- | --- |', ...rows].join('\n')
}

/** The outputs table: name, description. */
export function outputsTable(meta: ActionMeta): string {
  const rows = Object.entries(meta.outputs ?? {}).map(
    ([name, spec]) => `| ${code(name)} | ${cell(spec.description ?? '')} |`
  )
  return ['| output | description |', '| --- | --- |', ...rows].join('\n')
}

/**
 * The README with its generated blocks rewritten from action.yml's text and
 * formatted as `prettier --check` expects. Throws when a marker is missing.
 */
export async function renderReadme(readme: string, actionYml: string): Promise<string> {
  const meta = parse(actionYml) as ActionMeta
  let text = readme
  for (const [kind, table] of [
    ['inputs', inputsTable(meta)],
    ['outputs', outputsTable(meta)]
  ] as const) {
    const from = text.indexOf(start(kind))
    const to = text.indexOf(end(kind))
    if (from === -1 || to === -1 || to < from) {
      throw new Error(`README has no '${start(kind)}' … '${end(kind)}' block`)
    }
    text = `${text.slice(0, from)}${start(kind)}\n\n${table}\n\n${text.slice(to)}`
  }
  const options = (await prettier.resolveConfig(join(ROOT, 'README.md'))) ?? {}
  return prettier.format(text, { ...options, parser: 'markdown' })
}

/** Rewrites every action's README in `root`; returns the ones that changed. */
export async function updateReadmes(root: string): Promise<string[]> {
  const changed: string[] = []
  for (const action of ACTIONS) {
    const path = join(root, action, 'README.md')
    const before = readFileSync(path, 'utf8')
    const after = await renderReadme(before, readFileSync(join(root, action, 'action.yml'), 'utf8'))
    if (after !== before) {
      writeFileSync(path, after)
      changed.push(path)
    }
  }
  return changed
}
