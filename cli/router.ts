/**
 * argv -> command: global flags (`--help`, `--version`), `hwnas help [cmd]`,
 * `hwnas <cmd> --help`, then the command itself, with every error reported by
 * run-command. Returns the exit code instead of exiting so tests can call it.
 */
import { UserError } from '../core/errors.js';
import type { Command } from './command.js';
import { globalUsage } from './help.js';
import { runCommand, type TextSink } from './run-command.js';
import { closestName } from '../core/suggest.js';
import { packageVersion } from './version.js';

/** Where the router writes. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
}

const standardIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

function findCommand(name: string, commands: readonly Command[]): Command {
  const command = commands.find((candidate) => candidate.name === name);
  if (command !== undefined) return command;
  const guess = closestName(name, commands.map((candidate) => candidate.name));
  const didYouMean = guess === undefined ? '' : `; did you mean '${guess}'?`;
  throw new UserError(`unknown command '${name}'${didYouMean} (see hwnas --help)`);
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Options before `--` only: after it, `--help` is an argument, not a request for help. */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** Runs the hwnas command line `argv` (without node and script) against `commands`. */
export async function runCli(argv: readonly string[], commands: readonly Command[], io: CliIo = standardIo): Promise<number> {
  return runCommand(async () => {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr.write(withNewline(globalUsage(commands, packageVersion())));
      return 2;
    }
    if (first === '--help' || first === '-h') {
      io.stdout.write(withNewline(globalUsage(commands, packageVersion())));
      return 0;
    }
    // Anything after these would be silently ignored: more likely a mistyped command line than intended.
    if ((first === '--version' || first === 'help') && rest.length > (first === 'help' ? 1 : 0)) {
      throw new UserError(`unexpected argument '${rest[first === 'help' ? 1 : 0]!}' after '${first}${first === 'help' ? ` ${rest[0]!}` : ''}'`, first === 'help' ? 'hwnas help COMMAND shows one command\'s help' : 'hwnas --version takes no arguments');
    }
    if (first === '--version') {
      io.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (first === 'help') {
      const topic = rest[0];
      const text = topic === undefined ? globalUsage(commands, packageVersion()) : findCommand(topic, commands).usage;
      io.stdout.write(withNewline(text));
      return 0;
    }
    if (first.startsWith('-')) throw new UserError(`unknown option '${first}' (see hwnas --help)`);
    const command = findCommand(first, commands);
    if (asksForHelp(rest)) {
      io.stdout.write(withNewline(command.usage));
      return 0;
    }
    return command.run(rest);
  }, io.stderr);
}
