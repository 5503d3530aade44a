/**
 * The shape every `hwnas <command>` module exports; `commands/index.ts` lists them.
 */
export interface Command {
  /** The word after `hwnas`. */
  name: string;
  /** One line for `hwnas --help`. */
  summary: string;
  /** Full help for `hwnas <name> --help`: synopsis, options, an example. */
  usage: string;
  /**
   * Runs with the arguments after the command name (`--help` is handled before this)
   * and resolves to the exit code. Throws UserError for anything the user can fix.
   */
  run(argv: string[]): Promise<number>;
}
