import { describe, expect, it } from 'vitest';
import { bestFormat, HEADER_BYTES, sparseEntries, storedBytes } from '../../evaluators/compress/stored-size.js';

describe('stored size, worked by hand', () => {
  it('dense float32: 8 values x 32 bits = 32 bytes + header', () => {
    expect(storedBytes(new Float32Array(8).fill(1), { valueBits: 32, indexBits: 0, codebook: 0, scales: 0 }).bytes).toBe(12 + 32);
  });
  it('8 weights, 2 nonzero, 4-bit indices, 8-bit values: 2 x 12 bits = 3 bytes + 1 scale + header', () => {
    const w = [0, 0.5, 0, 0, 0, -0.25, 0, 0];
    expect(storedBytes(w, { valueBits: 8, indexBits: 4, codebook: 0, scales: 1 }).bytes).toBe(HEADER_BYTES + 3 + 4);
  });
  it('inserts filler zeros when a gap overflows the index (Deep Compression figure: 3-bit indices, gap 8 needs one filler)', () => {
    // nonzeros at 0 and 9: gaps 1 and 9; 3-bit max gap 7 -> one filler at position 7.
    const w = new Float32Array(10);
    w[0] = 1; w[9] = 2;
    expect(sparseEntries(w, 3)).toBe(3);
    const w2 = new Float32Array(30);
    w2[29] = 1; // gap 30 with max 7: fillers at 6, 13, 20, 27 -> 4 + 1
    expect(sparseEntries(w2, 3)).toBe(5);
  });
  it('clustered: 16 weights as 2-bit indices of a 4-entry codebook = 4 bytes + 16 bytes codebook + header', () => {
    expect(storedBytes(new Float32Array(16).fill(1), { valueBits: 2, indexBits: 0, codebook: 4, scales: 0 }).bytes).toBe(12 + 4 + 16);
  });
  it('picks sparse storage only when it is smaller', () => {
    const dense = new Float32Array(100).fill(1);
    const sparse = new Float32Array(100);
    sparse[3] = 1;
    expect(bestFormat(dense, 8, 0, 1, 4).format.indexBits).toBe(0);
    expect(bestFormat(sparse, 8, 0, 1, 4).format.indexBits).toBe(4);
  });
});
