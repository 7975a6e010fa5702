export * from './crc64-ecma.js';
export * from './upload-hasher.js';
