/**
 * Argument parsing for one command: `node:util` parseArgs in strict mode, with its
 * errors rewritten as one-line UserErrors that point at the command's help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.js';
import { closestName } from '../core/suggest.js';

/** What parseArgs returns for `config`, with option types inferred from it. */
export type ParsedArgs<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/**
 * Parses `config.args` strictly for command `command`. Unknown options, missing values
 * and unexpected positionals become `unknown option '--foo' for 'doctor' (see hwnas
 * doctor --help)` style UserErrors.
 */
export function parseCommandArgs<const T extends ParseArgsConfig>(command: string, config: T): ParsedArgs<T> {
  const args = attachNegativeValues(config.args ?? process.argv.slice(2), config.options ?? {});
  try {
    // strict defaults to true: unknown options and stray positionals throw.
    return parseArgs({ ...config, args }) as ParsedArgs<T>;
  } catch (error) {
    throw rewriteParseError(command, error, Object.keys(config.options ?? {}), args);
  }
}

/**
 * `--trials -1` as `--trials=-1`: parseArgs reads a value that starts with '-' as an option,
 * which then reports that '--trials' needs a value; attached, the value reaches the check
 * that says what is wrong with it (must not be negative).
 */
function attachNegativeValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!, next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    if (name !== null && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) { out.push(`${arg}=${next}`); i++; } else out.push(arg);
  }
  return out;
}

function rewriteParseError(command: string, error: unknown, options: readonly string[], args: readonly string[]): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const message = error instanceof Error ? error.message : '';
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const see = `(see hwnas ${command} --help)`;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      // `show -1`: a negative number reads as a short option; say what it is.
      if (/^-\d/.test(quoted)) return new UserError(`'${quoted}' for '${command}': negative numbers are not accepted here ${see}`, 'trial numbers and counts are whole numbers >= 0');
      // Long options only, and not for short names, which two edits turn into almost anything.
      const typed = quoted.startsWith('--') ? quoted.slice(2).split('=')[0]! : '';
      const guess = typed.length >= 4 ? closestName(typed, options) : undefined;
      return new UserError(`unknown option '${quoted}' for '${command}'${guess === undefined ? '' : `; did you mean '--${guess}'?`} ${see}`);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      // `--max-size 8 KB`: the unit was split from its number.
      const at = args.indexOf(quoted), option = args[at - 2], number = args[at - 1];
      const unit = at >= 2 && option?.startsWith('--') === true && /^\d+(\.\d+)?$/.test(number ?? '') && /^([kKMG]i?B|B|[nuµm]?s|[uµm]?J|min|h)$/.test(quoted);
      return new UserError(`unexpected argument '${quoted}' for '${command}' ${see}`, unit ? `write the unit with its number: ${option} ${number}${quoted}` : undefined);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // parseArgs quotes "--backend <value>" for a missing value at the end, "--json" for a stray one,
      // and calls "--max-latency --db x" ambiguous: the value is missing there too.
      const option = quoted.split(' ')[0] ?? quoted;
      const problem = quoted.includes('<value>') || message.includes('is ambiguous') ? 'needs a value' : 'does not take a value';
      return new UserError(`option '${option}' ${problem} ${see}`);
    }
    default:
      return error;
  }
}
