// Pre-built small PostObject bodies for the load generator: one multipart body per upload (each signs
// its own key; with a callback each carries its own one-time ticket), written as one data file plus
// a file of body lengths, one per line, that the wrk Lua script slices.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const smallFormBoundary = '----upcallbenchSmall9Qx2';

export function buildSmallFormBody(fields: ReadonlyArray<readonly [string, string]>, file: Buffer): Buffer {
  const parts = fields.map(
    ([name, value]) =>
      `--${smallFormBoundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${smallFormBoundary}\r\nContent-Disposition: form-data; name="file"; filename="small.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return Buffer.concat([Buffer.from(parts.join('')), file, Buffer.from(`\r\n--${smallFormBoundary}--\r\n`)]);
}

export async function writeBodies(
  dataPath: string,
  lengthsPath: string,
  bodies: Iterable<Buffer>,
): Promise<number> {
  const data = createWriteStream(dataPath);
  const lengths: number[] = [];
  for (const body of bodies) {
    lengths.push(body.length);
    if (!data.write(body)) await once(data, 'drain');
  }
  data.end();
  await once(data, 'finish');
  const lengthFile = createWriteStream(lengthsPath);
  lengthFile.end(lengths.join('\n') + '\n');
  await once(lengthFile, 'finish');
  return lengths.length;
}
