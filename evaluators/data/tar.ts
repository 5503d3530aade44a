/** A minimal reader for (ustar) tar archives: regular files only, which is all the dataset archives hold. */
export interface TarEntry { name: string; data: Uint8Array }

function field(block: Uint8Array, start: number, length: number): string {
  const end = block.subarray(start, start + length).indexOf(0);
  return Buffer.from(block.subarray(start, end === -1 ? start + length : start + end)).toString('utf8');
}

export function readTar(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = field(header, 0, 100), prefix = field(header, 345, 155);
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156]!);
    if (!Number.isFinite(size) || offset + 512 + size > archive.length) throw new Error(`tar entry '${name}' runs past the end of the archive (truncated download?)`);
    if (type === '0' || type === '\0') entries.push({ name: prefix ? `${prefix}/${name}` : name, data: archive.subarray(offset + 512, offset + 512 + size) });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** Builds a tar archive (used by tests and fixtures). */
export function writeTar(entries: TarEntry[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const entry of entries) {
    const header = new Uint8Array(512);
    header.set(Buffer.from(entry.name, 'utf8').subarray(0, 100), 0);
    header.set(Buffer.from('0000644\0'), 100);
    header.set(Buffer.from(`${entry.data.length.toString(8).padStart(11, '0')}\0`), 124);
    header[156] = '0'.charCodeAt(0);
    header.set(Buffer.from('ustar\0'), 257);
    header.fill(32, 148, 156);
    const checksum = header.reduce((s, b) => s + b, 0);
    header.set(Buffer.from(`${checksum.toString(8).padStart(6, '0')}\0 `), 148);
    blocks.push(header, entry.data, new Uint8Array((512 - (entry.data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return Buffer.concat(blocks);
}
