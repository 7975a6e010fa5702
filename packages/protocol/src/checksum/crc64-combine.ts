// CRC-64/XZ ("crc64ecma", oss-protocol §11) of a concatenation from the CRCs of its pieces, without the
// bytes: CompleteMultipartUpload reports `x-oss-hash-crc64ecma` of the whole object, and the parts'
// CRCs were computed as they streamed in. zlib's crc32_combine (the x^(2^n) mod P form of zlib ≥ 1.2.12,
// equivalent to its older GF(2) matrix squaring) adapted to the reflected 64-bit polynomial. BigInt is
// fine: it runs once per part (~2k BigInt operations), never per byte. No node:* imports.

/** ECMA-182 polynomial 0x42F0E1EBA9EA3693, bit-reflected. */
const polyReflected = 0xc96c5795d7870f42n;
const topBit = 1n << 63n;
const maxCrc = (1n << 64n) - 1n;

/**
 * a·b mod P in the reflected representation (x^0 is the top bit). `a` must be non-zero — it is always a
 * power of x here, and x is invertible mod P since P has a constant term.
 */
function multModP(a: bigint, b: bigint): bigint {
  let m = topBit;
  let product = 0n;
  for (;;) {
    if ((a & m) !== 0n) {
      product ^= b;
      if ((a & (m - 1n)) === 0n) return product;
    }
    m >>= 1n;
    b = (b & 1n) !== 0n ? (b >> 1n) ^ polyReflected : b >> 1n;
  }
}

/** powers[k] = x^(2^k) mod P, grown on demand (no assumption about the order of x mod P). */
const powers: bigint[] = [topBit >> 1n];

function xToTwoToThe(k: number): bigint {
  while (powers.length <= k) {
    const last = powers[powers.length - 1]!;
    powers.push(multModP(last, last));
  }
  return powers[k]!;
}

/** x^(8·byteCount) mod P: the operator that appends `byteCount` zero bytes to a CRC register. */
function xPowerForBytes(byteCount: number): bigint {
  let p = topBit; // x^0
  let k = 3; // 8 = 2^3 bits per byte
  for (let n = BigInt(byteCount); n !== 0n; n >>= 1n, k += 1) {
    if ((n & 1n) !== 0n) p = multModP(xToTwoToThe(k), p);
  }
  return p;
}

function parseCrc(value: string, name: string): bigint {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(value) || BigInt(value) > maxCrc) {
    throw new RangeError(`${name} must be an unsigned 64-bit decimal string, got ${JSON.stringify(value)}`);
  }
  return BigInt(value);
}

/**
 * CRC-64/XZ of A‖B from crcA = crc64Ecma(A), crcB = crc64Ecma(B) and B's length, all CRCs as the decimal
 * strings Crc64Ecma.digest() gives. Fold left over parts for a multipart object. Throws RangeError for a
 * malformed CRC or a length that is not a non-negative safe integer.
 */
export function combineCrc64(crcA: string, crcB: string, lengthB: number): string {
  const a = parseCrc(crcA, 'crcA');
  const b = parseCrc(crcB, 'crcB');
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) {
    throw new RangeError(`lengthB must be a non-negative safe integer, got ${lengthB}`);
  }
  return (multModP(xPowerForBytes(lengthB), a) ^ b).toString();
}
