/**
 * The true stored size of a compressed weight tensor, counted bit by bit as hwnas lays it
 * out (Deep Compression's format):
 * - a 12-byte header (element count, value bits, index bits, codebook size: 3 x uint32);
 * - dense tensors: every value at `valueBits`;
 * - sparse tensors: each nonzero as (gap to the previous nonzero in `indexBits`, value);
 *   a gap that does not fit inserts filler entries, as in the paper, coded as gap 0 with
 *   no value (so a filler costs `indexBits` only);
 * - clustered tensors: values are codebook indices (ceil(log2 k) bits) plus the codebook
 *   at 32 bits per centroid;
 * - integer-quantized tensors: one 32-bit scale per group.
 * Sizes are rounded up to whole bytes per tensor. This is exactly what tensor-codec.ts
 * writes without Huffman coding (tested); with Huffman the writer's output is the truth.
 */
export interface StorageFormat {
  /** Bits per stored value: the quantization width, 32 for float32, or ceil(log2 k) with a codebook. */
  valueBits: number;
  /** Relative-index width for sparse storage (Deep Compression: 4 for conv, 5 for fc); 0 = dense. */
  indexBits: number;
  /** Codebook entries (weight sharing), 0 without. */
  codebook: number;
  /** 32-bit scales stored (quantization groups), 0 for float storage. */
  scales: number;
}

export const HEADER_BYTES = 12;

/** Entries a sparse tensor needs: nonzeros plus the filler zeros long gaps require. */
export function sparseEntries(values: ArrayLike<number>, indexBits: number): number {
  const maxGap = 2 ** indexBits - 1;
  let entries = 0, previous = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) continue;
    let gap = i - previous;
    // A gap of g needs floor((g - 1) / maxGap) fillers, each advancing maxGap positions.
    while (gap > maxGap) { entries++; gap -= maxGap; }
    entries++;
    previous = i;
  }
  return entries;
}

export interface TensorSize { bytes: number; valueBits: number; indexBits: number; entries: number }

function countNonzeros(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) n++;
  return n;
}

export function storedBytes(values: ArrayLike<number>, format: StorageFormat): TensorSize {
  const entries = format.indexBits > 0 ? sparseEntries(values, format.indexBits) : values.length;
  const valued = format.indexBits > 0 ? countNonzeros(values) : entries;
  const payloadBits = entries * format.indexBits + valued * format.valueBits;
  const bytes = HEADER_BYTES + Math.ceil(payloadBits / 8) + format.codebook * 4 + format.scales * 4;
  return { bytes, valueBits: format.valueBits, indexBits: format.indexBits, entries };
}

/** Chooses sparse storage only when it is smaller than dense storage of the same values. */
export function bestFormat(values: ArrayLike<number>, valueBits: number, codebook: number, scales: number, indexBits: number): { format: StorageFormat; size: TensorSize } {
  const dense = { valueBits, indexBits: 0, codebook, scales };
  const sparse = { valueBits, indexBits, codebook, scales };
  const d = storedBytes(values, dense), s = storedBytes(values, sparse);
  return s.bytes < d.bytes ? { format: sparse, size: s } : { format: dense, size: d };
}
