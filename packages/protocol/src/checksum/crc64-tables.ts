// Slicing tables of CRC-64/XZ (reflected ECMA-182 polynomial, oss-protocol §11) as unsigned 32-bit
// halves: table k holds the CRC contribution of a byte followed by k zero bytes, at index k * 256 + byte.
// Shared by the JS slicing-by-8 path and the WASM slicing-by-16 kernel (which reads them as i64).
const reflectedPolyLo = 0xd7870f42;
const reflectedPolyHi = 0xc96c5795;

export const crc64SliceCount = 16;

export interface Crc64Tables {
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
}

function fillByteTable(lo: Uint32Array, hi: Uint32Array): void {
  for (let byte = 0; byte < 256; byte++) {
    let l = byte;
    let h = 0;
    for (let bit = 0; bit < 8; bit++) {
      const lsb = l & 1;
      l = (l >>> 1) | ((h & 1) << 31);
      h = h >>> 1;
      if (lsb !== 0) {
        l ^= reflectedPolyLo;
        h ^= reflectedPolyHi;
      }
    }
    lo[byte] = l >>> 0;
    hi[byte] = h >>> 0;
  }
}

function buildTables(): Crc64Tables {
  const lo = new Uint32Array(crc64SliceCount * 256);
  const hi = new Uint32Array(crc64SliceCount * 256);
  fillByteTable(lo, hi);
  for (let k = 1; k < crc64SliceCount; k++) {
    for (let byte = 0; byte < 256; byte++) {
      const prevLo = lo[(k - 1) * 256 + byte]!;
      const prevHi = hi[(k - 1) * 256 + byte]!;
      const index = prevLo & 0xff;
      lo[k * 256 + byte] = (((prevLo >>> 8) | (prevHi << 24)) ^ lo[index]!) >>> 0;
      hi[k * 256 + byte] = ((prevHi >>> 8) ^ hi[index]!) >>> 0;
    }
  }
  return { lo, hi };
}

export const crc64Tables: Crc64Tables = buildTables();
