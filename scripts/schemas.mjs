// Generates schemas/*.schema.json, the published shape of each results
// document, from the TypeScript types that write them (ts-json-schema-generator).
// `--check` fails when a committed schema differs from what the types give.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { createGenerator } from 'ts-json-schema-generator'

/** Each document: its schema file, the type that writes it, and what it is. */
export const DOCUMENTS = [
  {
    file: 'schemas/test-results.schema.json',
    path: 'src/core/layers/results.ts',
    type: 'TestRunResult',
    title: 'mace-actions test results (results.json)'
  },
  {
    file: 'schemas/perf-results.schema.json',
    path: 'src/core/perf/results.ts',
    type: 'PerfRunResult',
    title: 'mace-actions perf results (compare.json, snapshot.json)'
  },
  {
    file: 'schemas/soak-results.schema.json',
    path: 'src/core/soak/results.ts',
    type: 'SoakResult',
    title: 'mace-actions soak results (soak.json)'
  },
  {
    file: 'schemas/history-track.schema.json',
    path: 'src/core/history/results.ts',
    type: 'TrackResult',
    title: 'mace-actions perf track results (track.json)'
  },
  {
    file: 'schemas/history-point.schema.json',
    path: 'src/core/history/point.ts',
    type: 'HistoryPoint',
    title: 'mace-actions history point (one line of <part>/<bench>/<metric>/YYYY-MM.jsonl)'
  }
]

/** The schema text of one document, as committed. */
export function schemaText(doc) {
  const generator = createGenerator({
    path: doc.path,
    tsconfig: 'tsconfig.json',
    type: doc.type,
    skipTypeCheck: true,
    sortProps: true
  })
  const schema = { title: doc.title, ...generator.createSchema(doc.type) }
  return `${JSON.stringify(schema, null, 2)}\n`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check')
  let stale = 0
  mkdirSync('schemas', { recursive: true })
  for (const doc of DOCUMENTS) {
    const text = schemaText(doc)
    let committed = ''
    try {
      committed = readFileSync(doc.file, 'utf8')
    } catch {
      // a missing schema is stale
    }
    if (committed === text) continue
    if (check) {
      console.error(
        `${doc.file} differs from what ${doc.path} (${doc.type}) generates; run 'npm run schemas'`
      )
      stale++
    } else {
      writeFileSync(doc.file, text)
      console.log(`wrote ${doc.file}`)
    }
  }
  process.exit(stale > 0 ? 1 : 0)
}
