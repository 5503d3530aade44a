import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputDir, checkOutputFile, makeOutputDir } from '../../core/output-file.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'hwnas-out-'));

describe('output paths', () => {
  it('makes nested directories one level at a time, and names the path it cannot make', () => {
    const dir = scratch();
    makeOutputDir(join(dir, 'a', 'b', 'c'));
    expect(existsSync(join(dir, 'a', 'b', 'c'))).toBe(true);
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => makeOutputDir(join(dir, 'file', 'sub'))).toThrow(/^cannot write .*file\/sub: part of the path is not a directory$/);
  });

  it.skipIf(!existsSync('/proc/self'))('returns where the file system refuses a directory under one that exists (Node\'s recursive mkdir loops under /proc)', () => {
    expect(() => makeOutputDir('/proc/hwnas-test/model')).toThrow(/^cannot write \/proc\/hwnas-test\/model: /);
  });

  it('checks a file to write before the work: not a directory, not there unless forced, in a directory that can be written', () => {
    const dir = scratch();
    expect(() => checkOutputFile(join(dir, 'new.json'), '--out', false)).not.toThrow();
    writeFileSync(join(dir, 'old.json'), '{}');
    expect(() => checkOutputFile(join(dir, 'old.json'), '--out', false)).toThrow(/old\.json exists$/);
    expect(() => checkOutputFile(join(dir, 'old.json'), '--out', true)).not.toThrow();
    expect(() => checkOutputFile(dir, '--out', true)).toThrow(/is a directory$/);
    expect(() => checkOutputFile('', '--out', false)).toThrow(/^--out is empty$/);
    // A missing directory is fine when it can be made under one that can be written.
    expect(() => checkOutputDir(join(dir, 'x', 'y'), '--save', false)).not.toThrow();
    expect(() => checkOutputDir(join(dir, 'old.json', 'y'), '--save', false)).toThrow(/part of the path is not a directory/);
  });

  // root may write anywhere: only an ordinary user sees the permission check.
  it.skipIf(process.getuid?.() === 0)('refuses a directory it may not write into before the work', () => {
    const dir = scratch();
    chmodSync(dir, 0o500);
    try {
      expect(() => checkOutputFile(join(dir, 'x.json'), '--out', false)).toThrow(/permission denied/);
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
