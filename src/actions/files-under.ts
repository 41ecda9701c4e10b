import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/** Every file under `dir` (absolute paths), without the `.tmp` halves of atomic writes. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile() && !e.name.endsWith('.tmp'))
    .map(e => join(e.parentPath, e.name))
}
