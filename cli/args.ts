/**
 * Argument parsing for one command: `node:util` parseArgs in strict mode, with its
 * errors rewritten as one-line UserErrors that point at the command's help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.js';

/** What parseArgs returns for `config`, with option types inferred from it. */
export type ParsedArgs<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/**
 * Parses `config.args` strictly for command `command`. Unknown options, missing values
 * and unexpected positionals become `unknown option '--foo' for 'doctor' (see hwnas
 * doctor --help)` style UserErrors.
 */
export function parseCommandArgs<const T extends ParseArgsConfig>(command: string, config: T): ParsedArgs<T> {
  try {
    // strict defaults to true: unknown options and stray positionals throw.
    return parseArgs(config);
  } catch (error) {
    throw rewriteParseError(command, error);
  }
}

function rewriteParseError(command: string, error: unknown): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const message = error instanceof Error ? error.message : '';
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const see = `(see hwnas ${command} --help)`;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UserError(`unknown option '${quoted}' for '${command}' ${see}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UserError(`unexpected argument '${quoted}' for '${command}' ${see}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // parseArgs quotes "--backend <value>" for a missing value, "--json" for a stray one.
      const option = quoted.split(' ')[0] ?? quoted;
      const problem = quoted.includes('<value>') ? 'needs a value' : 'does not take a value';
      return new UserError(`option '${option}' ${problem} ${see}`);
    }
    default:
      return error;
  }
}
