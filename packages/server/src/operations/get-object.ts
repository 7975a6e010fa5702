// GetObject: look up → preconditions (304/412) → Range (206/416) → headers → stream the body. The body
// is piped with back-pressure; if the client goes away, pipeline() destroys the store stream so no file
// handle or read is left behind. A filesystem blob is sent through reused buffers instead
// (store/fs-pooled-send.ts: no allocation per read), and its stream destroyed afterwards all the same.
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { OssError } from '@upcall/protocol';
import type { Operation, RequestContext, ServerDeps } from '../http/request-context.js';
import { readPooledSend } from '../store/fs-pooled-send.js';
import type { ObjectMeta } from '../store/object-store.js';
import { answerPreconditions } from './answer-preconditions.js';
import { parseRangeHeader, type ByteRange } from './parse-range-header.js';
import { buildNoSuchKeyError, requireObjectAddress } from './require-address.js';
import { readResponseOverrides, setObjectHeaders } from './set-object-headers.js';

/** A writer may replace the object between our HEAD and read; we retry rather than mix two versions. */
const maxReadAttempts = 3;

interface OpenedObject {
  readonly meta: ObjectMeta;
  readonly range: ByteRange | undefined;
  readonly body: Readable;
}

/** Resolves to undefined when the response was already completed (304). */
async function openObject(ctx: RequestContext, deps: ServerDeps): Promise<OpenedObject | undefined> {
  const { bucket, key } = requireObjectAddress(ctx);
  for (let attempt = 1; ; attempt += 1) {
    const meta = await deps.store.head(bucket, key);
    if (meta === undefined) throw buildNoSuchKeyError(key);
    if (answerPreconditions(ctx, meta)) return undefined;
    const range = parseRangeHeader(ctx.req.headers.range, meta.size);
    const found = await deps.store.read(bucket, key, range);
    if (found === undefined) throw buildNoSuchKeyError(key);
    if (found.meta.etag === meta.etag && found.meta.size === meta.size) {
      return { meta: found.meta, range, body: found.body };
    }
    found.body.destroy();
    if (attempt >= maxReadAttempts) {
      throw new OssError('ServiceUnavailable', { message: 'The object is being rewritten; try again.' });
    }
  }
}

async function sendPooled(
  ctx: RequestContext,
  body: Readable,
  send: (destination: ServerResponse) => Promise<boolean>,
): Promise<void> {
  try {
    if (!(await send(ctx.res))) {
      ctx.log.debug({ requestId: ctx.requestId }, 'client went away during GetObject');
    }
  } finally {
    body.destroy(); // closes the descriptor
  }
}

function streamBody(ctx: RequestContext, body: Readable): Promise<void> {
  const send = readPooledSend(body);
  if (send !== undefined) return sendPooled(ctx, body, send);
  return new Promise((resolve, reject) => {
    pipeline(body, ctx.res, (error) => {
      if (error === undefined || error === null) return resolve();
      // The client closing the connection is normal; a failing store read is not.
      if (ctx.res.destroyed && !body.errored) {
        ctx.log.debug({ requestId: ctx.requestId }, 'client went away during GetObject');
        return resolve();
      }
      reject(error);
    });
  });
}

export const getObject: Operation = async (ctx, deps) => {
  const opened = await openObject(ctx, deps);
  if (opened === undefined) return;
  const overrides = ctx.principal?.kind === 'signed' ? readResponseOverrides(ctx.query) : [];
  ctx.res.statusCode = opened.range === undefined ? 200 : 206;
  const activeContent = deps.config.activeContentDisposition ?? 'attachment';
  setObjectHeaders(ctx.res, opened.meta, opened.range, overrides, activeContent);
  await streamBody(ctx, opened.body);
};
