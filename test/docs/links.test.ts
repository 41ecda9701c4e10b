/**
 * The documentation's own links lead somewhere: every relative link in the
 * READMEs, docs/ and the changelog names a file of this repository, and every
 * `#anchor` a heading of that file (as GitHub makes anchors from headings).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')

const DOCS = [
  'README.md',
  'CHANGELOG.md',
  'action-test/README.md',
  'action-perf/README.md',
  'action-soak/README.md',
  'packaging/cli/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter(f => f.endsWith('.md'))
    .map(f => `docs/${f}`)
]

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '')
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map(m => anchor(m[1]!)))
}

describe.each(DOCS)('%s', doc => {
  const text = readFileSync(join(ROOT, doc), 'utf8').replace(/^```[\s\S]*?^```/gm, '')
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map(m => m[1]!)
    .filter(t => !/^(https?:|mailto:)/.test(t))

  it('links only to files and headings that exist', () => {
    const broken: string[] = []
    for (const link of links) {
      const [path, hash] = link.split('#') as [string, string | undefined]
      const target = path === '' ? join(ROOT, doc) : resolve(dirname(join(ROOT, doc)), path)
      if (!existsSync(target)) {
        broken.push(`${link} (no ${relative(ROOT, target)})`)
        continue
      }
      if (hash && statSync(target).isFile() && !anchorsOf(target).has(hash)) {
        broken.push(`${link} (no heading #${hash})`)
      }
    }
    expect(broken).toEqual([])
  })
})

describe('anchors', () => {
  it('are made as GitHub makes them', () => {
    expect(anchor('Pull requests from forks')).toBe('pull-requests-from-forks')
    expect(anchor('Migrating from prod_test.sh')).toBe('migrating-from-prod_testsh')
    expect(anchor('`MACE_SOAK_CYCLE`')).toBe('mace_soak_cycle')
  })
})
