/** How one process ended: the record every results document stores per command (times in ms, timeout in seconds). */
export interface CommandResult {
  /** argv as run, for the user to copy. */
  argv: string[]
  /** Working directory of the command. */
  cwd: string
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  timeoutSeconds: number
  durationMs: number
  /** Full output of the command on disk. */
  logPath: string
  /** True when output was longer than the per-command echo cap. */
  outputTruncated?: boolean
  /** Processes of the command still alive after it ended, which were killed. */
  leakedProcesses?: number
}
