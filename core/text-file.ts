/** Text files users write by hand or export from other tools. */
import { readFileSync } from 'node:fs';

/**
 * A text file a user wrote, as text: UTF-8, or UTF-16 when it starts with that byte-order
 * mark (Excel's "Unicode text"; read as UTF-8, every other character was a NUL). A UTF-8
 * byte-order mark, as some Windows editors write, is dropped.
 */
export function readUserText(path: string): string {
  const bytes = readFileSync(path);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
