/**
 * The house rules of `src/`: imports run one way (actions and CLI → domains →
 * shared), each domain imports only the domains below it, and no domain
 * imports another domain's renderers. A new import that breaks a rule fails
 * here with the file and the import named.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, posix, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = resolve(import.meta.dirname, '../src')

/** The domains of `src/core/` and the ones each may import (itself always). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  shared: [],
  process: ['shared'],
  libtest: ['shared'],
  cargo: ['process', 'libtest', 'shared'],
  github: ['shared'],
  nextest: ['cargo', 'process', 'libtest', 'shared'],
  layers: ['nextest', 'cargo', 'libtest', 'process', 'github', 'shared'],
  perf: ['cargo', 'process', 'github', 'shared'],
  history: ['perf', 'process', 'github', 'shared'],
  soak: ['history', 'layers', 'perf', 'nextest', 'cargo', 'libtest', 'process', 'github', 'shared']
}

/**
 * The rooms of `core/perf/` and the rooms each may import (itself and the
 * top of the domain always: settings, results, run).
 */
const PERF_ROOMS_MAY_IMPORT: Record<string, readonly string[]> = {
  judge: [],
  measure: ['judge'],
  render: [],
  publish: ['render']
}

interface Import {
  /** Importing file, relative to `src/`. */
  from: string
  /** Imported file, relative to `src/`. */
  to: string
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : []
  )
}

function relativeImports(): Import[] {
  return sourceFiles(SRC).flatMap(file => {
    const from = relative(SRC, file).split('\\').join('/')
    const text = readFileSync(file, 'utf8')
    return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map(match => ({
      from,
      to: posix.normalize(posix.join(posix.dirname(from), match[1] ?? ''))
    }))
  })
}

/** `core/<domain>/…` → the domain; anything else (actions, cli) → its top folder. */
function placeOf(path: string): { area: string; domain?: string; render: boolean } {
  const parts = path.split('/')
  if (parts[0] !== 'core') return { area: parts[0] ?? '', render: false }
  return { area: 'core', domain: parts[1], render: parts[2] === 'render' }
}

/** The room of a file of `core/<domain>/<room>/…`, or `top` for the domain's own files; undefined outside it. */
function roomOf(path: string, domain: string): string | undefined {
  const parts = path.split('/')
  if (parts[0] !== 'core' || parts[1] !== domain) return undefined
  return parts.length > 3 ? parts[2] : 'top'
}

describe('imports run one way', () => {
  const imports = relativeImports()

  it('reads the imports of every source file', () => {
    expect(imports.length).toBeGreaterThan(200)
    expect(new Set(imports.map(i => placeOf(i.from).domain))).toEqual(
      new Set([...Object.keys(MAY_IMPORT), undefined])
    )
  })

  it('the core never imports an action or the CLI', () => {
    const wrong = imports.filter(
      i => placeOf(i.from).area === 'core' && ['actions', 'cli'].includes(placeOf(i.to).area)
    )
    expect(wrong).toEqual([])
  })

  it('each domain imports only itself and the domains below it', () => {
    const wrong = imports.filter(i => {
      const from = placeOf(i.from)
      const to = placeOf(i.to)
      if (from.domain === undefined || to.domain === undefined) return false
      if (from.domain === to.domain) return false
      return !(MAY_IMPORT[from.domain] ?? []).includes(to.domain)
    })
    expect(wrong).toEqual([])
  })

  it("no domain imports another domain's renderers", () => {
    const wrong = imports.filter(i => {
      const from = placeOf(i.from)
      const to = placeOf(i.to)
      return to.render && from.domain !== undefined && from.domain !== to.domain
    })
    expect(wrong).toEqual([])
  })

  it('inside perf, rooms import one way: measure → judge, render and publish apart', () => {
    const wrong = imports.filter(i => {
      const from = roomOf(i.from, 'perf')
      const to = roomOf(i.to, 'perf')
      if (from === undefined || to === undefined || from === to) return false
      if (from === 'top' || to === 'top') return false
      return !(PERF_ROOMS_MAY_IMPORT[from] ?? []).includes(to)
    })
    expect(wrong).toEqual([])
  })

  it('inside perf, only publish/ talks to GitHub', () => {
    const wrong = imports.filter(
      i =>
        placeOf(i.to).domain === 'github' &&
        roomOf(i.from, 'perf') !== undefined &&
        roomOf(i.from, 'perf') !== 'publish'
    )
    expect(wrong).toEqual([])
  })

  it('history uses perf only through its top level (results, settings, run), never its rooms', () => {
    const wrong = imports.filter(
      i =>
        placeOf(i.from).domain === 'history' &&
        roomOf(i.to, 'perf') !== undefined &&
        roomOf(i.to, 'perf') !== 'top'
    )
    expect(wrong).toEqual([])
  })

  it('every domain folder says what it owns and what it may import', () => {
    const missing = Object.keys(MAY_IMPORT).filter(domain => {
      try {
        return !readFileSync(join(SRC, 'core', domain, 'README.md'), 'utf8').includes('May import')
      } catch {
        return true
      }
    })
    expect(missing).toEqual([])
  })
})
