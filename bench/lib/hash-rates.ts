// Single-core hash rates measured in the same run, the yardstick of the large-upload target
// (≥ 0.6× single-core MD5): MD5 from node:crypto and the protocol's CRC-64, from memory in 1 MiB chunks.
import { createHash, randomBytes } from 'node:crypto';
import { Crc64Ecma } from '@upcall/protocol';
import { summarize, toMbPerSecond, type Spread } from './stats.js';

const chunk = randomBytes(1024 * 1024);

function timeRate(totalBytes: number, update: (data: Buffer) => void): number {
  const start = process.hrtime.bigint();
  for (let done = 0; done < totalBytes; done += chunk.length) update(chunk);
  return toMbPerSecond(totalBytes, Number(process.hrtime.bigint() - start) / 1e9);
}

export function measureMd5Rate(totalBytes: number, repeats: number): Spread {
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const md5 = createHash('md5');
    rates.push(timeRate(totalBytes, (data) => void md5.update(data)));
    md5.digest();
  }
  return summarize(rates);
}

export function measureCrc64Rate(totalBytes: number, repeats: number): Spread {
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const crc = new Crc64Ecma();
    rates.push(timeRate(totalBytes, (data) => void crc.update(data)));
    crc.digest();
  }
  return summarize(rates);
}
