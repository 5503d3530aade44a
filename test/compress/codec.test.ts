import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { BitReader, BitWriter } from '../../evaluators/compress/bits.js';
import { clusterWeights } from '../../evaluators/compress/cluster.js';
import { float16Bits, fromFloat16Bits } from '../../evaluators/compress/float16.js';
import { canonicalCodes, HuffmanCode, huffmanLengths } from '../../evaluators/compress/huffman.js';
import { applyMask, layerSparsities, magnitudeMask } from '../../evaluators/compress/magnitude-prune.js';
import { quantizeWeights, toFloat16AndBack } from '../../evaluators/compress/quantize.js';
import { storedBytes } from '../../evaluators/compress/stored-size.js';
import { decodeTensor, encodeTensor, TENSOR_HEADER_BYTES, type TensorEncoding } from '../../evaluators/compress/tensor-codec.js';

const randomWeights = (n: number, seed: number) => { const rng = new Rng(seed); return Float32Array.from({ length: n }, () => rng.normal() * 0.1); };

describe('bit packing', () => {
  it('round-trips fields of mixed widths, LSB first', () => {
    const w = new BitWriter();
    const fields: Array<[number, number]> = [[5, 3], [0, 1], [1, 1], [0xffffffff, 32], [1234, 11], [3, 2]];
    for (const [v, width] of fields) w.write(v, width);
    const bytes = w.finish();
    expect(bytes.length).toBe(Math.ceil(50 / 8));
    expect(bytes[0]! & 7).toBe(5);
    const r = new BitReader(bytes);
    for (const [v, width] of fields) expect(r.read(width)).toBe(v >>> 0);
    expect(() => new BitReader(new Uint8Array(1)).read(9)).toThrow(/truncated/);
  });
});

describe('Huffman coding', () => {
  it('gives textbook lengths: counts 45,13,12,16,9,5 -> 1,3,3,3,4,4', () => {
    expect(Array.from(huffmanLengths([45, 13, 12, 16, 9, 5]))).toEqual([1, 3, 3, 3, 4, 4]);
    expect(Array.from(huffmanLengths([0, 7, 0]))).toEqual([0, 1, 0]);
  });
  it('builds canonical, prefix-free codes (deflate example: lengths 3,3,3,3,3,2,4,4)', () => {
    expect(Array.from(canonicalCodes(Uint8Array.from([3, 3, 3, 3, 3, 2, 4, 4])))).toEqual([2, 3, 4, 5, 6, 0, 14, 15]);
  });
  it('round-trips a skewed stream and beats fixed-width coding', () => {
    const rng = new Rng(3);
    const symbols = Array.from({ length: 5000 }, () => Math.min(15, Math.floor(-Math.log(rng.next() + 1e-12) * 2)));
    const counts = new Float64Array(16);
    for (const s of symbols) counts[s]!++;
    const code = HuffmanCode.fromCounts(counts);
    const w = new BitWriter();
    code.writeTable(w);
    for (const s of symbols) code.write(w, s);
    expect(w.bits).toBe(code.tableBits() + code.costBits(counts));
    expect(w.bits).toBeLessThan(symbols.length * 4);
    const r = new BitReader(w.finish());
    const read = HuffmanCode.readTable(r, 16);
    expect(symbols.every((s) => read.read(r) === s)).toBe(true);
  });
});

describe('float16 bits', () => {
  it('agrees with the rounding used by 16-bit quantization', () => {
    for (const v of randomWeights(2000, 9)) expect(fromFloat16Bits(float16Bits(v))).toBe(toFloat16AndBack(v));
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
  });

  it('rounds subnormals to the nearest float16, ties to even, counting every bit shifted out', () => {
    // Below 2^-14 float16 steps by 2^-24: the right answer is |v| / 2^-24 rounded half to even.
    const rng = new Rng(5);
    for (let i = 0; i < 20_000; i++) {
      const v = Math.fround((rng.next() - 0.5) * 2 ** -13 * 2 ** -Math.floor(rng.next() * 12));
      const steps = Math.abs(v) * 2 ** 24, below = Math.floor(steps), frac = steps - below;
      const nearest = frac > 0.5 || (frac === 0.5 && below % 2 === 1) ? below + 1 : below;
      expect(float16Bits(v) & 0x7fff, `${v}`).toBe(nearest);
    }
    expect(float16Bits(Math.fround(2.9806e-8))).toBe(0x1);
    expect(float16Bits(Math.fround(9.6858e-6))).toBe(0xa3);
  });
});

describe('tensor codec', () => {
  const shape = [40, 25];
  const pruned = applyMask(randomWeights(1000, 1), magnitudeMask(randomWeights(1000, 1), 0.9));
  const roundTrip = (values: Float32Array, enc: TensorEncoding, dims = shape) => {
    const bytes = encodeTensor(values, dims, enc);
    const decoded = decodeTensor(bytes, 0, dims);
    expect(decoded.bytesRead).toBe(bytes.length);
    expect(Array.from(decoded.values)).toEqual(Array.from(values));
    return { bytes, decoded };
  };

  it('stores a clustered all-zero kernel (an empty codebook) without shifting the records after it', () => {
    const zeros = new Float32Array(12), next = randomWeights(12, 4);
    const first = encodeTensor(zeros, [3, 4], { kind: 'codebook', codebook: new Float32Array(0), huffman: false });
    const second = encodeTensor(next, [3, 4], { kind: 'float32', huffman: false });
    const file = new Uint8Array([...first, ...second]);
    const a = decodeTensor(file, 0, [3, 4]);
    expect(a.bytesRead).toBe(first.length);
    expect(Array.from(a.values)).toEqual(Array.from(zeros));
    expect(Array.from(decodeTensor(file, a.bytesRead, [3, 4]).values)).toEqual(Array.from(next));
  });

  it.each([8, 5, 4, 2, 1])('int%i (per channel and per tensor), dense and sparse, with and without Huffman: exact round trip', (bits) => {
    for (const granularity of ['per-channel', 'per-tensor'] as const) {
      for (const source of [randomWeights(1000, 2), pruned]) {
        const q = quantizeWeights(source, shape, bits, granularity);
        for (const huffman of [false, true]) for (const indexBits of [0, 4]) roundTrip(q.values, { kind: 'int', bits, scales: q.scales, indexBits, huffman });
      }
    }
  });
  it('float32, float16 and codebooks: exact round trip', () => {
    roundTrip(pruned, { kind: 'float32', indexBits: 5, huffman: false });
    roundTrip(quantizeWeights(pruned, shape, 16, 'per-tensor').values, { kind: 'float16', indexBits: 5, huffman: false });
    const clustered = clusterWeights(pruned, 16);
    for (const indexBits of [0, 3, 8]) roundTrip(clustered.values, { kind: 'codebook', codebook: clustered.centroids, indexBits, huffman: true });
  });
  it('writes exactly the bytes the size formula predicts when Huffman is off', () => {
    const q = quantizeWeights(pruned, shape, 8, 'per-channel');
    const sparse = encodeTensor(q.values, shape, { kind: 'int', bits: 8, scales: q.scales, indexBits: 4, huffman: false });
    expect(sparse.length).toBe(storedBytes(q.values, { valueBits: 8, indexBits: 4, codebook: 0, scales: 25 }).bytes);
    const dense = encodeTensor(randomWeights(1000, 4), shape, { kind: 'float32', indexBits: 0, huffman: false });
    expect(dense.length).toBe(TENSOR_HEADER_BYTES + 4000);
  });
  it('hand-worked: 8 weights, 2 nonzero at positions 1 and 5, int8 per tensor, 4-bit gaps -> 12 + 4 + 3 bytes', () => {
    const q = quantizeWeights(Float32Array.from([0, 0.5, 0, 0, 0, -0.25, 0, 0]), [8], 8, 'per-tensor');
    const { bytes, decoded } = roundTrip(q.values, { kind: 'int', bits: 8, scales: q.scales, indexBits: 4, huffman: false }, [8]);
    expect(bytes.length).toBe(12 + 4 + 3);
    expect(decoded.sparse).toBe(true);
  });
  it('bridges long gaps with index-only fillers', () => {
    const v = new Float32Array(1000);
    v[999] = 1;
    // 2-bit gaps advance at most 3: 333 fillers (2 bits each) + 1 entry (2 + 32 bits).
    const { bytes } = roundTrip(v, { kind: 'float32', indexBits: 2, huffman: false }, [1000]);
    expect(bytes.length).toBe(12 + Math.ceil((333 * 2 + 34) / 8));
  });
  it('Huffman makes a peaked distribution smaller', () => {
    // 4-bit codes of normal weights carry ~3.1 bits of entropy: Huffman saves ~100 bytes for a 10-byte table.
    const q = quantizeWeights(randomWeights(1000, 5), shape, 4, 'per-tensor');
    const plain = encodeTensor(q.values, shape, { kind: 'int', bits: 4, scales: q.scales, indexBits: 0, huffman: false });
    const coded = encodeTensor(q.values, shape, { kind: 'int', bits: 4, scales: q.scales, indexBits: 0, huffman: true });
    expect(coded.length).toBeLessThan(plain.length);
    expect(decodeTensor(coded, 0, shape).huffman).toBe(true);
  });
  it('rejects values off the declared grid and corrupt records', () => {
    expect(() => encodeTensor(Float32Array.from([0.1, 0.2]), [2], { kind: 'int', bits: 8, scales: Float32Array.of(0.01), indexBits: 0, huffman: false })).toThrow(/grid/);
    const bytes = encodeTensor(randomWeights(1000, 6), shape, { kind: 'float32', indexBits: 0, huffman: false });
    expect(() => decodeTensor(bytes, 0, [10, 10])).toThrow(/expects 100/);
    expect(() => decodeTensor(bytes.subarray(0, 200), 0, shape)).toThrow(/truncated/);
  });
});

describe('sparsity allocation', () => {
  const shapes = [[784, 300], [300, 100], [100, 10]];
  const total = 784 * 300 + 300 * 100 + 1000;
  const kept = (s: number[]) => s.reduce((a, x, i) => a + Math.round((1 - x) * shapes[i]!.reduce((p, d) => p * d, 1)), 0);
  it('uniform: the same sparsity everywhere; ERK: exactly (1 - s) of all weights kept', () => {
    for (const s of [0.5, 0.9, 0.95]) {
      // The 100x10 classifier holds 0.4% of the weights: uniform pruning leaves it dense.
      expect(layerSparsities(shapes, s, 'uniform')).toEqual([s, s, 0]);
      expect(kept(layerSparsities(shapes, s, 'erk'))).toBe(Math.round((1 - s) * total));
    }
  });
  it('ERK keeps small layers denser than big ones', () => {
    const [fc1, fc2, fc3] = layerSparsities(shapes, 0.95, 'erk');
    expect(fc1!).toBeGreaterThan(fc2!);
    expect(fc2!).toBeGreaterThan(fc3!);
    expect(fc3!).toBeLessThan(0.5);
  });
});
