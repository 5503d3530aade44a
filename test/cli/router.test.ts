/**
 * The router and error handling in-process, with fake commands.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import { parseCommandArgs } from '../../cli/args.js';
import type { Command } from '../../cli/command.js';
import { commands } from '../../cli/commands/index.js';
import { runCli } from '../../cli/router.js';

function capture(): { io: { stdout: { write(text: string): void }; stderr: { write(text: string): void } }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (text) => { out += text; } }, stderr: { write: (text) => { err += text; } } },
    out: () => out,
    err: () => err,
  };
}

function command(name: string, run: (argv: string[]) => Promise<number>): Command {
  return { name, summary: `the ${name} command`, usage: `usage: hwnas ${name} [--n N]`, run };
}

const echo = command('echo', async (argv) => {
  const { values } = parseCommandArgs('echo', { args: argv, options: { n: { type: 'string' } } });
  return Number(values.n ?? '0');
});

describe('runCli', () => {
  it('passes the arguments after the command name and returns its exit code', async () => {
    const { io } = capture();
    expect(await runCli(['echo', '--n', '3'], [echo], io)).toBe(0 + 3);
  });

  it.each([
    [['--version', 'extra'], /^hwnas: unexpected argument 'extra' after '--version'$/m],
    [['help', 'echo', 'extra'], /^hwnas: unexpected argument 'extra' after 'help echo'$/m],
  ])('refuses %j rather than ignore what follows', async (argv, message) => {
    const { io, err, out } = capture();
    expect(await runCli(argv, [echo], io)).toBe(2);
    expect(err()).toMatch(message);
    expect(out()).toBe('');
  });

  it('prints usage to stderr and exits 2 with no command', async () => {
    const { io, err } = capture();
    expect(await runCli([], [echo], io)).toBe(2);
    expect(err()).toContain('usage: hwnas <command>');
  });

  it('prints a command\'s usage for --help before --, but passes --help after it', async () => {
    const { io, out } = capture();
    expect(await runCli(['echo', '-h'], [echo], io)).toBe(0);
    expect(out()).toBe('usage: hwnas echo [--n N]\n');
    const seen: string[][] = [];
    const spy = command('spy', async (argv) => { seen.push(argv); return 0; });
    await runCli(['spy', '--', '--help'], [spy], io);
    expect(seen).toEqual([['--', '--help']]);
  });

  it('rejects help for an unknown command', async () => {
    const { io, err } = capture();
    expect(await runCli(['help', 'nope'], [echo], io)).toBe(2);
    expect(err()).toBe("hwnas: unknown command 'nope' (see hwnas --help)\n");
  });

  it('prints a UserError as one line plus its hint and exits 2', async () => {
    const { io, err } = capture();
    const failing = command('fail', async () => {
      throw new UserError('no such run 7', 'list runs with hwnas runs');
    });
    expect(await runCli(['fail'], [failing], io)).toBe(2);
    expect(err()).toBe('hwnas: no such run 7\n  hint: list runs with hwnas runs\n');
  });

  it('prints any other error with its stack and exits 1', async () => {
    const { io, err } = capture();
    const buggy = command('bug', async () => {
      throw new TypeError('x is undefined');
    });
    expect(await runCli(['bug'], [buggy], io)).toBe(1);
    expect(err()).toMatch(/^hwnas: internal error .*\nTypeError: x is undefined\n {4}at /);
  });

  it('turns parseArgs errors into one-line messages naming the command', async () => {
    const { io, err } = capture();
    expect(await runCli(['echo', '--n'], [echo], io)).toBe(2);
    expect(await runCli(['echo', 'extra'], [echo], io)).toBe(2);
    expect(await runCli(['echo', '-x'], [echo], io)).toBe(2);
    // A value forgotten before the next option (parseArgs calls it ambiguous).
    expect(await runCli(['echo', '--n', '--m'], [echo], io)).toBe(2);
    expect(err().split('\n').filter((line) => line !== '')).toEqual([
      "hwnas: option '--n' needs a value (see hwnas echo --help)",
      "hwnas: unexpected argument 'extra' for 'echo' (see hwnas echo --help)",
      "hwnas: unknown option '-x' for 'echo' (see hwnas echo --help)",
      "hwnas: option '--n' needs a value (see hwnas echo --help)",
    ]);
  });
});

describe('parseCommandArgs hints', () => {
  const options = { 'max-size': { type: 'string' }, trials: { type: 'string' } } as const;
  const errorOf = (args: string[]) => { try { parseCommandArgs('search', { args, options }); } catch (error) { return error as UserError; } throw new Error('parsed'); };
  it('suggests the long option two edits away, and nothing for a short or far one', () => {
    expect(errorOf(['--trails', '3']).message).toBe("unknown option '--trails' for 'search'; did you mean '--trials'? (see hwnas search --help)");
    expect(errorOf(['--foo']).message).toBe("unknown option '--foo' for 'search' (see hwnas search --help)");
    expect(errorOf(['--seed', '1']).message).toBe("unknown option '--seed' for 'search' (see hwnas search --help)");
  });
  it('says a unit goes with its number', () => {
    const split = errorOf(['--max-size', '8', 'KB']);
    expect(split.message).toBe("unexpected argument 'KB' for 'search' (see hwnas search --help)");
    expect(split.hint).toBe('write the unit with its number: --max-size 8KB');
    expect(errorOf(['--trials', '3', 'extra']).hint).toBeUndefined();
    expect(errorOf(['extra']).hint).toBeUndefined();
  });
});

describe('command registry', () => {
  it('registers doctor with a usage that has options and an example', () => {
    const doctor = commands.find((entry) => entry.name === 'doctor');
    expect(doctor?.usage).toMatch(/options:\n/);
    expect(doctor?.usage).toMatch(/example:\n {2}hwnas doctor/);
  });

  it('has unique names', () => {
    const names = commands.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
