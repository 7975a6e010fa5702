// The hash worker's code, as plain CommonJS run with `new Worker(source, { eval: true })`, so it loads
// the same way under tsx, compiled JS or a bundler. It hashes chunks in place in a shared memory (the
// main thread's one copy of each chunk, see hash-worker-pool.ts): MD5 with node:crypto and CRC-64 with
// the WASM slicing-by-16 kernel instantiated on the same memory.
//
// Messages in:  [0, job] open · [1, job, slot, offset, length] update · [2, job] end · [3, job] drop.
// Messages out: [1, slot] slot free again · [2, job, md5Base64, crcRegisterHex] digest of an ended job.
export const hashWorkerSource = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { memory, moduleBytes } = workerData;
const crc = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes), { env: { memory } }).exports.crc;
const jobs = new Map();
parentPort.on('message', (message) => {
  const kind = message[0];
  const id = message[1];
  if (kind === 0) {
    jobs.set(id, { md5: createHash('md5'), register: -1n });
  } else if (kind === 1) {
    const job = jobs.get(id);
    if (job !== undefined) {
      job.md5.update(new Uint8Array(memory.buffer, message[3], message[4]));
      job.register = crc(job.register, message[3], message[4]);
    }
    parentPort.postMessage([1, message[2]]);
  } else if (kind === 2) {
    const job = jobs.get(id);
    jobs.delete(id);
    if (job === undefined) return;
    parentPort.postMessage([2, id, job.md5.digest('base64'), BigInt.asUintN(64, job.register).toString(16)]);
  } else {
    jobs.delete(id);
  }
});
`;
