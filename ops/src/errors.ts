/** Bad input or environment: the command prints the message and a usage hint, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** The command ran but cannot do what was asked (missing group, refused change): exit 1. */
export class OpsError extends Error {
  override name = 'OpsError'
}
