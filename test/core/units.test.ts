import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import {
  formatBytes, formatDuration, formatEnergy, formatMs, parseByteBudget, parseBytes, parseDuration, parseEnergy, parseLatency,
} from '../../core/units.js';

function userErrorOf(action: () => unknown): UserError {
  try {
    action();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError, got a value');
}

describe('parseDuration', () => {
  it.each([
    ['8h', 8 * 3_600_000],
    ['90m', 90 * 60_000],
    ['30s', 30_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1h02m03s', 3_723_000],
    ['2d', 172_800_000],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['0s', 0],
    ['2 m', 120_000],
    ['  45s  ', 45_000],
    ['1H30M', 5_400_000],
    ['1m500ms', 60_500],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '   ', '-1ms', 'abc', 'NaN', '2xs', '500', '1h30', '30m1h', '1h1h', '1e3ms', 'Infinity', '1h 30m', 'h', '1..5s'])(
    'rejects %j with a UserError naming it',
    (text) => {
      const error = userErrorOf(() => parseDuration(text));
      expect(error.message).toContain(`'${text}'`);
      expect(error.message).toContain('e.g. 8h, 90m, 30s, 1h30m, 500ms');
      expect(error.hint).toMatch(/units: d, h, m, s, ms/);
    },
  );

  it('says why a value is wrong', () => {
    expect(userErrorOf(() => parseDuration('')).message).toContain('empty value');
    expect(userErrorOf(() => parseDuration('-1ms')).message).toContain('must not be negative');
    expect(userErrorOf(() => parseDuration('2xs')).message).toContain("unknown unit 'xs'");
    expect(userErrorOf(() => parseDuration('500')).message).toContain('missing unit');
    expect(userErrorOf(() => parseDuration('30m1h')).message).toContain('largest first');
    // Not "unknown unit 'e'".
    expect(userErrorOf(() => parseDuration('1e-3s')).message).toContain('no exponents: write the number out');
    expect(userErrorOf(() => parseLatency('1e999ms')).message).toContain('no exponents');
    // Where case matters, the unit meant is named.
    expect(userErrorOf(() => parseBytes('64kib')).message).toContain("unknown unit 'kib' (case matters: did you mean KiB?)");
    expect(userErrorOf(() => parseEnergy('3MJ')).message).toContain('did you mean mJ?');
  });

  it('names the flag when given a label', () => {
    expect(userErrorOf(() => parseDuration('soon', { label: '--budget' })).message)
      .toMatch(/^invalid --budget 'soon': /);
  });

  it('rejects numbers too large to represent', () => {
    expect(userErrorOf(() => parseDuration(`${'9'.repeat(400)}s`)).message).toContain('too large');
  });
});

describe('parseLatency', () => {
  it.each([
    ['2ms', 2],
    ['500us', 0.5],
    ['500µs', 0.5],
    ['500μs', 0.5],
    ['0.5s', 500],
    ['2 ms', 2],
    ['250ns', 0.00025],
    ['3MS', 3],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseLatency(text)).toBeCloseTo(ms, 12);
  });

  it.each(['2xs', '', '-1ms', 'abc', 'NaN', '2', '1s500ms', '2  ms', '+2ms'])('rejects %j', (text) => {
    const error = userErrorOf(() => parseLatency(text));
    expect(error.message).toContain(`'${text}'`);
    expect(error.message).toContain('e.g. 2ms, 500us, 0.5s');
  });
});

describe('parseBytes', () => {
  it.each([
    ['64KB', 64_000],
    ['64kB', 64_000],
    ['64KiB', 65_536],
    ['1.5MiB', 1_572_864],
    ['512B', 512],
    ['2MB', 2_000_000],
    ['1GiB', 1024 ** 3],
    ['1.1KB', 1100],
    ['0.5KB', 500],
    ['4 GB', 4e9],
    ['1TB', 1e12],
  ])('reads %s as %d bytes', (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it('treats KB as 1000 bytes and KiB as 1024', () => {
    expect(parseBytes('1KB')).toBe(1000);
    expect(parseBytes('1KiB')).toBe(1024);
  });

  it.each(['1.5B', '1.0001KB', '2xs', '', '-1KB', 'abc', 'NaN', '64', '64K', '16Mb', '64kb', '2mb'])('rejects %j', (text) => {
    const error = userErrorOf(() => parseBytes(text));
    expect(error.message).toContain(`'${text}'`);
    expect(error.message).toContain('e.g. 64KB, 1.5MiB, 512B, 2MB');
    expect(error.hint).toContain('powers of 1024');
  });

  it('explains a fractional byte count', () => {
    expect(userErrorOf(() => parseBytes('1.5B')).message).toContain('not a whole number of bytes');
  });

  it('takes a budget as hwnas prints sizes, rounded down to what fits it', () => {
    expect(parseByteBudget('6.3KiB')).toBe(6451);
    expect(parseByteBudget('1.1KB')).toBe(1100);
    expect(parseByteBudget('64KB')).toBe(64_000);
    expect(userErrorOf(() => parseByteBudget('6.3 kilobytes')).message).toContain("'6.3 kilobytes'");
  });
});

describe('parseEnergy', () => {
  it.each([
    ['3mJ', 3],
    ['1.2J', 1200],
    ['800uJ', 0.8],
    ['800µJ', 0.8],
    ['5nJ', 5e-6],
    ['3 mJ', 3],
  ])('reads %s as %d mJ', (text, mJ) => {
    expect(parseEnergy(text)).toBeCloseTo(mJ, 12);
  });

  it.each(['3MJ', '3mj', '2xs', '', '-1mJ', 'abc', 'NaN', '3'])('rejects %j (units are case-sensitive)', (text) => {
    const error = userErrorOf(() => parseEnergy(text));
    expect(error.message).toContain(`'${text}'`);
    expect(error.message).toContain('e.g. 3mJ, 1.2J, 800uJ');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [65_536, '64 KiB'],
    [1_572_864, '1.5 MiB'],
    [150 * 1024 ** 2, '150 MiB'],
    [23.44 * 1024 ** 3, '23.4 GiB'],
    [1024 ** 2 - 10, '1 MiB'],
    [-2048, '-2 KiB'],
    [Number.NaN, 'n/a'],
  ])('formats %d as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('uses powers of 1000 with si', () => {
    expect(formatBytes(64_000, { si: true })).toBe('64 kB');
    expect(formatBytes(2_000_000, { si: true })).toBe('2 MB');
  });

  it('round-trips through parseBytes', () => {
    for (const bytes of [512, 65_536, 1_572_864, 3 * 1024 ** 3]) {
      expect(parseBytes(formatBytes(bytes))).toBe(bytes);
    }
  });
});

describe('formatMs', () => {
  it.each([
    [0.5, '500 µs'],
    [0.0123, '12.3 µs'],
    [0.9996, '1 ms'],
    [2.345, '2.35 ms'],
    [12.34, '12.3 ms'],
    [123.4, '123 ms'],
    [999.7, '1 s'],
    [1250, '1.25 s'],
    [59_990, '1m'],
    [125_000, '2m05s'],
    [-2, '-2 ms'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });

  it('round-trips through parseLatency to three significant digits', () => {
    for (const ms of [0.5, 2.35, 12.3, 1250]) expect(parseLatency(formatMs(ms))).toBeCloseTo(ms, 9);
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [999.6, '1s'],
    [2500, '2.5s'],
    [9960, '10s'],
    [45_000, '45s'],
    [59_600, '1m'],
    [125_000, '2m05s'],
    [5_400_000, '1h30m'],
    [3_723_000, '1h02m'],
    [8 * 3_600_000, '8h'],
    [3_599_700, '1h'],
    [26 * 3_600_000, '26h'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [850, 2500, 45_000, 125_000, 5_400_000, 8 * 3_600_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});

describe('formatEnergy', () => {
  it.each([
    [0.8, '800 µJ'],
    [3, '3 mJ'],
    [1200, '1.2 J'],
  ])('formats %d mJ as %s', (mJ, text) => {
    expect(formatEnergy(mJ)).toBe(text);
  });
});
