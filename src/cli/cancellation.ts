/** Ctrl-C (or SIGTERM) stops the running command with its tree; results are still written. */
export async function withCancellation<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const cancel = new AbortController()
  const onSignal = (): void => cancel.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    return await body(cancel.signal)
  } finally {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
}
