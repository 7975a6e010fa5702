// Runs the WASM slicing-by-16 kernel (crc64-wasm-module.ts). `createCrc64Kernel()` gives a private
// kernel that copies each input into its own small memory (memcpy runs at ~17 GB/s, perf-notes §3b, so
// the copy is noise next to the CRC); `createSharedCrc64Kernel(memory)` hashes in place inside a shared
// memory that other threads fill. Both return undefined where WebAssembly is unavailable, and callers
// fall back to the JS path. Browser-safe: no node:* imports.
import { buildCrc64WasmBytes, crc64TableBytes } from './crc64-wasm-module.js';
import { crc64Tables } from './crc64-tables.js';

type CrcExport = (register: bigint, ptr: number, len: number) => bigint;

const pageBytes = 65536;

/** Writes the 16 slicing tables into `memory` at offset 0 as little-endian i64 (lo, hi halves). */
export function writeCrc64Tables(memory: WebAssembly.Memory): void {
  const words = new Uint32Array(memory.buffer, 0, crc64TableBytes / 4);
  for (let i = 0; i < crc64Tables.lo.length; i++) {
    words[2 * i] = crc64Tables.lo[i]!;
    words[2 * i + 1] = crc64Tables.hi[i]!;
  }
}

function instantiate(memory: WebAssembly.Memory, shared: boolean, pages: number): CrcExport {
  const module = new WebAssembly.Module(buildCrc64WasmBytes({ shared, pages }));
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports.crc as CrcExport;
}

/** Advances a raw (inverted) CRC-64 register over data held by the kernel's caller. */
export interface Crc64Kernel {
  update(register: bigint, data: Uint8Array): bigint;
}

const privatePages = 2;
const scratchOffset = crc64TableBytes;
const scratchBytes = privatePages * pageBytes - crc64TableBytes;

export function createCrc64Kernel(): Crc64Kernel | undefined {
  if (typeof WebAssembly !== 'object') return undefined;
  try {
    const memory = new WebAssembly.Memory({ initial: privatePages, maximum: privatePages });
    writeCrc64Tables(memory);
    const crc = instantiate(memory, false, privatePages);
    const scratch = new Uint8Array(memory.buffer, scratchOffset, scratchBytes);
    return {
      update(register, data) {
        for (let offset = 0; offset < data.length; offset += scratchBytes) {
          const piece = data.subarray(offset, offset + scratchBytes);
          scratch.set(piece);
          register = crc(register, scratchOffset, piece.length);
        }
        return register;
      },
    };
  } catch {
    return undefined; // e.g. a CSP without 'wasm-unsafe-eval': the JS path is used instead
  }
}

/** A kernel over a shared memory laid out as tables then data; `update(register, offset, length)`. */
export interface SharedCrc64Kernel {
  update(register: bigint, offset: number, length: number): bigint;
}

/** A shared memory with the tables written, sized to hold `dataBytes` after them. */
export function createSharedCrc64Memory(dataBytes: number): { memory: WebAssembly.Memory; pages: number } {
  const pages = Math.ceil((crc64TableBytes + dataBytes) / pageBytes);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  writeCrc64Tables(memory);
  return { memory, pages };
}

export function createSharedCrc64Kernel(memory: WebAssembly.Memory, pages: number): SharedCrc64Kernel {
  const crc = instantiate(memory, true, pages);
  return { update: (register, offset, length) => crc(register, offset, length) };
}
