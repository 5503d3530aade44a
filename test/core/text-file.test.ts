import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
