// One readable stream of several backend byte ranges in order, read lazily one GetObject at a time (never
// buffered whole). It is the body of a request sent with a fixed Content-Length, so a range that comes
// back shorter or longer than asked fails the stream instead of leaving the upload waiting for bytes.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { segmentBytes, type Segment } from './s3-assemble-plan.js';
import type { S3StoreContext } from './s3-store-context.js';

async function* readSegments(
  ctx: S3StoreContext,
  backendBucket: string,
  segments: readonly Segment[],
): AsyncGenerator<Buffer> {
  for (const segment of segments) {
    const expected = segmentBytes(segment);
    if (expected === 0) continue;
    const response = await ctx.client.send(
      new GetObjectCommand({
        Bucket: backendBucket,
        Key: segment.key,
        Range: `bytes=${segment.start}-${segment.end}`,
      }),
    );
    const body = response.Body as Readable | undefined;
    if (body === undefined) throw new Error(`no body for ${segment.key}`);
    let received = 0;
    try {
      for await (const chunk of body) {
        received += (chunk as Buffer).length;
        if (received > expected) throw new Error(`${segment.key}: more bytes than the range asked for`);
        yield chunk as Buffer;
      }
    } finally {
      body.destroy();
    }
    if (received !== expected) {
      throw new Error(`${segment.key}: read ${received} of ${expected} bytes`);
    }
  }
}

/** The concatenation of `segments` of objects in `backendBucket`. */
export function streamSegments(
  ctx: S3StoreContext,
  backendBucket: string,
  segments: readonly Segment[],
): Readable {
  return Readable.from(readSegments(ctx, backendBucket, segments), { objectMode: false });
}
