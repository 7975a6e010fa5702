// Admission control for uploads (threats §B9: "cap … concurrent in-flight uploads (semaphore, answer 503
// ServiceUnavailable … when full, never queue unbounded)"; §C4 item 38). An upload holds a slot from the
// moment its route is known until its response closes (finished, or the connection dropped), so a slot
// covers the body, the commit and an upload callback. A request over the cap is refused at once with
// 503 ServiceUnavailable; its body is never read and send-error.ts closes the connection after the error
// document. Counting happens before authentication: PostObject authenticates inside its body.
import type { ServerResponse } from 'node:http';
import { OssError } from '@upcall/protocol';

/** Route names (route-request.ts) that stream a request body into the store. */
export const uploadOperationNames: ReadonlySet<string> = new Set([
  'PostObject',
  'PutObject',
  'UploadPart',
  'CompleteMultipartUpload',
]);

export class UploadSlots {
  #inFlight = 0;

  /** @param maxConcurrentUploads 0 = no cap. */
  constructor(readonly maxConcurrentUploads: number) {
    if (!Number.isSafeInteger(maxConcurrentUploads) || maxConcurrentUploads < 0) {
      throw new RangeError(`maxConcurrentUploads must be a whole number ≥ 0, got ${maxConcurrentUploads}`);
    }
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Takes a slot for an upload operation until `res` closes; other operations pass untouched. Throws
   * OssError ServiceUnavailable (503) when every slot is taken.
   */
  admit(operation: string, res: ServerResponse): void {
    if (!uploadOperationNames.has(operation)) return;
    const cap = this.maxConcurrentUploads;
    if (cap > 0 && this.#inFlight >= cap) {
      throw new OssError('ServiceUnavailable', {
        message: `Too many uploads in progress (limit ${cap}); retry later.`,
      });
    }
    this.#inFlight += 1;
    res.once('close', () => (this.#inFlight -= 1));
  }
}
