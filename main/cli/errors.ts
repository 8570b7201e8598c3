/** Failures the CLI turns into exit codes. */

/** Exit code 2: the command line itself is wrong (unknown command/option, missing value). */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    /** Command whose help to show ('' = the program's help, 'workspace' = a group). */
    readonly helpFor: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit code 1: the command ran and failed; the message is for the user (Chinese). */
export class CommandError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    /** The core's error code when the failure came from the core; 'CLI' otherwise. */
    readonly code: string = 'CLI',
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
