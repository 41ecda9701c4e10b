/**
 * Each action's README is what its Marketplace page shows: what it does, a
 * workflow, the permissions it needs, and its inputs and outputs, the tables
 * generated from action.yml so they cannot drift (`npm run docs`).
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ACTIONS, inputsTable, renderReadme, type ActionMeta } from '../../scripts/action-readme.js'

const ROOT = resolve(import.meta.dirname, '../..')
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

describe.each(ACTIONS)('%s/README.md', action => {
  const readme = read(`${action}/README.md`)
  const meta = parse(read(`${action}/action.yml`)) as ActionMeta

  it('has its inputs and outputs tables as action.yml generates them (run npm run docs)', async () => {
    expect(await renderReadme(readme, read(`${action}/action.yml`))).toBe(readme)
  })

  it('lists every input and output of action.yml, in its order', () => {
    const rows = (heading: string): string[] =>
      [...readme.matchAll(new RegExp(`^\\| \`([a-z-]+)\` `, 'gm'))]
        .filter(m => m.index > readme.indexOf(heading))
        .map(m => m[1]!)
    const inputs = Object.keys(meta.inputs ?? {})
    expect(rows('<!-- inputs:').slice(0, inputs.length)).toEqual(inputs)
    expect(rows('<!-- outputs:').slice(0, Object.keys(meta.outputs ?? {}).length)).toEqual(
      Object.keys(meta.outputs ?? {})
    )
  })

  it('reads in the Marketplace order: what it does, a workflow, permissions, inputs, outputs', () => {
    const at = (text: string): number => readme.indexOf(text)
    expect(at('# ')).toBe(0)
    const order = [at('```yaml'), at('## Permissions'), at('## Inputs'), at('## Outputs')]
    expect(order.every(i => i > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(readme).toContain(`uses: mace/${action}@v1`)
    expect(readme).toContain(`<owner>/<repo>/${action}@v1`)
  })
})

describe('the generated tables', () => {
  it('escape what Markdown would read as markup, and show defaults as code', () => {
    const table = inputsTable({
      inputs: {
        globs: { description: 'e.g. Get/*=10 | <out-dir>/x', default: '${{ github.token }}' }
      }
    })
    expect(table.split('\n')[2]).toBe(
      '| `globs` | `${{ github.token }}` | e.g. Get/\\*=10 \\| &lt;out-dir&gt;/x |'
    )
  })
})
