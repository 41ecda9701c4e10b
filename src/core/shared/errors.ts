/**
 * A mistake the user can fix: names the input, the bad value and what would be
 * accepted. Everything else that is thrown is a bug or an environment failure.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

/** The message of anything thrown, for logs and `setFailed`. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
