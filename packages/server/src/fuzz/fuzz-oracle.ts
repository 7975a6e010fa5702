// The fuzz oracle for one PostObject exchange (threats §B4, §C1–§C3; brief: never an uncaught exception,
// never 5xx for malformed input, never a stored object without a valid signature, no temp file left).
import assert from 'node:assert/strict';
import { testBucket } from '../operations/post-object/testing/post-object-test-server.js';
import type { ObjectMeta } from '../store/object-store.js';
import type { FuzzRequest } from './fuzz-case.js';
import { carriesSignedValues, checkSignedPrefix, fuzzKeyPrefix, fuzzMaxFileBytes } from './fuzz-form.js';
import type { RawResponse } from './send-raw-request.js';

export interface ExchangeSummary {
  /** The final status (a `100 Continue` may come first); undefined when the server only closed. */
  readonly status: number | undefined;
  /** The OSS `<Code>` of an error document. */
  readonly code: string | undefined;
  readonly etag: string | undefined;
}

export function summariseExchange(res: RawResponse): ExchangeSummary {
  const statuses = [...res.text.matchAll(/(?:^|\r\n)HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
  return {
    status: statuses.filter((s) => s >= 200).at(-1) ?? statuses.at(-1),
    code: /<Code>([^<]*)<\/Code>/.exec(res.text)?.[1],
    etag: /\r\nETag: ([^\r\n]*)/i.exec(res.text)?.[1],
  };
}

export interface Exchange {
  readonly request: FuzzRequest;
  readonly response: RawResponse;
  readonly summary: ExchangeSummary;
  /** Objects created or replaced by this request (store-probe.ts). */
  readonly changed: readonly ObjectMeta[];
  /** Every object in the bucket afterwards. */
  readonly objects: readonly ObjectMeta[];
  /** Bodies of the callbacks the request caused. */
  readonly callbacks: readonly string[];
}

/** The HTTP side: an answer (unless our FIN cut the body short), never 5xx, never a hang. */
export function checkAnswer({ request, response, summary }: Exchange): void {
  assert.equal(response.timedOut, false, 'the server neither answered nor closed the connection');
  if (request.form.framing !== 'short-then-fin') {
    assert.notEqual(summary.status, undefined, 'closed without a response');
  }
  const status = summary.status ?? 0;
  assert.ok(status < 500, `5xx for a malformed form: ${response.text.slice(0, 400)}`);
}

/** Whether the request still carried the signed auth values, unchanged, where the server reads them. */
function signedAuthIntact(request: FuzzRequest): boolean {
  const { form, body, structureKnown, touchedAuth } = request;
  // Every signed value must still be somewhere in the body; while the part structure is the built one we
  // also know which parts the server reads, so none of them may be changed, moved or dropped.
  return carriesSignedValues(form, body) && (!structureKnown || (checkSignedPrefix(form) && !touchedAuth));
}

/** The store side: only signed uploads within the policy are stored, each with its own callback. */
export function checkStored({ request, summary, changed, objects, callbacks }: Exchange): void {
  assert.ok(changed.length <= 1, 'one request stored several objects');
  for (const meta of changed) {
    assert.ok(
      signedAuthIntact(request),
      `stored ${meta.bucket}/${meta.key} without valid signed auth fields`,
    );
    assert.equal(meta.bucket, testBucket, 'stored in a bucket the request was not addressed to');
    assert.ok(meta.key.startsWith(fuzzKeyPrefix), `stored outside the policy prefix: ${meta.key}`);
    assert.ok(meta.size <= fuzzMaxFileBytes, `stored ${meta.size} bytes, above content-length-range`);
  }
  assert.ok(callbacks.length <= changed.length, 'a callback was sent for a request that stored nothing');
  for (const body of callbacks) assert.equal(new URLSearchParams(body).get('object'), changed[0]?.key);
  const status = summary.status ?? 0;
  if (status >= 200 && status < 300) {
    assert.ok(
      objects.some((meta) => meta.etag === summary.etag),
      `${status} with ETag ${summary.etag} but no such object`,
    );
  }
  if (request.pristine) {
    assert.ok(status >= 200 && status < 300, `a valid form was refused: ${summary.code ?? status}`);
    assert.equal(changed[0]?.size, request.content.length);
  }
}
