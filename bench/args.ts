/**
 * A bench script's options: node's parseArgs, strict, except that `--help` prints the
 * script's usage and an unknown or malformed option is one line and exit 2, not a stack.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function benchArgs<const T extends Options>(usage: string, options: T): ReturnType<typeof parseArgs<{ options: T }>>['values'] {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    console.error(`${usage.split(' ')[2]}: ${(error as Error).message.split('\n')[0]}\nusage: ${usage}`);
    process.exit(2);
  }
}
