/** A source position inside the repository (path relative to the repo root): from a compiler diagnostic, a panic or a backtrace. */
export interface SourceLocation {
  file: string
  line: number
  column?: number
}
