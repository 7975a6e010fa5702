import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Crc64Ecma } from './crc64-ecma.js';
import { crc64TableBytes } from './crc64-wasm-module.js';
import { createCrc64Kernel, createSharedCrc64Kernel, createSharedCrc64Memory } from './crc64-wasm.js';

// Byte-at-a-time BigInt CRC-64/XZ from the definition, as in crc64-ecma.test.ts: the judge.
const mask64 = (1n << 64n) - 1n;
function referenceRegister(data: Uint8Array, register = mask64): bigint {
  let crc = register;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ 0xc96c5795d7870f42n : crc >> 1n;
  }
  return crc;
}

/** Deterministic filler bytes (a failure must reproduce). */
const patternBytes = (length: number, salt: number): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (i * 167 + salt * 31 + (i >>> 7) * 13) & 0xff);

describe('createCrc64Kernel', () => {
  it('advances the register exactly like the bitwise definition for every length from 0 to 70', () => {
    const kernel = createCrc64Kernel();
    assert.ok(kernel, 'WebAssembly is available in Node');
    for (let length = 0; length <= 70; length++) {
      const data = patternBytes(length, length);
      assert.equal(BigInt.asUintN(64, kernel.update(-1n, data)), referenceRegister(data), `length ${length}`);
    }
  });

  it('gives the "123456789" check value and handles inputs larger than its scratch memory', () => {
    const kernel = createCrc64Kernel();
    assert.ok(kernel);
    const check = BigInt.asUintN(64, kernel.update(-1n, new TextEncoder().encode('123456789'))) ^ mask64;
    assert.equal(check.toString(), '11051210869376104954');
    const big = patternBytes(300_001, 9); // > the 96 KiB scratch area: several passes
    assert.equal(BigInt.asUintN(64, kernel.update(-1n, big)), referenceRegister(big));
  });
});

describe('Crc64Ecma with the WASM path', () => {
  it('agrees with the definition when chunks alternate between the JS and WASM sizes', () => {
    const sizes = [3, 256, 255, 1000, 7, 4096, 1, 65_537];
    const chunks = sizes.map((size, i) => patternBytes(size, i));
    const hasher = new Crc64Ecma();
    let register = mask64;
    for (const chunk of chunks) {
      hasher.update(chunk);
      register = referenceRegister(chunk, register);
    }
    assert.equal(hasher.digest(), (register ^ mask64).toString());
  });
});

describe('createSharedCrc64Kernel', () => {
  it('hashes bytes in place at any offset of a shared memory', () => {
    const { memory, pages } = createSharedCrc64Memory(4096);
    const kernel = createSharedCrc64Kernel(memory, pages);
    const data = patternBytes(1000, 5);
    new Uint8Array(memory.buffer).set(data, crc64TableBytes + 13);
    const register = BigInt.asUintN(64, kernel.update(-1n, crc64TableBytes + 13, data.length));
    assert.equal(register, referenceRegister(data));
  });
});
