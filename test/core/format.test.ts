import { describe, expect, it } from 'vitest';
import { alignRows, firstLine, mark, wrapHanging, wrapWords } from '../../core/format.js';

describe('mark', () => {
  it('is a check for true and a cross for false', () => {
    expect(mark(true)).toBe('✓');
    expect(mark(false)).toBe('✗');
  });
});

describe('firstLine', () => {
  it('keeps the first non-empty line of a multi-line message', () => {
    expect(firstLine('\n  boom: it broke  \n    at foo (x.js:1)\n')).toBe('boom: it broke');
    expect(firstLine('')).toBe('');
  });
});

describe('wrapWords', () => {
  it('wraps at word boundaries within the width', () => {
    expect(wrapWords('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
  });

  it('gives a word longer than the width its own line instead of cutting it', () => {
    expect(wrapWords('a /a/very/long/path b', 6)).toEqual(['a', '/a/very/long/path', 'b']);
  });

  it('indents continuation lines with wrapHanging', () => {
    expect(wrapHanging('aa bb cc dd', 5, 2)).toEqual(['aa bb', '  cc', '  dd']);
  });
});

describe('alignRows', () => {
  it('puts values in one column after the longest key', () => {
    expect(alignRows([['node', 'v20'], ['memory', '1 GiB']], { indent: 2 })).toEqual([
      '  node    v20',
      '  memory  1 GiB',
    ]);
  });

  it('puts each entry of a list value on its own line under the value column', () => {
    expect(alignRows([['datasets', ['mnist ✓', 'cifar10 ✗']]], { keyWidth: 10 })).toEqual([
      'datasets  mnist ✓',
      '          cifar10 ✗',
    ]);
  });

  it('wraps long values within the width, indenting the continuation', () => {
    const lines = alignRows([['kernels', 'one two three four five six seven eight nine ten']], { keyWidth: 10, width: 32 });
    expect(lines).toEqual([
      'kernels   one two three four',
      '            five six seven eight',
      '            nine ten',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(32);
  });

  it('moves the value below a key too long for its column', () => {
    expect(alignRows([['a-very-long-key', 'value']], { keyWidth: 6 })).toEqual(['a-very-long-key', '      value']);
  });
});
