/**
 * The top-level `hwnas --help` text, built from the command registry.
 */
import type { Command } from './command.js';

/** Usage for `hwnas` itself: synopsis, each command's summary, global options. */
export function globalUsage(commands: readonly Command[], version: string): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  const list = commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`);
  return [
    `hwnas ${version}: hardware-aware neural architecture search for tfjs`,
    '',
    'usage: hwnas <command> [options]',
    '',
    'commands:',
    ...list,
    '',
    'options:',
    '  -h, --help     show this help; hwnas help <command> shows a command\'s options',
    '  --version      print the version',
    '',
    'environment:',
    '  HWNAS_BACKEND  tfjs backend to use when --backend is not given: gpu, node, wasm, cpu',
    '  HWNAS_DATA     where to look for datasets when --data is not given (fashion-mnist, cifar10)',
    '',
    'example:',
    '  hwnas doctor',
    '',
  ].join('\n');
}
