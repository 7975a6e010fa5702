export * from './crc64-ecma.js';
export * from './upload-hasher.js';
export {
  createCrc64Kernel,
  createSharedCrc64Kernel,
  createSharedCrc64Memory,
  writeCrc64Tables,
  type Crc64Kernel,
  type SharedCrc64Kernel,
} from './crc64-wasm.js';
export { buildCrc64WasmBytes, crc64TableBytes } from './crc64-wasm-module.js';
export * from './crc64-combine.js';
export * from './multipart-etag.js';
