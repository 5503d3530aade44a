import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonFile } from '../../core/json.js';
import { readUserText } from '../../core/text-file.js';

describe('readUserText', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-text-'));
  const text = 'arch,latency_ms\n"{""depth"":1}",1.5\n';
  it.each([
    ['UTF-8', Buffer.from(text, 'utf8')],
    ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['UTF-16 LE (Excel\'s "Unicode text")', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
  ])('reads %s', (label, bytes) => {
    const path = join(dir, `${label.replace(/\W+/g, '-')}.csv`);
    writeFileSync(path, bytes);
    expect(readUserText(path)).toBe(text);
  });
});

describe('parseJsonFile', () => {
  it('says where a syntax error is by line and column, as an editor does', () => {
    expect(() => parseJsonFile('{\n  "a": 1\n  "b": 2\n}')).toThrow(/^Expected ',' or '}' after property value at line 3, column 3$/);
    expect(() => parseJsonFile('\uFEFF{"a": 1} x')).toThrow(/^Unexpected non-whitespace character after JSON at line 1, column 10$/);
    expect(parseJsonFile('\uFEFF{"a": 1}')).toEqual({ a: 1 });
  });

  it('refuses a key written twice in one object, naming it and where, unless told not to look', () => {
    const text = '{\n  "params": {\n    "width": {"values": [1]},\n    "depth": {"low": 1},\n    "width": {"values": [2]}\n  }\n}';
    expect(() => parseJsonFile(text)).toThrow(/^key "width" in params appears twice, again at line 5, column 5; JSON keeps only the last, so remove one$/);
    expect(parseJsonFile(text, { duplicateKeys: false })).toEqual({ params: { width: { values: [2] }, depth: { low: 1 } } });
    // The same key in different objects, keys inside strings and escaped quotes are not repeats; arrays name their index.
    expect(parseJsonFile('{"a": {"x": 1}, "b": {"x": "\\"x\\": {\\"a\\"", "y": ["{\\"a\\":1,\\"a\\":2}"]}}')).toMatchObject({ a: { x: 1 } });
    expect(() => parseJsonFile('{"list": [{"k": 1}, {"k": 2, "k": 3}]}')).toThrow(/^key "k" in list\[1\] appears twice, again at line 1, column 30;/);
    expect(() => parseJsonFile('{"top": 1, "top": 2}')).toThrow(/^key "top" appears twice/);
    expect(() => parseJsonFile('{"": {"a": 1, "a": 2}}')).toThrow(/^key "a" in "" appears twice/);
    expect(() => parseJsonFile('{"x.y": {"": {"a": 1, "a": 2}}}')).toThrow(/^key "a" in "x\.y"\."" appears twice/);
    expect(() => parseJsonFile('{" ": {"a": 1, "a": 2}}')).toThrow(/^key "a" in " " appears twice/);
    expect(() => parseJsonFile('{"a\\nb": {"k": 1, "k": 2}}')).toThrow(/^key "k" in "a\\nb" appears twice/);
  });
});
